"""Domain separation: the same bytes hashed as different kinds never collide."""

from __future__ import annotations

import hashlib

from hub.audit import hashing


def test_leaf_link_keyed_and_document_hashes_are_separated() -> None:
    body = {"seq": 1}
    leaf = hashing.leaf_hash(body)
    plain = hashlib.sha256(b'{"seq":1}').digest()
    assert leaf != plain
    assert leaf == hashlib.sha256(hashing.LEAF_PREFIX + b'{"seq":1}').digest()
    assert hashing.keyed_hash_with(b"k" * 32, "x") != hashing.keyed_hash_with(b"j" * 32, "x")
    assert hashing.document_hash("{ a }") == hashlib.sha256(b"{ a }").hexdigest()
    prefixes = {
        hashing.LEAF_PREFIX,
        hashing.LINK_PREFIX,
        hashing.CHECKPOINT_PREFIX,
        hashing.KEYED_PREFIX,
        hashing.GENESIS_PREFIX,
    }
    assert len(prefixes) == 5


def test_record_hash_depends_on_previous_hash_and_every_field() -> None:
    body = {"seq": 1, "client_id": "a"}
    first = hashing.record_hash(hashing.GENESIS_HASH, body)
    assert first != hashing.record_hash("00" * 32, body)
    assert first != hashing.record_hash(hashing.GENESIS_HASH, {"seq": 1, "client_id": "b"})
    assert hashing.record_body({**body, "prev_hash": "x", "hash": "y"}) == body


def test_genesis_is_what_the_migration_seeds() -> None:
    from pathlib import Path

    migration = Path(__file__).parents[2] / "migrations/versions/0004_audit_log.py"
    assert 'b"HUB-AUDIT-V1-GENESIS\\x00"' in migration.read_text()
    assert hashing.GENESIS_HASH == hashlib.sha256(b"HUB-AUDIT-V1-GENESIS\x00").hexdigest()
