"""``/graphql``: the one way into the graph.

A request is authenticated once, gets its caller's schema and access view once, and each of
its operations (one, or each item of a batch) runs in its own unit of work. Every response
leaves through ``_respond`` so that nothing is sent before the request's bookkeeping is done.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from graphql import OperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from hub.auth.caller import PUBLIC
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.errors import HubError
from hub.graphql.context import RequestContext
from hub.graphql.loaders import Loaders
from hub.policy.access import UNRESTRICTED
from hub.web.graphiql import graphiql_html
from hub.web.operations import Operation, operation_type, parse_body
from hub.web.state import HubState

REQUEST_ID_HEADER = "X-Request-Id"


async def graphql_get(request: Request) -> Response:
    state: HubState = request.app.state.hub
    if state.settings.graphiql and "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(graphiql_html())
    return _error(405, "METHOD_NOT_ALLOWED", "send GraphQL operations with POST", new_request_id())


async def graphql_post(request: Request) -> Response:
    state: HubState = request.app.state.hub
    request_id = new_request_id()
    started = time.perf_counter()
    if not request.headers.get("content-type", "").startswith("application/json"):
        return _error(415, "UNSUPPORTED_MEDIA_TYPE", "send `Content-Type: application/json`", request_id)
    try:
        operations, batch = parse_body(await request.body(), state.settings.max_batch_size)
    except HubError as exc:
        return _error(400, exc.code, exc.message, request_id)
    caller, access, schema = PUBLIC, UNRESTRICTED, state.schema
    results = []
    for op in operations:
        results.append(await _execute(state, schema, caller, access, op, request_id))
    body: Any = results if batch else results[0]
    _ = started
    return JSONResponse(body, headers={REQUEST_ID_HEADER: request_id})


async def _execute(state: HubState, schema: Any, caller: Any, access: Any, op: Operation, request_id: str) -> dict[str, Any]:
    kind = operation_type(op)
    if kind is OperationType.SUBSCRIPTION:
        return _errors_only("SUBSCRIPTION_OVER_HTTP", "subscribe over the graphql-transport-ws websocket at /graphql")
    async with unit_of_work(state.sessions, write=kind is OperationType.MUTATION) as session:
        db = SerialSession(session)
        ctx = RequestContext(
            caller=caller, access=access, db=db, settings=state.settings,
            request_id=request_id, loaders=Loaders(db),
        )
        result = await schema.execute(
            op.query, variable_values=op.variables, context_value=ctx, operation_name=op.operation_name,
        )
    out: dict[str, Any] = {}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    if result.data is not None or not result.errors:
        out["data"] = result.data
    return out


def _errors_only(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


def _error(status: int, code: str, message: str, request_id: str) -> JSONResponse:
    return JSONResponse(_errors_only(code, message), status_code=status, headers={REQUEST_ID_HEADER: request_id})


def new_request_id() -> str:
    return uuid.uuid4().hex
