"""Webhook subscriptions: registering an endpoint, the signature every delivery carries, the
backoff between attempts, and replaying deliveries. Services never commit.

The signature (documented in the README with a verification snippet)::

    X-Hub-Timestamp: 1767225600                     # Unix seconds when the attempt was signed
    X-Hub-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets as _random
import time
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError

from hub.db.serial import SerialSession
from hub.db.types import utcnow
from hub.errors import Conflict, InvalidInput, NotFound
from hub.push import repository
from hub.push.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from hub.settings import Settings

SIGNATURE_HEADER = "X-Hub-Signature"
TIMESTAMP_HEADER = "X-Hub-Timestamp"
EVENT_HEADER = "X-Hub-Event"
DELIVERY_HEADER = "X-Hub-Delivery"
SIGNATURE_VERSION = "v1"
MAX_SUBSCRIPTIONS_PER_CLIENT = 5
_LOOPBACK_NAMES = {"localhost"}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={mac}"


def verify(secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does (the README shows the same in a few lines): a fresh timestamp and a
    matching signature, compared in constant time."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, settings: Settings) -> str:
    """HTTPS only; plain http to a loopback host when ``HUB_WEBHOOK_ALLOW_LOOPBACK_HTTP`` is on."""
    url = url.strip()
    parts = urlsplit(url)
    if not parts.hostname or parts.username or parts.password or len(url) > 500:
        raise InvalidInput("a webhook URL is an absolute https URL without credentials", field="url")
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and settings.webhook_allow_loopback_http and _is_loopback(parts.hostname):
        return url
    raise InvalidInput("webhook endpoints must be https", field="url")


def backoff_seconds(attempts: int, settings: Settings) -> float:
    """Wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, ... up to the maximum."""
    return float(min(settings.webhook_backoff_base_seconds * 2 ** max(0, attempts - 1), settings.webhook_backoff_max_seconds))


async def register(
    db: SerialSession, client_id: str, url: str, purpose: str | None, settings: Settings
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its signing secret (shown once)."""
    existing = [s for s in await repository.subscriptions(db, client_id) if s.disabled_at is None]
    if len(existing) >= MAX_SUBSCRIPTIONS_PER_CLIENT:
        raise Conflict(f"a client may hold {MAX_SUBSCRIPTIONS_PER_CLIENT} active webhook subscriptions", field="url")
    checked = validate_url(url, settings)
    if any(s.url == checked for s in existing):
        raise Conflict("this endpoint is already subscribed", field="url")
    secret = "whsec_" + _random.token_urlsafe(32)
    sub = WebhookSubscription(
        client_id=client_id, url=checked, secret=secret,
        purpose=(purpose or "").strip()[:500] or None,
    )
    db.add(sub)
    await db.flush()
    return sub, secret


async def disable(db: SerialSession, sub_id: int, client_id: str | None = None) -> WebhookSubscription:
    sub = await repository.subscription(db, sub_id)
    if sub is None or (client_id is not None and sub.client_id != client_id):
        raise NotFound("no such webhook subscription", field="id")
    if sub.disabled_at is None:
        sub.disabled_at = utcnow()
        await db.flush()
    return sub


async def redeliver(
    db: SerialSession, *, delivery_ids: Sequence[int] = (), subscription_id: int | None = None,
    since_event: int | None = None, failed: bool = False, now: datetime | None = None,
) -> int:
    """Put deliveries back in the queue, due now. With ``subscription_id`` and ``since_event``
    it also creates deliveries for events the subscription never had (e.g. it was created
    later, or was disabled at the time). Returns how many deliveries are queued."""
    now = now or utcnow()
    queued: list[WebhookDelivery] = []
    for delivery_id in delivery_ids:
        found = await repository.delivery(db, delivery_id)
        if found is None:
            raise NotFound(f"no delivery {delivery_id}")
        queued.append(found)
    if failed:
        queued += await repository.deliveries(db, status=DeliveryStatus.FAILED, limit=10_000)
    if subscription_id is not None:
        sub = await repository.subscription(db, subscription_id)
        if sub is None:
            raise NotFound(f"no webhook subscription {subscription_id}")
        after = since_event if since_event is not None else 0
        for event in await repository.events_after(db, after, 10_000):
            existing = await repository.delivery_for(db, sub.id, event.id)
            if existing is None:
                existing = WebhookDelivery(subscription_id=sub.id, event_id=event.id, status=DeliveryStatus.PENDING)
                db.add(existing)
            queued.append(existing)
    for d in queued:
        d.status, d.next_attempt_at, d.claimed_until = DeliveryStatus.PENDING, now, None
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict("deliveries changed while being queued again: try again") from None
    return len({id(d) for d in queued})
