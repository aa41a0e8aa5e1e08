"""Verify the chain stored in the database: reads rows in one consistent snapshot and feeds
them to the pure verifier (``verify.ChainVerifier``). The verifier never sees SQLAlchemy.

Where verification starts (the *anchor*): genesis; after a prune, the ``prune`` checkpoint at
the cut; with ``from_seq``, the newest signed checkpoint before ``from_seq`` (so even a partial
check rests on a signature, not on a stored ``prev_hash``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit import checkpoints as cps
from hub.audit.hashing import document_hash
from hub.audit.keys import public_keys
from hub.audit.models import AuditCheckpoint, AuditDocument, AuditRecord
from hub.audit.store import Target, read_head, record_dict, sessions_for
from hub.audit.verify import ChainVerifier, Head, Problem, Report

BATCH = 1000


@asynccontextmanager
async def snapshot(target: Target) -> AsyncIterator[AsyncSession]:
    """A read-only transaction that sees one state of the log (REPEATABLE READ on
    PostgreSQL; a SQLite read transaction in WAL mode is a snapshot already)."""
    async with sessions_for(target)() as session:
        if session.bind.dialect.name == "postgresql":
            await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        try:
            yield session
        finally:
            await session.rollback()


async def anchor_for(
    session: AsyncSession, pruned_through: int, from_seq: int | None
) -> dict[str, Any] | None:
    """The signed checkpoint verification starts from (``None``: genesis)."""
    floor = pruned_through
    if from_seq is not None and from_seq - 1 > floor:
        row = await cps.latest_before(session, from_seq - 1)
        if row is not None and row.seq >= floor:
            return cps.as_dict(row)
    if floor == 0:
        return None
    row = await session.scalar(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.seq == floor, AuditCheckpoint.kind == cps.KIND_PRUNE)
        .limit(1)
    )
    # A missing prune anchor makes the verifier report ANCHOR_INVALID.
    return cps.as_dict(row) if row else {"seq": floor, "head": ""}


async def verify_database(target: Target, *, from_seq: int | None = None) -> Report:
    async with snapshot(target) as session:
        head = await read_head(session)
        anchor = await anchor_for(session, head.pruned_through_seq, from_seq)
        verifier = ChainVerifier(
            checkpoints=await cps.list_checkpoints(session),
            public_keys=await public_keys(session),
            anchor=anchor,
        )
        documents = await session.stream_scalars(
            select(AuditDocument).execution_options(yield_per=BATCH)
        )
        async for doc in documents:
            if document_hash(doc.text) != doc.sha256:
                verifier.fail(
                    Problem(
                        "DOCUMENT_ALTERED", None, f"document {doc.sha256} does not hash to its name"
                    )
                )
                break
        start = anchor["seq"] if anchor else 0
        rows = await session.stream_scalars(
            select(AuditRecord)
            .where(AuditRecord.seq > start)
            .order_by(AuditRecord.seq, AuditRecord.recorded_at)
            .execution_options(yield_per=BATCH)
        )
        async for row in rows:
            if not verifier.feed(record_dict(row)):
                break
        await rows.close()
        return verifier.finish(Head(seq=head.seq, hash=head.hash))
