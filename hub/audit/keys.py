"""The audit log's secrets, kept in the database so every worker and host shares them.

- the HMAC key behind ``keyed_hash`` (or ``HUB_AUDIT_HMAC_KEY`` when set), and
- the Ed25519 key that signs checkpoints (the newest ``checkpoint`` key signs; older ones stay
  so old checkpoints still verify).

Both are created on first use *while the chain head is locked*, so two workers starting at
once cannot create two keys. A key ring is cached per database only after the transaction
that created or read it has committed (``remember``), so a rolled-back creation never leaves
a process signing with a key the database does not know.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.errors import AuditUnavailable
from hub.audit.hashing import keyed_hash_with, public_key_id
from hub.audit.models import AuditKey
from hub.db.types import utcnow
from hub.settings import Settings

PURPOSE_HMAC = "hmac"
PURPOSE_CHECKPOINT = "checkpoint"
ALGORITHM_HMAC = "hmac-sha256"
ALGORITHM_ED25519 = "ed25519"
HMAC_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class KeyRing:
    hmac_key: bytes
    signing_key_id: str
    signing_key: Ed25519PrivateKey

    def keyed_hash(self, value: Any) -> str:
        return keyed_hash_with(self.hmac_key, value)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.signing_key.sign(message)).decode("ascii")


_rings: dict[str, KeyRing] = {}
_default: KeyRing | None = None


def cached(database: str) -> KeyRing | None:
    return _rings.get(database)


def remember(database: str, ring: KeyRing) -> None:
    """Cache a ring once its transaction committed; it also becomes ``keyed_hash``'s ring."""
    global _default
    _rings[database] = ring
    _default = ring


def forget(database: str) -> None:
    _rings.pop(database, None)


def keyed_hash(value: Any, database: str | None = None) -> str:
    """HMAC-SHA256 (domain-separated) of ``value`` with the audit key of ``database`` (the
    rendered URL, as ``store.database_key`` gives it), or of the last database loaded.

    Name the database whenever the process may talk to more than one: each database has its
    own key, and a hash made with another's would never match in a subject search.
    The key is loaded by the first ``append`` or by ``await load_keyring(engine)`` (call it at
    start-up): before that this raises ``AuditUnavailable`` rather than hash with no key.
    Normalise identifiers first (an ID number stripped and upper-cased: see ``person_hash``).
    """
    ring = _rings.get(database) if database is not None else _default
    if ring is None:
        raise AuditUnavailable("audit keys not loaded: await hub.audit.load_keyring(engine) first")
    return ring.keyed_hash(value)


def person_hash(id_number: str, database: str | None = None) -> str:
    """The keyed hash recorded for a person subject: of the stripped, upper-cased ID number."""
    return keyed_hash(id_number.strip().upper(), database)


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _configured_hmac_key(settings: Settings) -> bytes | None:
    if settings.audit_hmac_key is None:
        return None
    try:
        key = bytes.fromhex(settings.audit_hmac_key.get_secret_value())
    except ValueError:
        raise AuditUnavailable("HUB_AUDIT_HMAC_KEY is not hex") from None
    if len(key) < HMAC_KEY_BYTES:
        raise AuditUnavailable(f"HUB_AUDIT_HMAC_KEY must be at least {HMAC_KEY_BYTES} bytes")
    return key


async def stored_hmac_key(session: AsyncSession, settings: Settings) -> bytes | None:
    """The HMAC key without creating one (searches: no key means nothing was ever hashed)."""
    configured = _configured_hmac_key(settings)
    if configured is not None:
        return configured
    row = await session.scalar(select(AuditKey).where(AuditKey.purpose == PURPOSE_HMAC))
    return base64.b64decode(row.secret) if row else None


async def ensure_keyring(session: AsyncSession, settings: Settings) -> KeyRing:
    """Read the keys, creating the missing ones. The caller holds the chain-head lock."""
    rows = (await session.scalars(select(AuditKey).order_by(AuditKey.created_at))).all()
    now = utcnow()
    hmac_key = _configured_hmac_key(settings)
    if hmac_key is None:
        stored = [r for r in rows if r.purpose == PURPOSE_HMAC]
        if stored:
            hmac_key = base64.b64decode(stored[0].secret)
        else:
            hmac_key = os.urandom(HMAC_KEY_BYTES)
            session.add(
                AuditKey(
                    key_id=public_key_id(b"hmac" + os.urandom(16)),
                    purpose=PURPOSE_HMAC,
                    algorithm=ALGORITHM_HMAC,
                    secret=_b64(hmac_key),
                    public_key=None,
                    created_at=now,
                )
            )
    signing = [r for r in rows if r.purpose == PURPOSE_CHECKPOINT]
    if signing:
        newest = signing[-1]
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(newest.secret))
        key_id = newest.key_id
    else:
        key = Ed25519PrivateKey.generate()
        raw_public = _raw_public(key)
        key_id = public_key_id(raw_public)
        private = key.private_bytes_raw()
        session.add(
            AuditKey(
                key_id=key_id,
                purpose=PURPOSE_CHECKPOINT,
                algorithm=ALGORITHM_ED25519,
                secret=_b64(private),
                public_key=_b64(raw_public),
                created_at=now,
            )
        )
    await session.flush()
    return KeyRing(hmac_key=hmac_key, signing_key_id=key_id, signing_key=key)


async def public_keys(session: AsyncSession) -> list[dict[str, str]]:
    """Every checkpoint key's public half: what a verifier needs, oldest first."""
    rows = (
        await session.scalars(
            select(AuditKey)
            .where(AuditKey.purpose == PURPOSE_CHECKPOINT)
            .order_by(AuditKey.created_at)
        )
    ).all()
    return [
        {"key_id": r.key_id, "algorithm": r.algorithm, "public_key": r.public_key or ""}
        for r in rows
    ]
