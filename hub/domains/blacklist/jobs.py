"""Background work of the blacklist: removing entries whose three years are up
(``hub blacklist expire`` and the ``blacklist.expire`` job of ``hub serve``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.auth.caller import Caller
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.domains.blacklist import service
from hub.policy.sql import business_today
from hub.settings import Settings

#: Who the history names as the decider of an expiry.
EXPIRY_ACTOR = Caller(profile="HUB", scopes=frozenset(), client_id="hub:expiry")


async def expire_listings(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, today: date | None = None
) -> str:
    """Expire every due entry, in batches (each batch one transaction); a summary line."""
    today = today or business_today(settings.business_timezone)
    total = 0
    while True:
        async with unit_of_work(sessions, write=True) as session:
            done = await service.expire_due(SerialSession(session), service.Decider(EXPIRY_ACTOR, today))
        total += len(done)
        if len(done) < service.EXPIRY_BATCH:
            return f"expired {total} entr{'y' if total == 1 else 'ies'} (business date {today})"
