"""``/graphql``: the one way into the graph.

A request is authenticated once and gets its caller's policy, schema and access view once.
Its operations (one, or each item of a batch) run in one transaction, each in a savepoint
that is rolled back when the operation fails, so a failed mutation leaves nothing behind.
Every response leaves through ``_finish``, after the request's records are written.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import structlog
from graphql import OperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from hub.audit import Outcome
from hub.audit.errors import AuditEventInvalid, AuditUnavailable
from hub.audit.store import Pending
from hub.auth.bearer import InvalidToken, invalid_token_response
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.errors import HubError
from hub.graphql.context import RequestContext
from hub.graphql.coordinates import requested_coordinates
from hub.graphql.errors import error_code
from hub.graphql.loaders import Loaders
from hub.policy.access import AccessView
from hub.policy.engine import effective_scopes
from hub.web import persisted
from hub.web.audit_trail import append_all, append_within, ensure_keys, operation_event, request_event
from hub.web.graphiql import graphiql_html
from hub.web.operations import Operation, operation_type, parse_body
from hub.web.records import PURPOSE_HEADER, OperationRecord, RequestInfo
from hub.web.state import HubState

REQUEST_ID_HEADER = "X-Request-Id"
log = structlog.get_logger("hub.web")


async def graphql_get(request: Request) -> Response:
    state: HubState = request.app.state.hub
    if state.settings.graphiql and "text/html" in request.headers.get("accept", ""):
        return HTMLResponse(graphiql_html())
    return _error(405, "METHOD_NOT_ALLOWED", "send GraphQL operations with POST", new_request_id())


async def graphql_post(request: Request) -> Response:
    state: HubState = request.app.state.hub
    started = time.perf_counter()
    info = RequestInfo.of(request, new_request_id())
    try:
        return await _serve(state, request, info, started)
    except (AuditUnavailable, AuditEventInvalid) as exc:
        log.error("audit.unavailable", request_id=info.request_id, error=str(exc))
        return _error(503, AuditUnavailable.code, "the hub cannot record this request in its audit log, "
                      "so it does not answer it; try again later", info.request_id)


async def _serve(state: HubState, request: Request, info: RequestInfo, started: float) -> Response:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return await _refuse(state, info, None, started, 415, "UNSUPPORTED_MEDIA_TYPE",
                             "send `Content-Type: application/json`")
    await ensure_keys(state.sessions, state.log_database, state.settings)
    try:
        caller = await state.authenticate(request)
    except InvalidToken as exc:
        await append_all(state.sessions, [request_event(info, None, Outcome.UNAUTHENTICATED, exc.code, _us(started))])
        response = invalid_token_response(exc)
        response.headers[REQUEST_ID_HEADER] = info.request_id
        return response
    try:
        operations, batch = parse_body(await request.body(), state.settings.max_batch_size)
    except HubError as exc:
        return await _refuse(state, info, caller, started, 400, exc.code, exc.message, exc.as_extensions())
    operations = await persisted.resolve(state.sessions, operations)
    kinds = [operation_type(op) for op in operations]
    writes = OperationType.MUTATION in kinds
    results: list[dict[str, Any]] = []
    records: list[OperationRecord] = []
    pending: list[Pending] = []
    try:
        async with unit_of_work(state.sessions, write=writes) as session:
            db = SerialSession(session)
            policy = await state.policies.in_force(db)
            schema = state.policies.schema_for(policy, effective_scopes(caller))
            access = state.policies.access_for(policy, caller)
            for op, kind in zip(operations, kinds, strict=True):
                result, record = await _run(state, schema, caller, access, db, op, kind, info)
                results.append(result)
                records.append(record)
            if writes:  # the changes and their records commit together, or neither does
                pending = await append_within(session, [operation_event(info, caller, r, state.log_database) for r in records])
    except BaseException:
        for p in pending:
            p.rolled_back()
        raise
    if writes:
        for p in pending:
            p.committed()
    else:
        await append_all(state.sessions, [operation_event(info, caller, r, state.log_database) for r in records])
    body: Any = results if batch else results[0]
    return JSONResponse(body, headers={REQUEST_ID_HEADER: info.request_id})


async def _refuse(
    state: HubState, info: RequestInfo, caller: Any, started: float, status: int, code: str, message: str,
    extensions: dict[str, Any] | None = None,
) -> Response:
    await append_all(state.sessions, [request_event(info, caller, Outcome.VALIDATION_ERROR, code, _us(started))])
    return _error(status, code, message, info.request_id, extensions)


def _us(started: float) -> int:
    return int((time.perf_counter() - started) * 1_000_000)


async def _run(
    state: HubState, schema: Any, caller: Any, access: AccessView, db: SerialSession,
    op: Operation, kind: OperationType | None, info: RequestInfo,
) -> tuple[dict[str, Any], OperationRecord]:
    started = time.perf_counter()
    requested = requested_coordinates(state.policies.full_schema._schema, op.query)
    record = OperationRecord.begin(op, kind, requested, access)
    if op.persisted:
        out = _errors_only(persisted.NOT_FOUND_CODE, persisted.NOT_FOUND_MESSAGE)
        return out, record.finish(out, None, started)
    if kind is OperationType.SUBSCRIPTION:
        out = _errors_only("SUBSCRIPTION_OVER_HTTP", "subscribe over the graphql-transport-ws websocket at /graphql")
        return out, record.finish(out, None, started)
    unmasked_sensitive = [c for c in requested if c in access.sensitive and c in access.visible and not access.is_masked(c)]
    if unmasked_sensitive and not info.purpose:
        out = _errors_only(
            "PURPOSE_REQUIRED",
            f"{', '.join(unmasked_sensitive)} would disclose identity or account numbers in full: state why "
            f"in the `{PURPOSE_HEADER}` header (free text with a case reference), or leave these fields out",
        )
        return out, record.finish(out, None, started, refused=unmasked_sensitive)
    ctx = RequestContext(
        caller=caller, access=access, db=db, settings=state.settings, request_id=info.request_id,
        loaders=Loaders(db),
    )
    savepoint = await db.session.begin_nested()
    result = await schema.execute(op.query, variable_values=op.variables, context_value=ctx, operation_name=op.operation_name)
    if result.errors:  # undoes a failed mutation; after an SQL error, makes the transaction usable
        await savepoint.rollback()
    else:
        await savepoint.commit()
    out: dict[str, Any] = {}
    if result.errors:
        out["errors"] = [e.formatted for e in result.errors]
    if result.data is not None or not result.errors:
        out["data"] = result.data
    codes = sorted({error_code(e) if "code" not in (e.extensions or {}) else e.extensions["code"] for e in result.errors or []})
    return out, record.finish(out, ctx.disclosure, started, error_codes=codes)


def _errors_only(code: str, message: str, extensions: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {**(extensions or {}), "code": code}}]}


def _error(
    status: int, code: str, message: str, request_id: str, extensions: dict[str, Any] | None = None
) -> JSONResponse:
    return JSONResponse(
        _errors_only(code, message, extensions), status_code=status, headers={REQUEST_ID_HEADER: request_id}
    )


def new_request_id() -> str:
    return uuid.uuid4().hex
