"""Taking a job's lease: one atomic statement, so two workers can never both hold it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.db.types import utcnow
from hub.jobs.models import JobLease


async def acquire(sessions: async_sessionmaker[AsyncSession], name: str, holder: str, ttl: timedelta) -> bool:
    """True if ``holder`` now holds the lease of ``name`` for ``ttl``."""
    now = utcnow()
    try:
        async with unit_of_work(sessions, write=True) as session:
            if await session.scalar(select(JobLease.name).where(JobLease.name == name)) is None:
                session.add(JobLease(name=name, holder=holder, expires_at=now + ttl))
                return True
            result = await session.execute(
                update(JobLease)
                .where(JobLease.name == name, or_(JobLease.expires_at < now, JobLease.holder == holder))
                .values(holder=holder, expires_at=now + ttl)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]
    except IntegrityError:  # another worker inserted the first lease at the same moment
        return False


async def finish(sessions: async_sessionmaker[AsyncSession], name: str, holder: str, outcome: str, at: datetime) -> None:
    async with unit_of_work(sessions, write=True) as session:
        await session.execute(
            update(JobLease).where(JobLease.name == name, JobLease.holder == holder)
            .values(last_run_at=at, last_outcome=outcome[:200])
        )
