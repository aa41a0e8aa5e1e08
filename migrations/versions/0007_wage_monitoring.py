"""wage-account monitoring: risk signals, referrals of findings or signals, control details

Revision ID: 0007_wages
Revises: 0005_jobs
Create Date: 2026-11-22 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import hub.db.types

revision: str = "0007_wages"
down_revision: str | None = "0006_blacklist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_signals",
        sa.Column("id", hub.db.types.BigID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.Enum("LABOUR_COST_NOT_PAID_IN", "NO_WAGE_OUTFLOW",
                                  "OPENING_UNIT_NOT_GENERAL_CONTRACTOR", "ABNORMAL_TRANSACTIONS",
                                  "PARTY_DISCREDITED", "DEPOSIT_SHORT", "SPECIAL_ACCOUNT_MISSING",
                                  "ACCOUNT_NOT_MARKED", "REFERRAL_OVERDUE", name="signalkind",
                                  native_enum=False, length=40, create_constraint=False),
                  nullable=False),
        sa.Column("project_id", hub.db.types.BigID, nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("account_id", hub.db.types.BigID, nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=False),
        sa.Column("severity", sa.Enum("RED", "YELLOW", name="severity", native_enum=False,
                                      length=40, create_constraint=False), nullable=False),
        sa.Column("status", sa.Enum("ACTIVE", "RESOLVED", name="signalstatus", native_enum=False,
                                    length=40, create_constraint=False), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("first_seen_at", hub.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", hub.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", hub.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["wage_accounts.id"],
                                name=op.f("fk_risk_signals_account_id_wage_accounts")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_risk_signals_project_id_projects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_signals")),
        sa.UniqueConstraint("kind", "project_id", "subject",
                            name=op.f("uq_risk_signals_kind_project_id_subject")),
    )
    op.create_index("ix_risk_signals_district_code_id", "risk_signals", ["district_code", "id"])
    op.create_index("ix_risk_signals_project_id_id", "risk_signals", ["project_id", "id"])
    op.create_index("ix_risk_signals_status_id", "risk_signals", ["status", "id"])

    with op.batch_alter_table("referrals") as batch:
        batch.alter_column("anomaly_id", existing_type=hub.db.types.BigID, nullable=True)
        batch.add_column(sa.Column("signal_id", hub.db.types.BigID, nullable=True))
        batch.add_column(sa.Column("project_id", hub.db.types.BigID, nullable=False))
        batch.add_column(sa.Column("instructions", sa.Text(), nullable=True))
        batch.add_column(sa.Column("verified_by", sa.String(length=100), nullable=True))
        batch.alter_column("disposal", existing_type=sa.String(length=60), type_=sa.String(length=400))
        batch.create_foreign_key(op.f("fk_referrals_signal_id_risk_signals"), "risk_signals",
                                 ["signal_id"], ["id"])
        batch.create_foreign_key(op.f("fk_referrals_project_id_projects"), "projects",
                                 ["project_id"], ["id"])
        batch.create_index(batch.f("ix_referrals_signal_id"), ["signal_id"])
        batch.create_index(batch.f("ix_referrals_project_id"), ["project_id"])
        batch.create_check_constraint(
            op.f("ck_referrals_one_subject"), "(anomaly_id IS NULL) <> (signal_id IS NULL)"
        )

    with op.batch_alter_table("anomalies") as batch:
        batch.add_column(sa.Column("recorded_by", sa.String(length=100), nullable=True))

    with op.batch_alter_table("account_controls") as batch:
        batch.add_column(sa.Column("district_code", sa.String(length=6), nullable=True))
        batch.add_column(sa.Column("lift_notice_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("lift_notice_by", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("funds_for", sa.Enum(
            "PROJECT_WORKERS", "COURT_ENFORCEMENT", "CREDITOR", "GENERAL_CONTRACTOR",
            "OTHER_PROJECT", "TAXES_OR_FINES", "OTHER", name="fundsfor", native_enum=False,
            length=40, create_constraint=False), server_default="PROJECT_WORKERS", nullable=False))
        batch.add_column(sa.Column("placed_by", sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE account_controls SET district_code = (SELECT w.district_code FROM wage_accounts w"
        " WHERE w.id = account_controls.account_id)"
    )
    with op.batch_alter_table("account_controls") as batch:
        batch.alter_column("district_code", existing_type=sa.String(length=6), nullable=False)
        batch.create_index("ix_account_controls_district_code_id", ["district_code", "id"])


def downgrade() -> None:
    with op.batch_alter_table("account_controls") as batch:
        batch.drop_index("ix_account_controls_district_code_id")
        batch.drop_column("placed_by")
        batch.drop_column("funds_for")
        batch.drop_column("lift_notice_by")
        batch.drop_column("lift_notice_on")
        batch.drop_column("district_code")
    with op.batch_alter_table("anomalies") as batch:
        batch.drop_column("recorded_by")
    op.execute("DELETE FROM referrals WHERE anomaly_id IS NULL")
    with op.batch_alter_table("referrals") as batch:
        batch.drop_constraint(op.f("ck_referrals_one_subject"), type_="check")
        batch.drop_index(batch.f("ix_referrals_project_id"))
        batch.drop_index(batch.f("ix_referrals_signal_id"))
        batch.drop_constraint(op.f("fk_referrals_project_id_projects"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_referrals_signal_id_risk_signals"), type_="foreignkey")
        batch.alter_column("disposal", existing_type=sa.String(length=400), type_=sa.String(length=60))
        batch.drop_column("verified_by")
        batch.drop_column("instructions")
        batch.drop_column("project_id")
        batch.drop_column("signal_id")
        batch.alter_column("anomaly_id", existing_type=hub.db.types.BigID, nullable=False)
    op.drop_index("ix_risk_signals_status_id", table_name="risk_signals")
    op.drop_index("ix_risk_signals_project_id_id", table_name="risk_signals")
    op.drop_index("ix_risk_signals_district_code_id", table_name="risk_signals")
    op.drop_table("risk_signals")
