"""Retention: old months go, a signed checkpoint at the cut keeps the rest verifiable."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hub.audit import partitions, store
from hub.audit.export import export_jsonl
from hub.audit.integrity import verify_database
from hub.audit.models import AuditRecord
from hub.audit.prune import AuditPruneRefused, prune
from hub.audit.verify import verify_export
from hub.db.types import utcnow
from hub.settings import Settings
from tests.audit.conftest import AuditDb, make_event

OLD, NEW = 6, 5


@pytest.fixture
async def aged_log(
    audit_db: AuditDb, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AuditDb:
    """Six records five months old, then five of today."""
    old = partitions.add_months(partitions.month_start(utcnow()), -5) + timedelta(days=3)
    ticks = iter(range(1000))
    monkeypatch.setattr(store, "utcnow", lambda: old + timedelta(seconds=next(ticks)))
    for i in range(OLD):
        await store.append(audit_db.engine, make_event(i), settings=settings)
    monkeypatch.setattr(store, "utcnow", utcnow)
    for i in range(NEW):
        await store.append(audit_db.engine, make_event(OLD + i), settings=settings)
    return audit_db


async def _count(db: AuditDb) -> int:
    async with db.sessions() as session:
        return await session.scalar(select(func.count()).select_from(AuditRecord)) or 0


async def test_prune_drops_old_months_and_what_remains_verifies(
    aged_log: AuditDb, settings: Settings, tmp_path: Path
) -> None:
    result = await prune(aged_log.engine, settings=settings, retention_months=2)
    assert result.cut_seq == OLD
    if aged_log.postgres:
        assert result.dropped_partitions and all(
            name < partitions.partition_name(result.cutoff) for name in result.dropped_partitions
        )
    else:
        assert result.deleted_rows == OLD
    assert await _count(aged_log) == NEW
    report = await verify_database(aged_log.engine)
    assert report.ok and report.anchor_seq == OLD and report.first_seq == OLD + 1, report.summary()
    # The export after a prune carries the prune checkpoint as its anchor and verifies alone.
    path = tmp_path / "after-prune.jsonl"
    with path.open("w") as handle:
        await export_jsonl(aged_log.engine, handle)
    assert json.loads(path.read_text().splitlines()[0])["anchor"]["kind"] == "prune"
    assert verify_export(path).ok
    # Pruning again finds nothing; the append-only guard is back in place.
    assert (await prune(aged_log.engine, settings=settings, retention_months=2)).cut_seq is None
    with pytest.raises(DBAPIError, match="append-only"):
        async with aged_log.engine.begin() as conn:
            await conn.execute(text("DELETE FROM audit_records"))


async def test_deleting_records_after_the_prune_anchor_is_still_caught(
    aged_log: AuditDb, settings: Settings
) -> None:
    await prune(aged_log.engine, settings=settings, retention_months=2)
    await aged_log.tamper(f"DELETE FROM audit_records WHERE seq = {OLD + 1}")
    report = await verify_database(aged_log.engine)
    assert report.problem is not None and report.problem.code == "RECORD_MISSING"
    assert report.problem.seq == OLD + 1


async def test_prune_refuses_a_log_that_does_not_verify(
    aged_log: AuditDb, settings: Settings
) -> None:
    await aged_log.tamper("UPDATE audit_records SET client_id = 'x' WHERE seq = 2")
    with pytest.raises(AuditPruneRefused):
        await prune(aged_log.engine, settings=settings, retention_months=2)
    assert await _count(aged_log) == OLD + NEW
