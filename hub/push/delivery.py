"""Posting due webhook deliveries: the job ``hub serve`` runs (and ``hub webhooks deliver``).

Safe with several workers and hosts: the job's lease lets one process run it at a time, and
each delivery is also claimed with one atomic UPDATE, so even an overlapping run never posts
the same delivery twice at once. Deliveries are at least once: receivers de-duplicate on
``X-Hub-Event`` (the sequence number).

One attempt: build the body with the subscriber's policy (``payload``), append the audit
record of what it discloses (fail closed: no record, no send), POST it signed, then log the
attempt and schedule the next one with exponential backoff, or give up after
``HUB_WEBHOOK_MAX_ATTEMPTS`` (FAILED; ``hub webhooks redeliver`` revives it).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.audit.errors import AuditEventInvalid, AuditUnavailable
from hub.audit.store import database_key
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.db.types import utcnow
from hub.policy.service import PolicyService
from hub.push import payload, repository
from hub.push.models import DeliveryStatus, WebhookAttempt
from hub.push.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    backoff_seconds,
    sign,
)
from hub.settings import Settings
from hub.web.audit_trail import append_all, ensure_keys, operation_event
from hub.web.records import RequestInfo

log = structlog.get_logger("hub.push")
USER_AGENT = "wage-data-hub-webhooks/1"
BATCH = 50


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    policies: PolicyService,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    now: datetime | None = None,
    subscription_ids: Sequence[int] | None = None,
) -> str:
    """Attempt the deliveries due at ``now`` (a batch; of these subscriptions only, if given);
    a one-line summary."""
    now = now or utcnow()
    # Long enough for the whole batch to time out one by one: a claim never lapses mid-run.
    claim_until = now + timedelta(seconds=(settings.webhook_timeout_seconds + 5) * BATCH + 60)
    async with unit_of_work(sessions, write=True) as session:
        db = SerialSession(session)
        claimed = [i for i in await repository.due_ids(db, now, BATCH, subscription_ids) if await repository.claim(db, i, now, claim_until)]
    outcomes: Counter[str] = Counter()
    if claimed:
        await ensure_keys(sessions, database_key(sessions), settings)
        async with httpx.AsyncClient(timeout=settings.webhook_timeout_seconds, transport=transport,
                                     follow_redirects=False) as http:
            for delivery_id in claimed:
                outcomes[await _attempt(sessions, settings, policies, http, delivery_id)] += 1
    return ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "nothing due"


async def _attempt(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, policies: PolicyService,
    http: httpx.AsyncClient, delivery_id: int,
) -> str:
    async with unit_of_work(sessions) as session:
        db = SerialSession(session)
        delivery = await repository.delivery(db, delivery_id)
        assert delivery is not None
        attempt_no = delivery.attempts + 1
        request_id = f"webhook-{delivery_id}-{attempt_no}"
        sub = await repository.subscription(db, delivery.subscription_id)
        client = await repository.client(db, sub.client_id) if sub else None
        event = await repository.event(db, delivery.event_id)
        if sub is None or client is None or event is None or sub.disabled_at or client.disabled_at:
            built = None
        else:
            built = await payload.build(db, policies, settings, sub, client, event, request_id)
    if built is None or built.body is None or built.record is None:
        await _finish(sessions, delivery_id, DeliveryStatus.SKIPPED, None, "nothing this subscriber may see", 0, request_id)
        return "skipped"
    assert sub is not None
    info = RequestInfo(request_id=request_id, client_address=None, user_agent=USER_AGENT, purpose=sub.purpose)
    try:
        await append_all(sessions, [operation_event(info, built.caller, built.record, database_key(sessions))])
    except (AuditUnavailable, AuditEventInvalid) as exc:
        log.error("webhook.audit_unavailable", delivery=delivery_id, error=str(exc))
        await _retry(sessions, settings, delivery_id, None, "the audit log is unavailable: not sent", 0, request_id)
        return "retrying"
    body = json.dumps(built.body, separators=(",", ":"), ensure_ascii=False, default=str).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json", "User-Agent": USER_AGENT, EVENT_HEADER: str(built.body["sequence"]),
        DELIVERY_HEADER: str(delivery_id), TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(sub.secret, timestamp, body),
    }
    started = time.perf_counter()
    code: int | None = None
    try:
        response = await http.post(sub.url, content=body, headers=headers)
        code, error = response.status_code, None if response.is_success else f"HTTP {response.status_code}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    ms = int((time.perf_counter() - started) * 1000)
    if error is None:
        await _finish(sessions, delivery_id, DeliveryStatus.DELIVERED, code, None, ms, request_id)
        return "delivered"
    log.warning("webhook.attempt_failed", delivery=delivery_id, url=sub.url, error=error)
    return await _retry(sessions, settings, delivery_id, code, error, ms, request_id)


async def _finish(
    sessions: async_sessionmaker[AsyncSession], delivery_id: int, status: DeliveryStatus, code: int | None,
    error: str | None, ms: int, request_id: str,
) -> None:
    async with unit_of_work(sessions, write=True) as session:
        db = SerialSession(session)
        d = await repository.delivery(db, delivery_id)
        assert d is not None
        d.status, d.claimed_until, d.last_status_code, d.last_error = status, None, code, error
        if status is DeliveryStatus.DELIVERED:
            d.attempts, d.delivered_at = d.attempts + 1, utcnow()
            db.add(WebhookAttempt(delivery_id=d.id, status_code=code, error=None, duration_ms=ms, request_id=request_id))
        await db.flush()


async def _retry(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, delivery_id: int, code: int | None,
    error: str, ms: int, request_id: str,
) -> str:
    async with unit_of_work(sessions, write=True) as session:
        db = SerialSession(session)
        d = await repository.delivery(db, delivery_id)
        assert d is not None
        d.attempts += 1
        d.claimed_until, d.last_status_code, d.last_error = None, code, error
        db.add(WebhookAttempt(delivery_id=d.id, status_code=code, error=error, duration_ms=ms, request_id=request_id))
        if d.attempts >= settings.webhook_max_attempts:
            d.status = DeliveryStatus.FAILED
            outcome = "failed"
        else:
            d.next_attempt_at = utcnow() + timedelta(seconds=backoff_seconds(d.attempts, settings))
            outcome = "retrying"
        await db.flush()
    return outcome
