"""Fixtures shared by the whole suite: one fresh, migrated database per test session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.db.engine import create_engine, session_factory
from hub.db.migrations import upgrade_with
from tests.support.databases import fresh_database
from tests.support.http import hub_client
from tests.support.tokens import bearer_for


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(Path(tmp_path_factory.mktemp("db"))) as url:
        yield url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade_with(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture(scope="session")
async def client(database_url: str, engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    async with hub_client(database_url) as c:
        yield c


@pytest.fixture(scope="session")
async def hrss(client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """Authorization headers of an HRSS client (the broadest business profile)."""
    return await bearer_for(client, sessions, "HRSS")
