"""Probes for orchestrators: ``/healthz`` says the process is up; ``/readyz`` says it can
serve (the database answers and is at the migration head), or 503 with the reason."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.db.migrations import schema_problem


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    problem = await schema_problem(request.app.state.hub.engine)
    if problem:
        return JSONResponse({"status": "unavailable", "reason": problem}, status_code=503)
    return JSONResponse({"status": "ready"})
