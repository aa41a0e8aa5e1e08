"""PostgreSQL monthly partitions of ``audit_records`` (range on ``recorded_at``, UTC months).

Partitions are created ahead (``HUB_AUDIT_PARTITIONS_AHEAD`` months) by the migration, by
``hub audit partitions`` and, as a safety net, by ``append`` when it meets a month it has not
seen (under the chain-head lock, in the append's own transaction). Each new partition gets
the TRUNCATE-refusing trigger: PostgreSQL clones row triggers from the parent but not
statement ones. Pruning detaches and drops whole months (``prune``).

Names are ``audit_records_pYYYYMM``; ``hub.db.migrations.include_name`` keeps alembic's
autogenerate from reporting them as unknown tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.models import RECORDS_TABLE

REFUSE_FUNCTION = "audit_refuse_change"


def month_start(value: datetime) -> datetime:
    value = value.astimezone(UTC)
    return datetime(value.year, value.month, 1, tzinfo=UTC)


def add_months(start: datetime, months: int) -> datetime:
    index = start.year * 12 + (start.month - 1) + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def partition_name(start: datetime) -> str:
    return f"{RECORDS_TABLE}_p{start.year:04d}{start.month:02d}"


@dataclass(frozen=True, slots=True)
class Partition:
    name: str
    start: datetime
    end: datetime


def create_partition_sql(start: datetime) -> list[str]:
    """DDL for one month's partition and its TRUNCATE guard (also used by the migration)."""
    name = partition_name(start)
    end = add_months(start, 1)
    return [
        f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {RECORDS_TABLE} "
        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')",
        f"CREATE OR REPLACE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {REFUSE_FUNCTION}()",
    ]


async def existing_partitions(session: AsyncSession) -> list[Partition]:
    rows = await session.execute(
        text(
            "SELECT c.relname FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = :parent AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        ),
        {"parent": RECORDS_TABLE},
    )
    out = []
    for (name,) in rows:
        suffix = name.rsplit("_p", 1)[-1]
        start = datetime(int(suffix[:4]), int(suffix[4:]), 1, tzinfo=UTC)
        out.append(Partition(name=name, start=start, end=add_months(start, 1)))
    return out


async def ensure_partitions(session: AsyncSession, at: datetime, ahead: int) -> list[str]:
    """Create the partitions of ``at``'s month and ``ahead`` months after; return new names."""
    have = {p.name for p in await existing_partitions(session)}
    created = []
    first = month_start(at)
    for i in range(ahead + 1):
        start = add_months(first, i)
        if partition_name(start) in have:
            continue
        for statement in create_partition_sql(start):
            await session.execute(text(statement))
        created.append(partition_name(start))
    return created
