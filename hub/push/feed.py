"""The change stream behind ``blacklistChanges``: follows the outbox from a sequence number,
polling the database (so it works across workers and hosts, on SQLite and PostgreSQL alike).

For each change it opens a short read transaction, points the subscription's context at it
(fresh loaders, a fresh disclosure for the audit record) and yields only changes on entries
the subscriber's row rules let it see. The transaction stays open while the change's fields
are resolved, and closes when the stream asks for the next one.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.domains.blacklist.models import BlacklistEntry
from hub.graphql.context import Disclosure, RequestContext
from hub.graphql.listing import fetch_one
from hub.graphql.loaders import Loaders
from hub.push import repository
from hub.push.models import OutboxEvent

BATCH = 50


class ChangeFeed:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        poll_seconds: float,
        recheck: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._sessions = sessions
        self._poll = poll_seconds
        self._recheck = recheck

    async def follow(self, ctx: RequestContext, after: int | None) -> AsyncIterator[OutboxEvent]:
        if after is None:
            async with unit_of_work(self._sessions) as session:
                after = await repository.head(SerialSession(session))
        cursor = after
        while True:
            found = False
            async with unit_of_work(self._sessions) as session:
                db = SerialSession(session)
                for event in await repository.events_after(db, cursor, BATCH):
                    found, cursor = True, event.id
                    ctx.db, ctx.loaders, ctx.disclosure = db, Loaders(db), Disclosure()
                    if await fetch_one(ctx, BlacklistEntry, event.entry_id) is None:
                        continue  # an entry this subscriber may not see: it never learns of it
                    if self._recheck is not None:
                        await self._recheck()  # a revoked token or disabled client stops here
                    yield event
            if not found:
                await asyncio.sleep(self._poll)
