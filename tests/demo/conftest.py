"""The demo is loaded once per test session into the session's database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from hub.demo import DemoSummary, generate_demo, load_demo
from hub.demo.rows import DemoData


@pytest.fixture(scope="session")
def demo_data() -> DemoData:
    return generate_demo()


@pytest.fixture(scope="session")
async def demo(sessions: async_sessionmaker[AsyncSession], demo_data: DemoData) -> DemoSummary:
    return await load_demo(sessions, demo_data)


@pytest.fixture(scope="session")
def demo_usccs(demo_data: DemoData) -> frozenset[str]:
    """Only to scope queries to the demo's rows, should other tests share the database."""
    return frozenset(e["uscc"] for e in demo_data.enterprises)


async def fetch(sessions: async_sessionmaker[AsyncSession], stmt: Executable) -> Sequence[Row[Any]]:
    async with sessions() as session:
        return (await session.execute(stmt)).all()
