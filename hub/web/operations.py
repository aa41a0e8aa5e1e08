"""Reading GraphQL operations out of an HTTP request body: one operation or a batch.

Malformed bodies are refused here with a coded error before anything else runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from graphql.language import DocumentNode

from hub.errors import InvalidInput

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Operation:
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    #: SHA-256 of a persisted document sent without its text (``query`` is then empty
    #: until ``hub.web.persisted`` finds it).
    persisted: str | None = None


def parse_body(raw: bytes, max_batch: int) -> tuple[list[Operation], bool]:
    """The operations of a request and whether it was a batch (a JSON array)."""
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidInput("the request body is not JSON: send {\"query\": \"...\"}") from None
    batch = isinstance(payload, list)
    items = payload if batch else [payload]
    if batch and not items:
        raise InvalidInput("an empty batch: send at least one operation")
    if len(items) > max_batch:
        raise InvalidInput(f"a batch of {len(items)} operations; at most {max_batch} per request")
    return [_operation(item, i if batch else None) for i, item in enumerate(items)], batch


def _operation(item: Any, index: int | None) -> Operation:
    where = f"operation {index}: " if index is not None else ""
    if not isinstance(item, dict):
        raise InvalidInput(f"{where}an operation is a JSON object with a `query`")
    query, variables = item.get("query"), item.get("variables") or {}
    name, extensions = item.get("operationName"), item.get("extensions") or {}
    if not isinstance(extensions, dict):
        raise InvalidInput(f"{where}`extensions` must be a JSON object", field="extensions")
    persisted = _persisted_hash(extensions, where)
    if persisted is not None and not query:
        query = ""
    elif not isinstance(query, str) or not query.strip():
        raise InvalidInput(f"{where}`query` must be a non-empty string", field="query")
    elif persisted is not None:
        if hashlib.sha256(query.encode()).hexdigest() != persisted:
            raise InvalidInput(
                f"{where}`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`",
                field="extensions.persistedQuery.sha256Hash",
            )
        persisted = None  # sent in full: nothing to look up
    if not isinstance(variables, dict):
        raise InvalidInput(f"{where}`variables` must be a JSON object", field="variables")
    if name is not None and not isinstance(name, str):
        raise InvalidInput(f"{where}`operationName` must be a string", field="operationName")
    return Operation(query, variables, name, extensions, persisted)


def _persisted_hash(extensions: dict[str, Any], where: str) -> str | None:
    """Automatic persisted queries (Apollo's protocol): ``{"persistedQuery": {"version": 1,
    "sha256Hash": "..."}}``."""
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
    if not isinstance(digest, str) or not _SHA256.match(digest) or persisted.get("version") != 1:
        raise InvalidInput(
            f"{where}`extensions.persistedQuery` must be {{\"version\": 1, \"sha256Hash\": <64 hex digits>}}",
            field="extensions.persistedQuery",
        )
    return digest


@lru_cache(maxsize=512)
def _document(query: str) -> DocumentNode | None:
    try:
        return parse(query)
    except GraphQLError:
        return None


def operation_type(op: Operation) -> OperationType | None:
    """query / mutation / subscription, or None when the document does not parse (the
    executor reports the syntax error with its position)."""
    document = _document(op.query)
    if document is None:
        return None
    ast = get_operation_ast(document, op.operation_name)
    return ast.operation if ast else None


def operation_name(op: Operation) -> str | None:
    """The name the request gives, else the name of the document's operation (for the log)."""
    if op.operation_name:
        return op.operation_name
    document = _document(op.query)
    ast = get_operation_ast(document, None) if document is not None else None
    return ast.name.value if ast is not None and ast.name is not None else None
