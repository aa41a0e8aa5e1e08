"""Audit fixtures: a fresh, migrated database per test for tests that tamper with the log
(the suite's shared database must stay verifiable), and small checkpoint settings."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.audit.event import AuditEvent, Outcome
from hub.db.engine import create_engine, session_factory
from hub.db.migrations import upgrade_with
from hub.settings import Settings
from tests.support.databases import fresh_database

#: Small enough that a handful of appends produces several checkpoints.
CHECKPOINT_EVERY = 4


@dataclass
class AuditDb:
    url: str
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def tamper(self, *statements: str, **params: object) -> None:
        """Run SQL directly with the append-only triggers out of the way."""
        async with self.engine.begin() as conn:
            if self.postgres:
                await conn.execute(text("SET LOCAL session_replication_role = replica"))
                for statement in statements:
                    await conn.execute(text(statement), params)
            else:
                triggers = [
                    row[0]
                    for row in await conn.execute(
                        text("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
                    )
                ]
                for name in await conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                ):
                    await conn.execute(text(f"DROP TRIGGER {name[0]}"))
                for statement in statements:
                    await conn.execute(text(statement), params)
                for sql in triggers:
                    await conn.execute(text(sql))


@pytest.fixture
def settings() -> Settings:
    return Settings(
        audit_checkpoint_every=CHECKPOINT_EVERY,
        audit_checkpoint_interval_seconds=3600,
        audit_hmac_key=None,
    )


@pytest.fixture(scope="session")
async def audit_template(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """One migrated database that each test's fresh database is copied from (migrating
    ~30 databases one by one would dominate the suite's time)."""
    with fresh_database(Path(tmp_path_factory.mktemp("audit-template"))) as url:
        engine = create_engine(url)
        try:
            await upgrade_with(engine)
        finally:
            await engine.dispose()
        yield url


@contextmanager
def _clone(template: str, tmp_path: Path) -> Iterator[str]:
    parsed = make_url(template)
    if parsed.get_backend_name() == "sqlite":
        target = tmp_path / "audit.db"
        shutil.copyfile(str(parsed.database), target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    name = f"hubtest_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        parsed.set(drivername="postgresql+psycopg2", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
async def audit_db(audit_template: str, tmp_path: Path) -> AsyncIterator[AuditDb]:
    """A migrated database of the suite's kind, private to the test."""
    with _clone(audit_template, tmp_path) as url:
        engine = create_engine(url)
        try:
            yield AuditDb(url=url, engine=engine, sessions=session_factory(engine))
        finally:
            await engine.dispose()


def make_event(i: int = 0, **overrides: object) -> AuditEvent:
    values: dict[str, object] = {
        "request_id": f"req-{i}",
        "profile": "HRSS",
        "operation_type": "query",
        "outcome": Outcome.OK,
        "client_id": "hrss-app",
        "token_sub": "hrss-app",
        "token_jti": f"jti-{i}",
        "scopes": ["enterprise:read", "person:read:identity"],
        "policy_version": "2026-11-01",
        "operation_name": "Enterprise",
        "document": "query Enterprise($uscc: String!) { enterprise(uscc: $uscc) { name } }",
        "variables": {"uscc": "91110000600037341L", "n": i},
        "fields_served": ["Enterprise.name", "Query.enterprise"],
        "subjects_uscc": ["91110000600037341L"],
        "row_count": 1,
        "duration_us": 1234 + i,
        "client_address": "10.0.0.1",
        "user_agent": "test-agent/1.0",
        "purpose": "case 2026-17",
    }
    values.update(overrides)
    return AuditEvent(**values)  # type: ignore[arg-type]
