"""The audit log's tables.

- ``audit_records``: one row per operation, the hash chain. On PostgreSQL partitioned by month
  on ``recorded_at`` (see ``partitions``); the primary key carries the partition key, as
  PostgreSQL requires. Gap-free ``seq`` is guaranteed by the chain head, not by a constraint.
- ``audit_documents``: each GraphQL document's text, once per SHA-256.
- ``audit_chain_head``: exactly one row (``id = 1``), the last sequence number and hash. Locked
  by every append, it serialises the chain across workers and hosts.
- ``audit_checkpoints``: signed (seq, head hash, time) statements.
- ``audit_keys``: the HMAC key of ``keyed_hash`` and the Ed25519 checkpoint keys, created on
  first use.

All but the chain head are append-only: the migration installs triggers that refuse UPDATE
and DELETE (and TRUNCATE on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base
from hub.db.types import BigID, UTCDateTime

#: String lists: JSONB on PostgreSQL (containment ``@>`` for search; strings and array order
#: survive JSONB exactly), JSON text on SQLite.
StringList = JSON().with_variant(JSONB(), "postgresql")
#: Variables: JSON *text* on both, because JSONB rewrites numbers (1e20 comes back as an
#: integer), which would change the canonical bytes and look like tampering.
JsonText = JSON()
SeqType = BigInteger().with_variant(Integer(), "sqlite")
HASH_LEN = 64

RECORDS_TABLE = "audit_records"
AUDITED_TABLES = ("audit_records", "audit_documents", "audit_checkpoints", "audit_keys")


class AuditRecord(Base):
    __tablename__ = RECORDS_TABLE
    __table_args__: Any = (
        Index("ix_audit_records_client_id_recorded_at", "client_id", "recorded_at"),
        {"postgresql_partition_by": "RANGE (recorded_at)"},
    )

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True, index=True)
    request_id: Mapped[str] = mapped_column(String(100))
    client_id: Mapped[str | None] = mapped_column(String(100))
    profile: Mapped[str] = mapped_column(String(40))
    token_sub: Mapped[str | None] = mapped_column(String(200))
    token_jti: Mapped[str | None] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(StringList)
    policy_version: Mapped[str | None] = mapped_column(String(64))
    operation_type: Mapped[str] = mapped_column(String(16))
    operation_name: Mapped[str | None] = mapped_column(String(200))
    document_sha256: Mapped[str | None] = mapped_column(String(HASH_LEN))
    variables: Mapped[Any] = mapped_column(JsonText)
    fields_served: Mapped[list[str]] = mapped_column(StringList)
    fields_masked: Mapped[list[str]] = mapped_column(StringList)
    fields_refused: Mapped[list[str]] = mapped_column(StringList)
    subjects_uscc: Mapped[list[str]] = mapped_column(StringList)
    subjects_person: Mapped[list[str]] = mapped_column(StringList)
    row_count: Mapped[int] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(40))
    error_codes: Mapped[list[str]] = mapped_column(StringList)
    duration_us: Mapped[int] = mapped_column(BigInteger)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
    purpose: Mapped[str | None] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    hash: Mapped[str] = mapped_column(String(HASH_LEN))


class AuditDocument(Base):
    __tablename__ = "audit_documents"

    sha256: Mapped[str] = mapped_column(String(HASH_LEN), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditChainHead(Base):
    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(SeqType)
    hash: Mapped[str] = mapped_column(String(HASH_LEN))
    last_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checkpoint_seq: Mapped[int] = mapped_column(SeqType)
    checkpoint_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pruned_through_seq: Mapped[int] = mapped_column(SeqType)


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(BigID, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(SeqType, index=True)
    head: Mapped[str] = mapped_column(String(HASH_LEN))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(16))
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))


class AuditKey(Base):
    __tablename__ = "audit_keys"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    algorithm: Mapped[str] = mapped_column(String(32))
    secret: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
