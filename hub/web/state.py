"""What the application holds for its lifetime: settings, the engine and session factory,
the policy service (with its per-scope-set schema cache) and the authenticator. Nothing
here is state shared between workers: each builds its own from the database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import Request

from hub.auth.caller import Caller
from hub.policy.service import PolicyService
from hub.settings import Settings

Authenticate = Callable[[Request], Awaitable[Caller]]


@dataclass(slots=True)
class HubState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    policies: PolicyService
    authenticate: Authenticate
    #: The audit log's database as the log names it (its key hashes the subjects).
    log_database: str
