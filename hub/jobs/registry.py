"""The periodic jobs ``hub serve`` runs. Each domain adds its own job here."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.domains.monitoring.jobs import signals_job
from hub.jobs.runner import Job
from hub.settings import Settings


def scheduled_jobs(settings: Settings) -> list[Job]:
    async def audit_checkpoint(sessions: async_sessionmaker[AsyncSession]) -> str:
        # Appends sign checkpoints as they go; this signs the tail when traffic stops.
        from hub.audit import checkpoint

        signed = await checkpoint(sessions, settings=settings, only_if_due=True, kind="periodic")
        return f"signed at seq {signed['seq']}" if signed else "nothing due"

    return [
        signals_job(settings),
        Job("audit-checkpoint", timedelta(seconds=settings.audit_checkpoint_interval_seconds), audit_checkpoint),
    ]
