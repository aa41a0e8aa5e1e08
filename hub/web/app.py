"""The ASGI application: every route of the hub, and the lifespan that owns the engine."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from hub.audit import checkpoints_endpoint, load_keyring
from hub.audit.store import database_key
from hub.auth.bearer import authenticate
from hub.auth.caller import Caller
from hub.db.engine import create_engine, session_factory
from hub.jobs.registry import scheduled_jobs
from hub.jobs.runner import run_forever
from hub.logging import configure_logging
from hub.oauth2.routes import oauth_routes
from hub.oauth2.runtime import install as install_oauth2
from hub.policy.service import PolicyService, ensure_shipped_policy
from hub.settings import Settings, get_settings
from hub.web import graphql_endpoint, health, subscriptions
from hub.web.graphiql import STATIC_DIR
from hub.web.state import HubState

log = structlog.get_logger("hub.web")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, settings)
        sessions = session_factory(engine)
        policies = PolicyService(settings)
        app.state.sessions, app.state.settings = sessions, settings
        oauth2 = install_oauth2(app, sessions=sessions, settings=settings)

        async def authenticate_request(request: Request) -> Caller:
            return await authenticate(request, oauth2)

        app.state.hub = HubState(
            settings=settings,
            engine=engine,
            sessions=sessions,
            policies=policies,
            authenticate=authenticate_request,
            log_database=database_key(sessions),
        )
        try:
            await ensure_shipped_policy(policies, sessions)
            await load_keyring(engine, settings=settings)
        except Exception:  # noqa: BLE001 - an unmigrated database: /readyz says why
            log.warning("startup.database_not_ready")
        jobs = scheduled_jobs(settings, policies) if settings.jobs_enabled else []
        runner = asyncio.create_task(run_forever(sessions, jobs, settings.jobs_tick_seconds)) if jobs else None
        try:
            yield
        finally:
            if runner is not None:
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
            await oauth2.aclose()
            await engine.dispose()

    routes = [
        Route("/graphql", graphql_endpoint.graphql_post, methods=["POST"]),
        Route("/graphql", graphql_endpoint.graphql_get, methods=["GET"]),
        WebSocketRoute("/graphql", subscriptions.graphql_ws),
        *oauth_routes(),
        Route("/audit/checkpoints", _audit_checkpoints, methods=["GET"]),
        Route("/healthz", health.healthz, methods=["GET"]),
        Route("/readyz", health.readyz, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan, max_body_size=settings.max_body_bytes)


async def _audit_checkpoints(request: Request) -> Response:
    """Signed checkpoints and the public keys, for anyone who wants to hold the hub to them."""
    return await checkpoints_endpoint(request.app.state.hub.sessions)(request)


def app_factory() -> Starlette:
    """Entry point for ``uvicorn --factory hub.web.app:app_factory`` (each worker builds its own)."""
    return create_app()
