"""Investigations of wage accounts by the banking regulator, the anomalies they and the
early-warning rules find, and the referrals to district bureaus that close the loop."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, UTCDateTime


class InvestigationStatus(enum.Enum):
    REQUESTED = "REQUESTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"


class AnomalyKind(enum.Enum):
    OPENING_UNIT_NOT_GENERAL_CONTRACTOR = "OPENING_UNIT_NOT_GENERAL_CONTRACTOR"
    ABNORMAL_TRANSACTIONS = "ABNORMAL_TRANSACTIONS"
    ACCOUNT_NOT_MARKED = "ACCOUNT_NOT_MARKED"
    ACCOUNT_MISSING = "ACCOUNT_MISSING"
    DEPOSIT_SHORT = "DEPOSIT_SHORT"
    OTHER = "OTHER"


class AnomalyStatus(enum.Enum):
    OPEN = "OPEN"
    REFERRED = "REFERRED"
    CLOSED = "CLOSED"


class ReferralStatus(enum.Enum):
    ASSIGNED = "ASSIGNED"
    VERIFIED = "VERIFIED"
    CLOSED = "CLOSED"


class DisposalKind(enum.Enum):
    """How a district bureau disposed of a referral (the seed's list, and the usual others)."""

    SPECIAL_ACCOUNT_OPENED = "SPECIAL_ACCOUNT_OPENED"
    ACCOUNT_MARKED = "ACCOUNT_MARKED"
    REAL_NAME_REGISTRATION_FIXED = "REAL_NAME_REGISTRATION_FIXED"
    PAY_CYCLE_CORRECTED = "PAY_CYCLE_CORRECTED"
    WAGES_PAID = "WAGES_PAID"
    LABOUR_COST_PAID_IN = "LABOUR_COST_PAID_IN"
    DEPOSIT_TOPPED_UP = "DEPOSIT_TOPPED_UP"
    CASE_FILED = "CASE_FILED"
    NO_VIOLATION_FOUND = "NO_VIOLATION_FOUND"
    OTHER = "OTHER"


class SignalKind(enum.Enum):
    """The early-warning rules (``hub.domains.monitoring.rules``)."""

    LABOUR_COST_NOT_PAID_IN = "LABOUR_COST_NOT_PAID_IN"
    NO_WAGE_OUTFLOW = "NO_WAGE_OUTFLOW"
    OPENING_UNIT_NOT_GENERAL_CONTRACTOR = "OPENING_UNIT_NOT_GENERAL_CONTRACTOR"
    ABNORMAL_TRANSACTIONS = "ABNORMAL_TRANSACTIONS"
    PARTY_DISCREDITED = "PARTY_DISCREDITED"
    DEPOSIT_SHORT = "DEPOSIT_SHORT"
    SPECIAL_ACCOUNT_MISSING = "SPECIAL_ACCOUNT_MISSING"
    ACCOUNT_NOT_MARKED = "ACCOUNT_NOT_MARKED"
    REFERRAL_OVERDUE = "REFERRAL_OVERDUE"


class Severity(enum.Enum):
    RED = "RED"
    YELLOW = "YELLOW"


class SignalStatus(enum.Enum):
    """ACTIVE while the last computation still finds it; RESOLVED once one does not."""

    ACTIVE = "ACTIVE"
    RESOLVED = "RESOLVED"


class Investigation(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "investigations"

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[InvestigationStatus] = mapped_column(enum_column(InvestigationStatus))
    requested_by: Mapped[str | None] = mapped_column(String(100))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvestigationProject(Base):
    __tablename__ = "investigation_projects"

    investigation_id: Mapped[int] = mapped_column(
        BigID, ForeignKey("investigations.id"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(BigID, ForeignKey("projects.id"), primary_key=True)


class Anomaly(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A problem found on a project or account: by the bank in an investigation, or by a rule."""

    __tablename__ = "anomalies"
    __table_args__ = (
        Index("ix_anomalies_project_id_id", "project_id", "id"),
        Index("ix_anomalies_district_code_id", "district_code", "id"),
    )

    project_id: Mapped[int] = mapped_column(BigID, ForeignKey("projects.id"))
    account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("wage_accounts.id"))
    investigation_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("investigations.id"))
    district_code: Mapped[str] = mapped_column(String(6))
    kind: Mapped[AnomalyKind] = mapped_column(enum_column(AnomalyKind))
    status: Mapped[AnomalyStatus] = mapped_column(enum_column(AnomalyStatus))
    detail: Mapped[str] = mapped_column(Text)
    found_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(String(100))


class RiskSignal(IdMixin, Base):
    """An early warning computed from the data by a rule: one row per (kind, project,
    subject), kept across computations so that it has a first and a last sighting. Written
    only by the computation (never by a client), hence not versioned."""

    __tablename__ = "risk_signals"
    __table_args__ = (
        UniqueConstraint("kind", "project_id", "subject"),
        Index("ix_risk_signals_district_code_id", "district_code", "id"),
        Index("ix_risk_signals_project_id_id", "project_id", "id"),
        Index("ix_risk_signals_status_id", "status", "id"),
    )

    kind: Mapped[SignalKind] = mapped_column(enum_column(SignalKind))
    project_id: Mapped[int] = mapped_column(BigID, ForeignKey("projects.id"))
    #: What within the project the signal is about: ``account:ID``, ``referral:ID`` or "".
    subject: Mapped[str] = mapped_column(String(60))
    account_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("wage_accounts.id"))
    district_code: Mapped[str] = mapped_column(String(6))
    severity: Mapped[Severity] = mapped_column(enum_column(Severity))
    status: Mapped[SignalStatus] = mapped_column(enum_column(SignalStatus))
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    as_of: Mapped[date] = mapped_column(Date)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Referral(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A finding (anomaly) or an early-warning signal handed to a district bureau: ASSIGNED,
    VERIFIED when the inspector's visit is recorded, CLOSED when the disposal is."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_district_code_id", "district_code", "id"),
        CheckConstraint(
            "(anomaly_id IS NULL) <> (signal_id IS NULL)", name="one_subject"
        ),
    )

    anomaly_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("anomalies.id"), index=True)
    signal_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("risk_signals.id"), index=True)
    project_id: Mapped[int] = mapped_column(BigID, ForeignKey("projects.id"), index=True)
    district_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    deadline: Mapped[date] = mapped_column(Date)
    instructions: Mapped[str | None] = mapped_column(Text)
    assigned_by: Mapped[str | None] = mapped_column(String(100))
    inspector: Mapped[str | None] = mapped_column(String(100))
    visited_on: Mapped[date | None] = mapped_column(Date)
    verification_findings: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    #: Comma-separated DisposalKind names.
    disposal: Mapped[str | None] = mapped_column(String(400))
    disposal_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
