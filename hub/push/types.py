"""GraphQL surface of webhooks: a client's own subscriptions and their delivery log."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from hub.graphql.context import RequestContext
from hub.push import repository
from hub.push.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

Ctx = Info[RequestContext, None]
DeliveryStatusEnum = strawberry.enum(DeliveryStatus, name="WebhookDeliveryStatus")


@strawberry.type(name="WebhookDelivery", description="One change pushed (or to be pushed) to an endpoint.")
class WebhookDeliveryType:
    id: int
    sequence: int = strawberry.field(description="The change's `BlacklistChange.sequence`.")
    status: DeliveryStatusEnum  # type: ignore[valid-type]
    attempts: int
    next_attempt_at: dt.datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: dt.datetime | None

    @classmethod
    def present(cls, d: WebhookDelivery) -> WebhookDeliveryType:
        return cls(
            id=d.id, sequence=d.event_id, status=d.status, attempts=d.attempts, next_attempt_at=d.next_attempt_at,
            last_status_code=d.last_status_code, last_error=d.last_error, delivered_at=d.delivered_at,
        )


@strawberry.type(name="Webhook", description="An HTTPS endpoint receiving `blacklistChanges` as signed JSON.")
class WebhookType:
    id: int
    url: str
    purpose: str | None
    created_at: dt.datetime
    disabled_at: dt.datetime | None

    @classmethod
    def present(cls, s: WebhookSubscription) -> WebhookType:
        return cls(id=s.id, url=s.url, purpose=s.purpose, created_at=s.created_at, disabled_at=s.disabled_at)

    @strawberry.field(description="The latest deliveries, newest first.")
    async def deliveries(self, info: Ctx, first: int = 20) -> list[WebhookDeliveryType]:
        rows = await repository.deliveries(info.context.db, subscription_ids=[self.id], limit=max(1, min(first, 200)))
        return [WebhookDeliveryType.present(d) for d in rows]


@strawberry.type
class WebhookQuery:
    @strawberry.field(description="Your client's webhook subscriptions.")
    async def webhooks(self, info: Ctx) -> list[WebhookType]:
        client_id = info.context.caller.client_id
        if client_id is None:
            return []
        return [WebhookType.present(s) for s in await repository.subscriptions(info.context.db, client_id)]
