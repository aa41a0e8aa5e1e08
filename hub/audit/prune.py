"""``hub audit prune``: drop records older than the retention, leaving a signed anchor.

The cut is the last record before the first kept month (``HUB_AUDIT_RETENTION_MONTHS`` whole
months before the current one). Record times never go backwards along the chain, so the
dropped records are exactly a prefix ``1..cut``. Before anything is removed:

1. the records up to the cut are verified (outside the lock: they are immutable); a broken
   log is not pruned, since signing its cut would launder the damage;
2. under the chain-head lock, a ``prune`` checkpoint is signed at (cut, hash of the cut) and
   the head's ``pruned_through_seq`` set: verification then starts from that checkpoint.

Then PostgreSQL detaches and drops the old monthly partitions (DROP is not a row operation,
so the append-only triggers do not apply); SQLite deletes the rows after lifting its DELETE
trigger inside the same transaction and recreates it before commit, so the trigger is never
missing for any other connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, text

from hub.audit import checkpoints as cps
from hub.audit import partitions
from hub.audit.errors import AuditUnavailable
from hub.audit.integrity import anchor_for, snapshot
from hub.audit.keys import public_keys
from hub.audit.models import RECORDS_TABLE, AuditRecord
from hub.audit.store import (
    Target,
    database_key,
    lock_head,
    read_head,
    record_dict,
    ring_for,
    sessions_for,
)
from hub.audit.verify import ChainVerifier
from hub.db.engine import unit_of_work
from hub.db.types import utcnow
from hub.errors import HubError
from hub.settings import Settings, get_settings

SQLITE_DELETE_TRIGGER = "audit_records_no_delete"
SQLITE_DELETE_TRIGGER_SQL = (
    f"CREATE TRIGGER {SQLITE_DELETE_TRIGGER} BEFORE DELETE ON {RECORDS_TABLE} "
    f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE on {RECORDS_TABLE} refused'); END"
)


class AuditPruneRefused(HubError):
    code = "AUDIT_PRUNE_REFUSED"


@dataclass(slots=True)
class PruneResult:
    cutoff: datetime
    cut_seq: int | None = None
    dropped_partitions: list[str] = field(default_factory=list)
    deleted_rows: int = 0


def cutoff_for(now: datetime, retention_months: int) -> datetime:
    return partitions.add_months(partitions.month_start(now), -retention_months)


async def _verify_prefix(target: Target, cut_seq: int) -> None:
    async with snapshot(target) as session:
        head = await read_head(session)
        anchor = await anchor_for(session, head.pruned_through_seq, None)
        verifier = ChainVerifier(
            checkpoints=await cps.list_checkpoints(session),
            public_keys=await public_keys(session),
            anchor=anchor,
        )
        rows = await session.stream_scalars(
            select(AuditRecord)
            .where(AuditRecord.seq > (anchor["seq"] if anchor else 0), AuditRecord.seq <= cut_seq)
            .order_by(AuditRecord.seq, AuditRecord.recorded_at)
        )
        async for row in rows:
            if not verifier.feed(record_dict(row)):
                break
        await rows.close()
        report = verifier.report
        if report.ok and (report.last_seq or report.anchor_seq) != cut_seq:
            raise AuditPruneRefused(f"records up to seq {cut_seq} are incomplete; not pruning")
        if not report.ok:
            raise AuditPruneRefused(f"the log does not verify, not pruning: {report.summary()}")


async def prune(
    target: Target,
    *,
    settings: Settings | None = None,
    retention_months: int | None = None,
    now: datetime | None = None,
) -> PruneResult:
    settings = settings or get_settings()
    months = retention_months or settings.audit_retention_months
    result = PruneResult(cutoff=cutoff_for(now or utcnow(), months))
    sessions = sessions_for(target)
    async with sessions() as session:
        cut_seq = await session.scalar(
            select(func.max(AuditRecord.seq)).where(AuditRecord.recorded_at < result.cutoff)
        )
        head = await read_head(session)
        pruned = head.pruned_through_seq
    if cut_seq is None or cut_seq <= pruned:
        return result
    await _verify_prefix(target, cut_seq)
    database = database_key(sessions)
    async with unit_of_work(sessions, write=True) as session:
        head = await lock_head(session)
        ring, _ = await ring_for(session, database, settings)
        cut = await session.scalar(select(AuditRecord).where(AuditRecord.seq == cut_seq))
        if cut is None:
            raise AuditUnavailable(f"record {cut_seq} vanished while pruning")
        await cps.sign(
            session,
            ring,
            seq=cut_seq,
            head=cut.hash,
            at=max(utcnow(), head.last_recorded_at or utcnow()),
            kind=cps.KIND_PRUNE,
        )
        head.pruned_through_seq = cut_seq
        await session.flush()
        if session.bind.dialect.name == "postgresql":
            for part in await partitions.existing_partitions(session):
                if part.end <= result.cutoff:
                    await session.execute(
                        text(f"ALTER TABLE {RECORDS_TABLE} DETACH PARTITION {part.name}")
                    )
                    await session.execute(text(f"DROP TABLE {part.name}"))
                    result.dropped_partitions.append(part.name)
            left = await session.scalar(
                select(func.count()).select_from(AuditRecord).where(AuditRecord.seq <= cut_seq)
            )
            if left:
                raise AuditPruneRefused("old records outside monthly partitions; not pruning")
        else:
            await session.execute(text(f"DROP TRIGGER {SQLITE_DELETE_TRIGGER}"))
            deleted = await session.execute(delete(AuditRecord).where(AuditRecord.seq <= cut_seq))
            result.deleted_rows = deleted.rowcount or 0
            await session.execute(text(SQLITE_DELETE_TRIGGER_SQL))
    result.cut_seq = cut_seq
    return result
