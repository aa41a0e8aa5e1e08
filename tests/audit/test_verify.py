"""Tampering done to the database directly (triggers out of the way) is detected, and the
first bad record is named."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select, update

from hub.audit.canonical import format_time, parse_time
from hub.audit.hashing import GENESIS_HASH, record_body, record_hash
from hub.audit.integrity import verify_database
from hub.audit.models import AuditChainHead, AuditRecord
from hub.audit.store import append, record_dict
from hub.settings import Settings
from tests.audit.conftest import AuditDb, make_event

RECORDS = 10  # checkpoints (N=4) at seq 1, 5, 9; the head is at 10


@pytest.fixture
async def log(audit_db: AuditDb, settings: Settings) -> AuditDb:
    for i in range(RECORDS):
        await append(audit_db.engine, make_event(i), settings=settings)
    report = await verify_database(audit_db.engine)
    assert report.ok and report.records == RECORDS and report.checkpoints == 3, report.summary()
    return audit_db


async def _records(db: AuditDb) -> list[dict[str, Any]]:
    async with db.sessions() as session:
        rows = await session.scalars(select(AuditRecord).order_by(AuditRecord.seq))
        return [record_dict(row) for row in rows]


async def _rewrite(db: AuditDb, records: list[dict[str, Any]]) -> None:
    """The strong tamperer: replace the chain with ``records`` renumbered and re-hashed from
    genesis, and move the head, so every stored hash is self-consistent."""
    rows = []
    prev = GENESIS_HASH
    for seq, record in enumerate(records, 1):
        body = {**record_body(record), "seq": seq}
        digest = record_hash(prev, body)
        at = parse_time(body["recorded_at"])
        rows.append({**body, "recorded_at": at, "prev_hash": prev, "hash": digest})
        prev = digest
    await db.tamper("DELETE FROM audit_records")
    async with db.engine.begin() as conn:
        await conn.execute(insert(AuditRecord), rows)
        await conn.execute(update(AuditChainHead).values(seq=len(rows), hash=prev))


async def _problem(db: AuditDb, **kwargs: Any) -> tuple[str, int | None]:
    report = await verify_database(db.engine, **kwargs)
    assert not report.ok
    assert report.problem is not None
    return report.problem.code, report.problem.seq


async def test_altered_field_is_named(log: AuditDb) -> None:
    await log.tamper("UPDATE audit_records SET client_id = 'someone-else' WHERE seq = 6")
    assert await _problem(log) == ("RECORD_ALTERED", 6)


async def test_altered_and_rehashed_record_breaks_the_next_link(log: AuditDb) -> None:
    records = await _records(log)
    forged = {**records[5], "purpose": "nothing to see"}
    new_hash = record_hash(forged["prev_hash"], record_body(forged))
    await log.tamper(
        "UPDATE audit_records SET purpose = 'nothing to see', hash = :h WHERE seq = 6", h=new_hash
    )
    assert await _problem(log) == ("CHAIN_BROKEN", 7)


async def test_deleted_record_is_named(log: AuditDb) -> None:
    await log.tamper("DELETE FROM audit_records WHERE seq = 3")
    assert await _problem(log) == ("RECORD_MISSING", 3)


async def test_swapped_records_are_detected(log: AuditDb) -> None:
    await log.tamper(
        "UPDATE audit_records SET seq = -1 WHERE seq = 4",
        "UPDATE audit_records SET seq = 4 WHERE seq = 5",
        "UPDATE audit_records SET seq = 5 WHERE seq = -1",
    )
    code, seq = await _problem(log)
    # The record now numbered 4 neither follows 3 nor hashes as seq 4.
    assert seq == 4 and code in {"CHAIN_BROKEN", "RECORD_ALTERED"}


async def test_inserted_duplicate_record_is_named(log: AuditDb) -> None:
    # A well-formed forgery: a second seq 7 that follows seq 6 and hashes correctly.
    records = await _records(log)
    at = parse_time(records[6]["recorded_at"]).replace(microsecond=0)
    forged = {**record_body(records[6]), "client_id": "ghost", "recorded_at": format_time(at)}
    digest = record_hash(records[6]["prev_hash"], forged)
    async with log.engine.begin() as conn:
        row = {**forged, "recorded_at": at, "prev_hash": records[6]["prev_hash"], "hash": digest}
        await conn.execute(insert(AuditRecord), [row])
    assert await _problem(log) == ("RECORD_UNEXPECTED", 7)


async def test_inserted_record_with_recomputed_chain_fails_the_signed_checkpoint(
    log: AuditDb,
) -> None:
    records = await _records(log)
    forged = {**records[5], "client_id": "ghost", "request_id": "forged"}
    await _rewrite(log, [*records[:6], forged, *records[6:]])
    # Every hash is self-consistent now; the checkpoint signed at seq 9 is not.
    assert await _problem(log) == ("CHECKPOINT_MISMATCH", 9)


async def test_tail_cut_after_the_last_checkpoint_is_caught_by_the_head(log: AuditDb) -> None:
    await log.tamper("DELETE FROM audit_records WHERE seq > 9")
    assert await _problem(log) == ("TAIL_CUT", 10)


async def test_tail_cut_with_head_rewound_is_caught_by_a_checkpoint(log: AuditDb) -> None:
    records = await _records(log)
    await log.tamper("DELETE FROM audit_records WHERE seq > 7")
    async with log.engine.begin() as conn:
        await conn.execute(update(AuditChainHead).values(seq=7, hash=records[6]["hash"]))
    assert await _problem(log) == ("TAIL_CUT", 8)


async def test_forged_checkpoint_signature_is_detected(log: AuditDb) -> None:
    await log.tamper("UPDATE audit_checkpoints SET head = :h WHERE seq = 5", h="0" * 64)
    assert await _problem(log) == ("CHECKPOINT_SIGNATURE_INVALID", 5)


async def test_from_seq_starts_at_a_signed_checkpoint(log: AuditDb) -> None:
    await log.tamper("UPDATE audit_records SET client_id = 'x' WHERE seq = 2")
    assert await _problem(log) == ("RECORD_ALTERED", 2)
    report = await verify_database(log.engine, from_seq=7)
    assert report.ok and report.anchor_seq == 5 and report.first_seq == 6, report.summary()
