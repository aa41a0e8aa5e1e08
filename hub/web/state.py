"""What the application holds for its lifetime: settings, the engine and session factory,
and the per-caller schemas. Nothing here is shared state between workers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.graphql.schema import HubSchema
from hub.settings import Settings


@dataclass(slots=True)
class HubState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    schema: HubSchema
