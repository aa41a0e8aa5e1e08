"""The scheduled recomputation of the early-warning signals inside ``hub serve``."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.domains.monitoring import signals
from hub.jobs.runner import Job
from hub.settings import Settings

JOB_NAME = "signals.compute"


def signals_job(settings: Settings) -> Job:
    async def run(sessions: async_sessionmaker[AsyncSession]) -> str:
        async with unit_of_work(sessions, write=True) as session:
            result = await signals.compute(session, settings)
        return result.line()

    return Job(JOB_NAME, timedelta(seconds=settings.signals_interval_seconds), run)
