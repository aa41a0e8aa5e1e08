"""The periodic jobs ``hub serve`` runs. Each domain adds its own job here."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.domains.monitoring.jobs import signals_job
from hub.jobs.runner import Job
from hub.policy.service import PolicyService
from hub.settings import Settings


def scheduled_jobs(settings: Settings, policies: PolicyService | None = None) -> list[Job]:
    from hub.domains.blacklist.jobs import expire_listings
    from hub.push.delivery import deliver_due

    shared = policies or PolicyService(settings)

    async def expire(sessions: async_sessionmaker[AsyncSession]) -> str:
        return await expire_listings(sessions, settings)

    async def deliver(sessions: async_sessionmaker[AsyncSession]) -> str:
        return await deliver_due(sessions, settings, shared)

    async def audit_checkpoint(sessions: async_sessionmaker[AsyncSession]) -> str:
        # Appends sign checkpoints as they go; this signs the tail when traffic stops.
        from hub.audit import checkpoint

        signed = await checkpoint(sessions, settings=settings, only_if_due=True, kind="periodic")
        return f"signed at seq {signed['seq']}" if signed else "nothing due"

    return [
        signals_job(settings),
        Job("audit-checkpoint", timedelta(seconds=settings.audit_checkpoint_interval_seconds), audit_checkpoint),
        Job("blacklist.expire", timedelta(seconds=settings.blacklist_expiry_interval_seconds), expire),
        Job("webhooks.deliver", timedelta(seconds=settings.webhook_interval_seconds), deliver),
    ]
