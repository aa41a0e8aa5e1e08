"""``/graphql`` over a websocket: GraphQL subscriptions with the ``graphql-transport-ws``
protocol (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md).

No second path around the policy or the audit log: the caller is authenticated with the same
bearer validation as ``POST /graphql`` (the token in the upgrade request's ``Authorization``
header, or in the ``connection_init`` payload as ``Authorization``), gets its own schema and
access view from ``state.policies``, must state a purpose (``X-Hub-Purpose`` in the header or
the payload) for identity numbers in full, and every subscription leaves audit records with
the same functions as HTTP operations: one when it starts (or is refused), one per change
sent, appended before the change leaves. The token is checked again before each change, so a
revoked token or a disabled client stops the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any, cast

import structlog
from graphql import GraphQLError, OperationType, parse, validate
from starlette.datastructures import Headers
from starlette.websockets import WebSocket, WebSocketDisconnect

from hub.audit import Outcome
from hub.audit.errors import AuditEventInvalid, AuditUnavailable
from hub.auth.caller import Caller
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.errors import InvalidToken
from hub.graphql.context import RequestContext
from hub.graphql.coordinates import requested_coordinates
from hub.graphql.errors import PARSE_FAILED, VALIDATION_FAILED, code_error
from hub.graphql.loaders import Loaders
from hub.policy.engine import effective_scopes
from hub.push.feed import ChangeFeed
from hub.web.audit_trail import append_all, ensure_keys, operation_event, request_event
from hub.web.operations import Operation, operation_type
from hub.web.records import PURPOSE_HEADER, PURPOSE_MAX_LENGTH, OperationRecord, RequestInfo
from hub.web.state import HubState

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT_SECONDS = 10
log = structlog.get_logger("hub.web")


class _TokenCarrier:
    """What ``authenticate`` reads of a request: its headers (here, from ``connection_init``)."""

    def __init__(self, websocket: WebSocket, authorization: str) -> None:
        self.headers = Headers({"authorization": authorization})
        self.app = websocket.app


async def graphql_ws(websocket: WebSocket) -> None:
    if PROTOCOL not in websocket.scope.get("subprotocols", []):
        await websocket.close(code=4406, reason="Subprotocol not acceptable: use graphql-transport-ws")
        return
    await websocket.accept(subprotocol=PROTOCOL)
    await _Connection(websocket).run()


class _Connection:
    def __init__(self, websocket: WebSocket) -> None:
        self.ws = websocket
        self.state: HubState = websocket.app.state.hub
        self.caller: Caller | None = None
        self.credential: Any = websocket
        self.purpose: str | None = None
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.send_lock = asyncio.Lock()

    async def run(self) -> None:
        try:
            try:
                first = await asyncio.wait_for(self._receive(), INIT_TIMEOUT_SECONDS)
            except TimeoutError:
                await self.ws.close(code=4408, reason="Connection initialisation timeout")
                return
            if first is None or first.get("type") != "connection_init":
                await self.ws.close(code=4401, reason="Unauthorized")
                return
            if not await self._init(first.get("payload") or {}):
                return
            await self._send({"type": "connection_ack"})
            while True:
                message = await self._receive()
                if message is None:
                    await self.ws.close(code=4400, reason="Invalid message")
                    return
                kind = message.get("type")
                if kind == "ping":
                    await self._send({"type": "pong"})
                elif kind == "pong":
                    continue
                elif kind == "subscribe":
                    await self._subscribe(message)
                elif kind == "complete":
                    task = self.tasks.pop(str(message.get("id")), None)
                    if task is not None:
                        task.cancel()
                elif kind == "connection_init":
                    await self.ws.close(code=4429, reason="Too many initialisation requests")
                    return
                else:
                    await self.ws.close(code=4400, reason="Invalid message")
                    return
        except WebSocketDisconnect:
            pass
        finally:
            for task in self.tasks.values():
                task.cancel()
            for task in list(self.tasks.values()):
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _receive(self) -> dict[str, Any] | None:
        text = await self.ws.receive_text()
        try:
            message = json.loads(text)
        except json.JSONDecodeError:
            return None
        return message if isinstance(message, dict) and isinstance(message.get("type"), str) else None

    async def _send(self, message: dict[str, Any]) -> None:
        async with self.send_lock:
            await self.ws.send_text(json.dumps(message, default=str, ensure_ascii=False))

    def _info(self, request_id: str) -> RequestInfo:
        base = RequestInfo.of(self.ws, request_id)  # type: ignore[arg-type]
        return RequestInfo(request_id, base.client_address, base.user_agent, self.purpose or base.purpose)

    async def _init(self, payload: dict[str, Any]) -> bool:
        """Authenticate once, like ``POST /graphql``; refuse with 4403 (and an audit record)."""
        headers = {str(k).lower(): v for k, v in payload.items()} if isinstance(payload, dict) else {}
        purpose = headers.get(PURPOSE_HEADER.lower())
        if isinstance(purpose, str) and purpose.strip():
            self.purpose = purpose.strip()[:PURPOSE_MAX_LENGTH]
        token = headers.get("authorization")
        if self.ws.headers.get("authorization") is None and isinstance(token, str):
            self.credential = _TokenCarrier(self.ws, token)
        await ensure_keys(self.state.sessions, self.state.log_database, self.state.settings)
        try:
            self.caller = await self.state.authenticate(self.credential)
        except InvalidToken as exc:
            info = self._info(uuid.uuid4().hex)
            await append_all(self.state.sessions, [request_event(info, None, Outcome.UNAUTHENTICATED, exc.code, 0)])
            await self.ws.close(code=4403, reason="Forbidden: invalid token")
            return False
        return True

    async def _recheck(self) -> None:
        caller = await self.state.authenticate(self.credential)
        if caller != self.caller:  # narrowed scopes, another profile: start again
            raise InvalidToken("the client's grant changed: subscribe again")

    async def _subscribe(self, message: dict[str, Any]) -> None:
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            await self.ws.close(code=4400, reason="Invalid message")
            return
        if op_id in self.tasks:
            await self.ws.close(code=4409, reason=f"Subscriber for {op_id} already exists")
            return
        op = Operation(query=payload["query"], variables=payload.get("variables") or {},
                       operation_name=payload.get("operationName"))
        self.tasks[op_id] = asyncio.create_task(self._stream(op_id, op))

    async def _stream(self, op_id: str, op: Operation) -> None:
        try:
            await self._run_operation(op_id, op)
        except asyncio.CancelledError:
            raise
        except (AuditUnavailable, AuditEventInvalid) as exc:
            log.error("audit.unavailable", error=str(exc))
            await self._error(op_id, "UNAVAILABLE", "the hub cannot record this subscription in its audit log")
        except Exception:  # noqa: BLE001 - one subscription's failure must not end the others
            log.exception("subscription.failed")
            await self._error(op_id, "INTERNAL", "internal error")
        finally:
            self.tasks.pop(op_id, None)

    async def _error(self, op_id: str, code: str, message: str) -> None:
        with contextlib.suppress(Exception):
            await self._send({"id": op_id, "type": "error", "payload": [{"message": message, "extensions": {"code": code}}]})

    async def _run_operation(self, op_id: str, op: Operation) -> None:
        state, caller = self.state, cast(Caller, self.caller)
        started = time.perf_counter()
        request_id = uuid.uuid4().hex
        info = self._info(request_id)
        async with unit_of_work(state.sessions) as session:
            policy = await state.policies.in_force(SerialSession(session))
        schema = state.policies.schema_for(policy, effective_scopes(caller))
        access = state.policies.access_for(policy, caller)
        kind = operation_type(op)
        requested = requested_coordinates(state.policies.full_schema._schema, op.query)
        record = OperationRecord.begin(op, kind, requested, access)

        async def refuse(code: str, message: str, refused: list[str] | None = None) -> None:
            out = {"errors": [{"message": message, "extensions": {"code": code}}]}
            await append_all(state.sessions, [operation_event(info, caller, record.finish(out, None, started, refused=refused), state.log_database)])
            await self._send({"id": op_id, "type": "error", "payload": out["errors"]})

        if kind is not None and kind is not OperationType.SUBSCRIPTION:
            await refuse("NOT_A_SUBSCRIPTION", "send queries and mutations with POST /graphql")
            return
        full = [c for c in requested if c in access.sensitive and c in access.visible and not access.is_masked(c)]
        if full and not info.purpose:
            await refuse("PURPOSE_REQUIRED", f"{', '.join(full)} would disclose identity numbers in full: state why "
                         f"as `{PURPOSE_HEADER}` in the connection_init payload, or leave these fields out", full)
            return
        ctx = RequestContext(
            caller=caller, access=access, db=cast(SerialSession, None), settings=state.settings,
            request_id=request_id, loaders=cast(Loaders, None),
            feed=ChangeFeed(state.sessions, state.settings.subscription_poll_seconds, self._recheck),
        )
        problem = _invalid(schema, op.query)
        if problem is not None:
            await refuse(*problem)
            return
        # The subscription starts: one record, nothing served yet.
        await append_all(state.sessions, [operation_event(info, caller, record.finish({}, None, started), state.log_database)])
        stream = await schema.subscribe(op.query, variable_values=op.variables, context_value=ctx,
                                        operation_name=op.operation_name)
        async with contextlib.aclosing(stream):  # type: ignore[type-var]
            async for result in stream:
                errors = [code_error(e, request_id).formatted for e in result.errors or []]
                codes = sorted({str((e.get("extensions") or {}).get("code", "INTERNAL")) for e in errors})
                out: dict[str, Any] = {"data": result.data} if result.data is not None else {}
                if errors:
                    out["errors"] = errors
                if result.data is None and errors:
                    await append_all(state.sessions, [operation_event(info, caller, record.finish(out, None, started), state.log_database)])
                    await self._send({"id": op_id, "type": "error", "payload": errors})
                    if "INVALID_TOKEN" in codes:
                        await self.ws.close(code=4403, reason="Forbidden: the token is no longer valid")
                    return
                sent = record.finish(out, ctx.disclosure, started, error_codes=codes)
                await append_all(state.sessions, [operation_event(info, caller, sent, state.log_database)])
                await self._send({"id": op_id, "type": "next", "payload": out})
        await self._send({"id": op_id, "type": "complete"})


def _invalid(schema: Any, query: str) -> tuple[str, str] | None:
    """Parse and validate against the caller's schema (no suggestions), as HTTP does."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return PARSE_FAILED, exc.message
    errors = validate(schema._schema, document, hide_suggestions=True)
    return (VALIDATION_FAILED, errors[0].message) if errors else None
