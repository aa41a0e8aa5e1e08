"""Every GraphQL error leaves with a stable ``extensions.code``; anything unexpected leaves
as INTERNAL with the request id and nothing else (no stack trace, no SQL)."""

from __future__ import annotations

from collections.abc import Iterator

import structlog
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult

from hub.errors import HubError

log = structlog.get_logger("hub.graphql")

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
INTERNAL = "INTERNAL"


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, HubError):
        return original.code
    if isinstance(error, GraphQLSyntaxError):
        return PARSE_FAILED
    if original is None:
        code = (error.extensions or {}).get("code")
        return str(code) if code else VALIDATION_FAILED
    return INTERNAL


def _coded(error: GraphQLError, request_id: str) -> GraphQLError:
    original = error.original_error
    code = error_code(error)
    if isinstance(original, HubError):
        message, extensions = original.message, original.as_extensions()
    elif code == INTERNAL:
        log.error("graphql.internal_error", request_id=request_id, path=error.path, exc_info=original)
        message = f"internal error; quote request id {request_id} to the hub's operators"
        extensions = {"code": INTERNAL, "requestId": request_id}
    else:
        message, extensions = error.message, {**(error.extensions or {}), "code": code}
    return GraphQLError(
        message, nodes=error.nodes, source=error.source, positions=error.positions,
        path=error.path, original_error=None, extensions=extensions,
    )


def code_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """The error as it leaves the hub (for transports that bypass ``ErrorCodes``' result)."""
    if "code" in (error.extensions or {}) and error.original_error is None:
        return error
    return _coded(error, request_id)


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, (GraphQLExecutionResult, ExecutionResult)) and result.errors:
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [_coded(e, request_id) for e in result.errors]
