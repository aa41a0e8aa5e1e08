"""``blacklistChanges``: every decision on an entry the subscriber may see, in order, as it
happens. The stream is the outbox (``hub.push``): a subscriber that passes the ``sequence``
of the last change it saw (``after``) gets every change since, so a reconnect loses nothing.

The same type carries webhook deliveries: ``hub.push.payload`` executes the subscriber's
selection on one change, exactly as the websocket stream does for each change it yields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator

import strawberry
from strawberry.types import Info

from hub.domains.blacklist.models import BlacklistDecision, BlacklistEntry, DecisionAction
from hub.domains.blacklist.types import BlacklistDecisionType, BlacklistEntryType, DecisionActionEnum
from hub.errors import Unavailable
from hub.graphql.context import RequestContext
from hub.graphql.listing import present_one
from hub.push.models import OutboxEvent

Ctx = Info[RequestContext, None]


@strawberry.type(name="BlacklistChange", description="One decision on a blacklist entry, pushed as it happens.")
class BlacklistChangeType:
    sequence: int = strawberry.field(description="Position in the stream: resume with `blacklistChanges(after:)`.")
    action: DecisionActionEnum  # type: ignore[valid-type]
    occurred_at: dt.datetime
    _event: strawberry.Private[OutboxEvent]

    @classmethod
    def of(cls, event: OutboxEvent) -> BlacklistChangeType:
        return cls(sequence=event.id, action=DecisionAction(event.action), occurred_at=event.created_at, _event=event)

    @strawberry.field(description="The decision.")
    async def decision(self, info: Ctx) -> BlacklistDecisionType | None:
        d = await info.context.loaders.by_id(BlacklistDecision, self._event.decision_id)
        return BlacklistDecisionType.present(d) if d else None

    @strawberry.field(description="The entry as it is now, as the subscriber's policy shows it.")
    async def entry(self, info: Ctx) -> BlacklistEntryType | None:
        return await present_one(info.context, BlacklistEntry, self._event.entry_id, BlacklistEntryType.present)


@strawberry.type
class BlacklistSubscription:
    @strawberry.subscription(description="Decisions on the entries you may see, oldest first. Without "
                             "`after`, from now on; with it, every change after that sequence number.")
    async def blacklist_changes(self, info: Ctx, after: int | None = None) -> AsyncGenerator[BlacklistChangeType, None]:
        ctx = info.context
        if ctx.feed is None:
            raise Unavailable("subscriptions are served over the graphql-transport-ws websocket at /graphql")
        async for event in ctx.feed.follow(ctx, after):
            yield BlacklistChangeType.of(event)
