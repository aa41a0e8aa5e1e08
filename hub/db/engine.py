"""Engines and sessions. One engine per process and URL; sessions are opened by the unit of
work (a request or a command) and by nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from hub.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the writer.
    # isolation_level=None hands transaction control to the BEGIN IMMEDIATE hook below.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


WRITE_OPTION = "hub_write"


def _sqlite_begin(conn: Any) -> None:
    # A deferred transaction that later writes cannot wait for the lock (SQLite answers
    # "database is locked" at once), so a unit of work that will write says so up front
    # and takes the write lock with BEGIN IMMEDIATE, waiting up to the busy timeout.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(url: str, settings: Settings | None = None) -> AsyncEngine:
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": bool(settings and settings.db_echo)}
    if parsed.get_backend_name() == "sqlite":
        kwargs["poolclass"] = NullPool if parsed.database in (None, "", ":memory:") else None
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_size"] = settings.db_pool_size if settings else 10
        kwargs["pool_pre_ping"] = True
    engine = create_async_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(
    sessions: async_sessionmaker[AsyncSession], *, write: bool = False
) -> AsyncIterator[AsyncSession]:
    """The only place that commits: everything inside succeeds together or not at all.

    ``write=True`` takes SQLite's write lock at the start (PostgreSQL ignores the option).
    """
    async with sessions() as session:
        try:
            if write:
                await session.connection(execution_options={WRITE_OPTION: True})
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
