"""All SQL of pushing: the outbox, subscriptions, deliveries and their attempts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, text, update

from hub.clients.models import OAuthClient
from hub.db.serial import SerialSession
from hub.push.models import (
    BLACKLIST_TOPIC,
    DeliveryStatus,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

#: PostgreSQL advisory lock that orders outbox writers (see ``record_event``).
OUTBOX_LOCK = 0x0B1AC_0017


async def record_event(db: SerialSession, entry_id: int, decision_id: int, action: str) -> OutboxEvent:
    """The outbox row of a decision and one pending delivery per active webhook subscription,
    in the caller's transaction: the decision and its push commit together or not at all.

    Sequence numbers must become visible in order, or a subscriber following ``id > cursor``
    could pass over an event whose transaction commits late. On PostgreSQL writers therefore
    take a transaction-scoped advisory lock before drawing the id (decisions are rare; the
    wait is short); SQLite has one writer at a time anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        await db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OUTBOX_LOCK})
    event = OutboxEvent(topic=BLACKLIST_TOPIC, entry_id=entry_id, decision_id=decision_id, action=action)
    db.add(event)
    await db.flush()
    for sub_id in await active_subscription_ids(db):
        db.add(WebhookDelivery(subscription_id=sub_id, event_id=event.id, status=DeliveryStatus.PENDING,
                               next_attempt_at=event.created_at))
    await db.flush()
    return event


async def active_subscription_ids(db: SerialSession) -> list[int]:
    stmt = (
        select(WebhookSubscription.id)
        .join(OAuthClient, OAuthClient.client_id == WebhookSubscription.client_id)
        .where(WebhookSubscription.topic == BLACKLIST_TOPIC, WebhookSubscription.disabled_at.is_(None),
               OAuthClient.disabled_at.is_(None))
        .order_by(WebhookSubscription.id)
    )
    return list((await db.scalars(stmt)).all())


async def head(db: SerialSession) -> int:
    """The sequence number of the newest event (0 when there is none)."""
    return int(await db.scalar(select(func.coalesce(func.max(OutboxEvent.id), 0))) or 0)


async def events_after(db: SerialSession, after: int, limit: int) -> list[OutboxEvent]:
    stmt = select(OutboxEvent).where(OutboxEvent.id > after).order_by(OutboxEvent.id).limit(limit)
    return list((await db.scalars(stmt)).all())


async def event(db: SerialSession, event_id: int) -> OutboxEvent | None:
    return await db.scalar(select(OutboxEvent).where(OutboxEvent.id == event_id))  # type: ignore[no-any-return]


# -- subscriptions --------------------------------------------------------------------------


async def subscription(db: SerialSession, sub_id: int) -> WebhookSubscription | None:
    return await db.scalar(select(WebhookSubscription).where(WebhookSubscription.id == sub_id))  # type: ignore[no-any-return]


async def subscriptions(db: SerialSession, client_id: str | None = None) -> list[WebhookSubscription]:
    stmt = select(WebhookSubscription).order_by(WebhookSubscription.id)
    if client_id is not None:
        stmt = stmt.where(WebhookSubscription.client_id == client_id)
    return list((await db.scalars(stmt)).all())


async def client(db: SerialSession, client_id: str) -> OAuthClient | None:
    return await db.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))  # type: ignore[no-any-return]


# -- deliveries -----------------------------------------------------------------------------


async def due_ids(db: SerialSession, now: datetime, limit: int, subscription_ids: Sequence[int] | None = None) -> list[int]:
    stmt = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now,
               or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    if subscription_ids is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id.in_(subscription_ids))
    return list((await db.scalars(stmt)).all())


async def claim(db: SerialSession, delivery_id: int, now: datetime, until: datetime) -> bool:
    """Take one delivery for an attempt; atomic, so two workers never post it at once."""
    result = await db.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == DeliveryStatus.PENDING,
               or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now))
        .values(claimed_until=until)
    )
    return bool(result.rowcount)


async def delivery(db: SerialSession, delivery_id: int) -> WebhookDelivery | None:
    return await db.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id))  # type: ignore[no-any-return]


async def deliveries(
    db: SerialSession, *, subscription_ids: Sequence[int] | None = None, status: DeliveryStatus | None = None,
    since_event: int | None = None, limit: int = 100,
) -> list[WebhookDelivery]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if subscription_ids is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id.in_(subscription_ids))
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if since_event is not None:
        stmt = stmt.where(WebhookDelivery.event_id > since_event)
    return list((await db.scalars(stmt)).all())


async def delivery_for(db: SerialSession, sub_id: int, event_id: int) -> WebhookDelivery | None:
    stmt = select(WebhookDelivery).where(WebhookDelivery.subscription_id == sub_id, WebhookDelivery.event_id == event_id)
    return await db.scalar(stmt)  # type: ignore[no-any-return]


async def attempts(db: SerialSession, delivery_id: int) -> list[WebhookAttempt]:
    stmt = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.id)
    return list((await db.scalars(stmt)).all())
