"""audit log: hash-chained records, documents, chain head, signed checkpoints, keys

Append-only is enforced by triggers (UPDATE/DELETE on both databases, TRUNCATE on
PostgreSQL). On PostgreSQL ``audit_records`` is partitioned by month on ``recorded_at``; the
current month and the next ones are created here, later ones by the hub (``hub.audit.partitions``).

Revision ID: 0004_audit
Revises: 0001
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import hub.db.types

revision: str = "0004_audit"
down_revision: str | None = "0003_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("audit_records", "audit_documents", "audit_checkpoints", "audit_keys")
PARTITIONS_AHEAD = 2

StringList = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = hub.db.types.UTCDateTime(timezone=True)


def _genesis() -> str:
    # Written out rather than imported, so that later code changes cannot alter this
    # migration: SHA-256 of b"HUB-AUDIT-V1-GENESIS\x00".
    import hashlib

    return hashlib.sha256(b"HUB-AUDIT-V1-GENESIS\x00").hexdigest()


def _month(index: int) -> datetime:
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "audit_records",
        sa.Column("seq", Seq, autoincrement=False, nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=True),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("token_sub", sa.String(length=200), nullable=True),
        sa.Column("token_jti", sa.String(length=100), nullable=True),
        sa.Column("scopes", StringList, nullable=False),
        sa.Column("policy_version", sa.String(length=64), nullable=True),
        sa.Column("operation_type", sa.String(length=16), nullable=False),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("fields_served", StringList, nullable=False),
        sa.Column("fields_masked", StringList, nullable=False),
        sa.Column("fields_refused", StringList, nullable=False),
        sa.Column("subjects_uscc", StringList, nullable=False),
        sa.Column("subjects_person", StringList, nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("error_codes", StringList, nullable=False),
        sa.Column("duration_us", sa.BigInteger(), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.Column("purpose", sa.String(length=500), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", "recorded_at", name=op.f("pk_audit_records")),
        postgresql_partition_by="RANGE (recorded_at)",
    )
    op.create_index(
        "ix_audit_records_client_id_recorded_at", "audit_records", ["client_id", "recorded_at"]
    )
    op.create_index(op.f("ix_audit_records_recorded_at"), "audit_records", ["recorded_at"])
    op.create_table(
        "audit_documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("first_seen_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_audit_documents")),
    )
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", Seq, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("last_recorded_at", UTC_TIME, nullable=True),
        sa.Column("checkpoint_seq", Seq, nullable=False),
        sa.Column("checkpoint_at", UTC_TIME, nullable=True),
        sa.Column("pruned_through_seq", Seq, nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("seq", Seq, nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("signed_at", UTC_TIME, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    op.create_index(op.f("ix_audit_checkpoints_seq"), "audit_checkpoints", ["seq"])
    op.create_table(
        "audit_keys",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("algorithm", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_audit_keys")),
    )
    op.execute(
        sa.text(
            "INSERT INTO audit_chain_head (id, seq, hash, checkpoint_seq, pruned_through_seq) "
            "VALUES (1, 0, :genesis, 0, 0)"
        ).bindparams(genesis=_genesis())
    )
    if pg:
        _postgresql_guards()
    else:
        _sqlite_guards()


def _postgresql_guards() -> None:
    op.execute(
        """
        CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END
        $$
        """
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()"
        )
    now = datetime.now(UTC)
    first = now.year * 12 + now.month - 1
    for i in range(PARTITIONS_AHEAD + 1):
        start, end = _month(first + i), _month(first + i + 1)
        name = f"audit_records_p{start.year:04d}{start.month:02d}"
        op.execute(
            f"CREATE TABLE {name} PARTITION OF audit_records "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
        op.execute(
            f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()"
        )


def _sqlite_guards() -> None:
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only: {action} on {table} refused'); END"
            )


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    # Dropping a table drops its triggers (and, on PostgreSQL, its partitions).
    op.drop_table("audit_keys")
    op.drop_index(op.f("ix_audit_checkpoints_seq"), table_name="audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_chain_head")
    op.drop_table("audit_documents")
    op.drop_index(op.f("ix_audit_records_recorded_at"), table_name="audit_records")
    op.drop_index("ix_audit_records_client_id_recorded_at", table_name="audit_records")
    op.drop_table("audit_records")
    if pg:
        op.execute("DROP FUNCTION audit_refuse_change()")
