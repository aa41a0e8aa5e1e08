"""``hub serve``: run the ASGI app under uvicorn, refusing a database not at head."""

from __future__ import annotations

import asyncio

import typer
import uvicorn

from hub.console.runtime import EXIT_UNAVAILABLE, err
from hub.db.engine import create_engine
from hub.db.migrations import schema_problem
from hub.settings import get_settings


async def _problem(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return await schema_problem(engine)
    finally:
        await engine.dispose()


def serve(
    host: str | None = typer.Option(None, help="Bind address (default HUB_HOST)."),
    port: int | None = typer.Option(None, help="Port (default HUB_PORT)."),
    workers: int | None = typer.Option(None, help="Worker processes (default HUB_WORKERS)."),
) -> None:
    """Serve GraphQL at /graphql (GraphiQL for browsers), OAuth at /oauth, probes at /healthz and /readyz."""
    settings = get_settings()
    problem = asyncio.run(_problem(settings.database_url))
    if problem:
        err.print(f"[bold red]refusing to start[/]: {problem}")
        raise typer.Exit(EXIT_UNAVAILABLE)
    uvicorn.run(
        "hub.web.app:app_factory",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level=settings.log_level,
        proxy_headers=True,
    )
