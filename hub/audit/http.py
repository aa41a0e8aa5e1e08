"""``GET /audit/checkpoints``: the signed checkpoints and the public keys that verify them.

Published so that auditors (and any department) can keep copies outside the hub's database:
a held checkpoint is what catches a history rewritten by someone with database access.
Query parameters: ``after`` (only checkpoints with a larger seq), ``limit`` (default 100,
at most 1000). Newest first. The integrator mounts ``checkpoints_route(engine)``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.audit import checkpoints as cps
from hub.audit.errors import AuditUnavailable
from hub.audit.hashing import CHECKPOINT_PREFIX, GENESIS_HASH
from hub.audit.keys import public_keys
from hub.audit.store import Target, sessions_for

PATH = "/audit/checkpoints"


def _int(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = int(raw)  # ValueError -> 400 below
    if not low <= value <= high:
        raise ValueError(name)
    return value


def checkpoints_endpoint(target: Target) -> Callable[[Request], Awaitable[Response]]:
    sessions = sessions_for(target)

    async def endpoint(request: Request) -> Response:
        try:
            after = _int(request, "after", None, 0, 2**62)
            limit = _int(request, "limit", cps.DEFAULT_LIST_LIMIT, 1, cps.MAX_LIST_LIMIT)
        except ValueError:
            return JSONResponse(
                {"error": {"code": "BAD_USER_INPUT", "message": "after/limit out of range"}},
                status_code=400,
            )
        try:
            async with sessions() as session:
                items = await cps.list_checkpoints(
                    session, after_seq=after, limit=limit, newest_first=True
                )
                keys = await public_keys(session)
        except Exception:  # noqa: BLE001 - a database failure is a 503, never a stack trace
            error = AuditUnavailable("audit log unavailable")
            return JSONResponse({"error": error.as_extensions()}, status_code=503)
        return JSONResponse(
            {
                "algorithm": "ed25519",
                "message_prefix": CHECKPOINT_PREFIX.decode("ascii").rstrip("\x00"),
                "genesis": GENESIS_HASH,
                "keys": keys,
                "checkpoints": items,
            },
            headers={"Cache-Control": "no-store"},
        )

    return endpoint


def checkpoints_route(target: Target, path: str = PATH) -> Route:
    return Route(path, checkpoints_endpoint(target), methods=["GET"], name="audit_checkpoints")
