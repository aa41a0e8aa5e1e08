"""The outbox, webhook subscriptions, and the log of their deliveries and attempts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, UTCDateTime, utcnow

BLACKLIST_TOPIC = "blacklist"


class OutboxEvent(IdMixin, Base):
    """One decision to push, written in the decision's transaction. ``id`` is the event's
    sequence number: subscribers resume after the last one they saw."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_topic_id", "topic", "id"),)

    topic: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[int] = mapped_column(BigID, ForeignKey("blacklist_entries.id"))
    decision_id: Mapped[int] = mapped_column(BigID, ForeignKey("blacklist_decisions.id"))
    action: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookSubscription(IdMixin, Base):
    """A client's HTTPS endpoint. ``secret`` signs the deliveries (HMAC-SHA256), so the hub
    must keep it readable; it is shown to the client once, at registration."""

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (Index("ix_webhook_subscriptions_client_id", "client_id"),)

    client_id: Mapped[str] = mapped_column(String(64), ForeignKey("oauth2_clients.client_id"))
    topic: Mapped[str] = mapped_column(String(40), default=BLACKLIST_TOPIC)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeliveryStatus(enum.Enum):
    PENDING = "PENDING"  # waiting for its (next) attempt
    DELIVERED = "DELIVERED"  # the endpoint answered 2xx
    FAILED = "FAILED"  # gave up after the last attempt; `hub webhooks redeliver` revives it
    SKIPPED = "SKIPPED"  # nothing the subscriber may see (entry hidden, client disabled)


class WebhookDelivery(IdMixin, Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    subscription_id: Mapped[int] = mapped_column(BigID, ForeignKey("webhook_subscriptions.id"))
    event_id: Mapped[int] = mapped_column(BigID, ForeignKey("outbox_events.id"), index=True)
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebhookAttempt(IdMixin, Base):
    """The delivery log: one row per HTTP attempt, kept with its outcome."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_delivery_id_id", "delivery_id", "id"),)

    delivery_id: Mapped[int] = mapped_column(BigID, ForeignKey("webhook_deliveries.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(default=0)
    request_id: Mapped[str] = mapped_column(String(100))
