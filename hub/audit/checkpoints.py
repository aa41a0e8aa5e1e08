"""Signed checkpoints: the hub's Ed25519 signature over (seq, head hash, time, kind).

A checkpoint pins the whole chain up to ``seq``: whoever holds it (an auditor who fetched
``GET /audit/checkpoints``, an old export) can later prove that records up to ``seq`` were not
rewritten, even by someone who recomputed every hash after them.

Kinds: ``periodic`` (every ``HUB_AUDIT_CHECKPOINT_EVERY`` records or
``HUB_AUDIT_CHECKPOINT_INTERVAL_SECONDS``), ``manual`` (``hub audit checkpoint``), ``prune``
(the anchor left at the cut by ``hub audit prune``; verification starts there).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.canonical import format_time
from hub.audit.hashing import checkpoint_message
from hub.audit.keys import KeyRing
from hub.audit.models import AuditChainHead, AuditCheckpoint
from hub.settings import Settings

KIND_PERIODIC = "periodic"
KIND_MANUAL = "manual"
KIND_PRUNE = "prune"
DEFAULT_LIST_LIMIT = 100
MAX_LIST_LIMIT = 1000


def is_due(head: AuditChainHead, now: datetime, settings: Settings) -> bool:
    """A periodic checkpoint is due when records are unsigned and enough of them, or enough
    time, has passed since the last one."""
    unsigned = head.seq - head.checkpoint_seq
    if unsigned <= 0:
        return False
    if unsigned >= settings.audit_checkpoint_every or head.checkpoint_at is None:
        return True
    return now - head.checkpoint_at >= timedelta(seconds=settings.audit_checkpoint_interval_seconds)


async def sign(
    session: AsyncSession, ring: KeyRing, *, seq: int, head: str, at: datetime, kind: str
) -> AuditCheckpoint:
    """Sign and store a checkpoint (the caller holds the chain-head lock)."""
    time = format_time(at)
    message = checkpoint_message(
        seq=seq, head=head, time=time, kind=kind, key_id=ring.signing_key_id
    )
    row = AuditCheckpoint(
        seq=seq,
        head=head,
        signed_at=at,
        kind=kind,
        key_id=ring.signing_key_id,
        signature=ring.sign(message),
    )
    session.add(row)
    return row


def as_dict(row: AuditCheckpoint) -> dict[str, Any]:
    """The published form of a checkpoint: everything a verifier needs with the public key."""
    return {
        "seq": row.seq,
        "head": row.head,
        "time": format_time(row.signed_at),
        "kind": row.kind,
        "key_id": row.key_id,
        "signature": row.signature,
    }


async def list_checkpoints(
    session: AsyncSession,
    *,
    after_seq: int | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[dict[str, Any]]:
    query = select(AuditCheckpoint)
    if after_seq is not None:
        query = query.where(AuditCheckpoint.seq > after_seq)
    order = (
        (AuditCheckpoint.seq.desc(), AuditCheckpoint.id.desc())
        if newest_first
        else (
            AuditCheckpoint.seq,
            AuditCheckpoint.id,
        )
    )
    query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [as_dict(row) for row in (await session.scalars(query)).all()]


async def latest_before(session: AsyncSession, seq: int) -> AuditCheckpoint | None:
    """The newest checkpoint at or before ``seq`` (a starting anchor for partial checks)."""
    query = (
        select(AuditCheckpoint)
        .where(AuditCheckpoint.seq <= seq)
        .order_by(AuditCheckpoint.seq.desc(), AuditCheckpoint.id.desc())
        .limit(1)
    )
    return await session.scalar(query)
