"""Real HTTP through the ASGI app, lifespan included."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from hub.settings import Settings
from hub.web.app import create_app


@asynccontextmanager
async def hub_client(database_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    # Scheduled jobs (expiry, webhook delivery) stay off unless a test turns them on: they
    # would change rows other tests look at.
    settings = Settings(database_url=database_url, **{"jobs_enabled": False, **overrides})
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {})
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()  # type: ignore[no-any-return]
