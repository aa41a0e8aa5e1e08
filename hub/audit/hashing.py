"""The audit log's hash functions: pure, domain-separated, independent of storage.

Every hash input starts with a prefix naming what is hashed, so a value of one kind can
never be passed off as another (a record leaf as a chain link, a keyed hash as a leaf, ...):

    leaf       SHA-256(LEAF_PREFIX  || canonical(record body))
    link       SHA-256(LINK_PREFIX  || prev hash (32 bytes) || leaf (32 bytes))   -> record hash
    checkpoint Ed25519 over CHECKPOINT_PREFIX || canonical({seq, head, time, kind, key_id})
    keyed      HMAC-SHA256(key, KEYED_PREFIX || value)
    genesis    SHA-256(GENESIS_PREFIX): the "previous hash" of record 1

The record body is the stored record without its ``prev_hash`` and ``hash`` (the sequence
number and time are in the body). The document hash is the plain SHA-256 of the GraphQL
document's UTF-8 text, no prefix: it is a content address anyone can compute from the query,
not a node of the chain. Hashes are written as lower-case hex.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from hub.audit.canonical import canonical_bytes

LEAF_PREFIX = b"HUB-AUDIT-V1-LEAF\x00"
LINK_PREFIX = b"HUB-AUDIT-V1-LINK\x00"
CHECKPOINT_PREFIX = b"HUB-AUDIT-V1-CHECKPOINT\x00"
KEYED_PREFIX = b"HUB-AUDIT-V1-KEYED\x00"
GENESIS_PREFIX = b"HUB-AUDIT-V1-GENESIS\x00"

HASH_HEX_LENGTH = 64
GENESIS_HASH = hashlib.sha256(GENESIS_PREFIX).hexdigest()

#: Keys of a stored record that are not part of its hashed body.
CHAIN_KEYS = frozenset({"prev_hash", "hash"})


def record_body(record: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed part of a record: everything but the chain fields."""
    return {key: value for key, value in record.items() if key not in CHAIN_KEYS}


def leaf_hash(body: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + canonical_bytes(body)).digest()


def link_hash(prev_hash: str, leaf: bytes) -> str:
    prev = bytes.fromhex(prev_hash)
    if len(prev) != 32 or len(leaf) != 32:
        raise ValueError("chain hashes are 32 bytes")
    return hashlib.sha256(LINK_PREFIX + prev + leaf).hexdigest()


def record_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    """The hash of a record given the previous record's hash: what the chain stores."""
    return link_hash(prev_hash, leaf_hash(body))


def checkpoint_message(*, seq: int, head: str, time: str, kind: str, key_id: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    fields = {"seq": seq, "head": head, "time": time, "kind": kind, "key_id": key_id}
    return CHECKPOINT_PREFIX + canonical_bytes(fields)


def keyed_hash_with(key: bytes, value: Any) -> str:
    """HMAC-SHA256 of ``value`` (a str as its UTF-8, anything else canonically encoded)."""
    data = value.encode("utf-8") if isinstance(value, str) else canonical_bytes(value)
    return hmac.new(key, KEYED_PREFIX + data, hashlib.sha256).hexdigest()


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def public_key_id(raw_public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 bytes of its SHA-256, in hex."""
    return hashlib.sha256(raw_public_key).hexdigest()[:32]
