"""Investigations of wage accounts by the banking regulator, the anomalies they and the
early-warning rules find, and the referrals to district bureaus that close the loop."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
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


class Referral(IdMixin, TimestampMixin, VersionedMixin, Base):
    """An anomaly handed to a district bureau; closed when its disposal is recorded."""

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_district_code_id", "district_code", "id"),)

    anomaly_id: Mapped[int] = mapped_column(BigID, ForeignKey("anomalies.id"), index=True)
    district_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus))
    deadline: Mapped[date] = mapped_column(Date)
    assigned_by: Mapped[str | None] = mapped_column(String(100))
    inspector: Mapped[str | None] = mapped_column(String(100))
    visited_on: Mapped[date | None] = mapped_column(Date)
    verification_findings: Mapped[str | None] = mapped_column(Text)
    disposal: Mapped[str | None] = mapped_column(String(60))
    disposal_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
