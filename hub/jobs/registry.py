"""The periodic jobs ``hub serve`` runs. Each domain adds its own job here."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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

    return [
        Job("blacklist.expire", timedelta(seconds=settings.blacklist_expiry_interval_seconds), expire),
        Job("webhooks.deliver", timedelta(seconds=settings.webhook_interval_seconds), deliver),
    ]
