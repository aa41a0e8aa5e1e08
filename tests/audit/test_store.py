"""Appending: one committed, chained record per event; append-only tables; fail closed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from hub.audit import keys, store
from hub.audit.errors import AuditEventInvalid, AuditUnavailable
from hub.audit.hashing import GENESIS_HASH, document_hash, record_body, record_hash
from hub.audit.models import AuditCheckpoint, AuditDocument, AuditRecord
from hub.audit.store import append, load_keyring, record_dict
from hub.db.engine import create_engine
from hub.db.types import utcnow
from hub.settings import Settings
from tests.audit.conftest import CHECKPOINT_EVERY, AuditDb, make_event
from tests.support.databases import fresh_database


async def test_append_chains_gap_free_records_with_every_field(
    audit_db: AuditDb, settings: Settings
) -> None:
    results = [await append(audit_db.engine, make_event(i), settings=settings) for i in range(3)]
    assert [r.seq for r in results] == [1, 2, 3]
    async with audit_db.sessions() as session:
        rows = (await session.scalars(select(AuditRecord).order_by(AuditRecord.seq))).all()
        docs = (await session.scalars(select(AuditDocument))).all()
    prev = GENESIS_HASH
    for row, result in zip(rows, results, strict=True):
        record = record_dict(row)
        assert record["prev_hash"] == prev
        assert record_hash(prev, record_body(record)) == record["hash"] == result.hash
        prev = record["hash"]
    first = record_dict(rows[0])
    assert first["recorded_at"].endswith("Z") and len(first["recorded_at"]) == 27
    assert first["variables"] == {"uscc": "91110000600037341L", "n": 0}
    assert first["scopes"] == ["enterprise:read", "person:read:identity"]
    assert first["purpose"] == "case 2026-17" and first["token_jti"] == "jti-0"
    assert rows[0].recorded_at <= rows[1].recorded_at <= rows[2].recorded_at
    # The same document is stored once, under its SHA-256.
    assert len(docs) == 1 and docs[0].sha256 == rows[0].document_sha256
    assert docs[0].sha256 == document_hash(make_event().document or "")


async def test_checkpoint_signed_every_n_records(audit_db: AuditDb, settings: Settings) -> None:
    for i in range(2 * CHECKPOINT_EVERY + 1):
        await append(audit_db.engine, make_event(i), settings=settings)
    async with audit_db.sessions() as session:
        seqs = (
            await session.scalars(select(AuditCheckpoint.seq).order_by(AuditCheckpoint.seq))
        ).all()
    # The first record is signed at once (no checkpoint yet), then every N records.
    assert seqs == [1, 1 + CHECKPOINT_EVERY, 1 + 2 * CHECKPOINT_EVERY]


async def test_checkpoint_signed_when_the_interval_has_passed(
    audit_db: AuditDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(audit_checkpoint_every=1000, audit_checkpoint_interval_seconds=60)
    start = utcnow()
    for offset in (0, 1, 30, 62, 63):
        monkeypatch.setattr(
            store, "utcnow", lambda offset=offset: start + timedelta(seconds=offset)
        )
        await store.append(audit_db.engine, make_event(offset), settings=settings)
    async with audit_db.sessions() as session:
        seqs = (
            await session.scalars(select(AuditCheckpoint.seq).order_by(AuditCheckpoint.seq))
        ).all()
    assert seqs == [1, 4]
    # Nothing appended since seq 5 was recorded: a timer's --if-due call signs it later.
    monkeypatch.setattr(store, "utcnow", lambda: start + timedelta(seconds=200))
    due = await store.checkpoint(audit_db.engine, settings=settings, only_if_due=True)
    assert due is not None and due["seq"] == 5 and due["kind"] == "periodic"
    assert await store.checkpoint(audit_db.engine, settings=settings, only_if_due=True) is None


async def test_keyed_hash_uses_the_shared_key_and_refuses_raw_id_numbers(
    audit_db: AuditDb, settings: Settings
) -> None:
    ring = await load_keyring(audit_db.engine, settings=settings)
    digest = keys.person_hash(" 11010519491231002x ")
    assert digest == ring.keyed_hash("11010519491231002X") and len(digest) == 64
    # Loading again (another worker) finds the same key in the database.
    keys._rings.clear()
    again = await load_keyring(audit_db.engine, settings=settings)
    assert again.hmac_key == ring.hmac_key and again.signing_key_id == ring.signing_key_id
    await append(audit_db.engine, make_event(subjects_person=[digest]), settings=settings)
    with pytest.raises(AuditEventInvalid):
        await append(
            audit_db.engine, make_event(subjects_person=["11010519491231002X"]), settings=settings
        )


async def test_hmac_key_from_settings_wins(audit_db: AuditDb) -> None:
    configured = Settings(audit_hmac_key="ab" * 32)
    ring = await load_keyring(audit_db.engine, settings=configured)
    assert ring.hmac_key == bytes.fromhex("ab" * 32)


async def test_oversized_client_values_are_clipped_not_refused(
    audit_db: AuditDb, settings: Settings
) -> None:
    seq, _ = await append(
        audit_db.engine, make_event(user_agent="x" * 10_000, purpose="p" * 5000), settings=settings
    )
    async with audit_db.sessions() as session:
        row = await session.scalar(select(AuditRecord).where(AuditRecord.seq == seq))
    assert row is not None and len(row.user_agent or "") == 512 and len(row.purpose or "") == 500


async def test_append_fails_closed_when_storage_is_missing(
    tmp_path: Path, settings: Settings
) -> None:
    with fresh_database(tmp_path) as url:  # never migrated: no audit tables
        engine = create_engine(url)
        try:
            with pytest.raises(AuditUnavailable) as info:
                await append(engine, make_event(), settings=settings)
            assert info.value.code == "AUDIT_UNAVAILABLE"
        finally:
            await engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_records SET client_id = 'x'",
        "DELETE FROM audit_records",
        "UPDATE audit_checkpoints SET head = 'x'",
        "DELETE FROM audit_documents",
        "DELETE FROM audit_keys",
    ],
)
async def test_log_tables_refuse_update_and_delete(
    audit_db: AuditDb, settings: Settings, statement: str
) -> None:
    await append(audit_db.engine, make_event(), settings=settings)
    with pytest.raises(DBAPIError, match="append-only"):
        async with audit_db.engine.begin() as conn:
            await conn.execute(text(statement))
    async with audit_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(AuditRecord)) == 1


async def test_postgresql_refuses_truncate(audit_db: AuditDb, settings: Settings) -> None:
    if not audit_db.postgres:
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    await append(audit_db.engine, make_event(), settings=settings)
    async with audit_db.sessions() as session:
        partition = await session.scalar(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE c.relkind = 'r' LIMIT 1"
            )
        )
    for table in ("audit_records", partition, "audit_checkpoints"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with audit_db.engine.begin() as conn:
                await conn.execute(text(f"TRUNCATE {table}"))
