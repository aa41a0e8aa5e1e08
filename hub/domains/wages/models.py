"""Wage special accounts and wage deposit accounts, their in/out records and the controls the
banks place on them. Each account carries its project's district so that district clients'
row rule is one indexed predicate."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, Money, UTCDateTime
from hub.domains.enterprises.models import Enterprise
from hub.domains.projects.models import Project


class AccountKind(enum.Enum):
    SPECIAL = "SPECIAL"
    DEPOSIT = "DEPOSIT"


class ControlStatus(enum.Enum):
    """The strongest control in force on an account."""

    NONE = "NONE"
    MARKED = "MARKED"
    RESTRICTED = "RESTRICTED"
    FROZEN = "FROZEN"
    ALLOCATED = "ALLOCATED"


class Direction(enum.Enum):
    IN = "IN"
    OUT = "OUT"


class ControlKind(enum.Enum):
    SPECIAL_MARK = "SPECIAL_MARK"
    RESTRICTION = "RESTRICTION"
    FREEZE = "FREEZE"
    ALLOCATION = "ALLOCATION"


class ControlState(enum.Enum):
    ACTIVE = "ACTIVE"
    LIFTED = "LIFTED"


class FundsFor(enum.Enum):
    """Whom the funds under a control may go to. Regulations art. 33: special-account funds
    and deposits may not be seized, frozen or transferred except to pay the project's own
    workers, so PROJECT_WORKERS is the only value the hub records."""

    PROJECT_WORKERS = "PROJECT_WORKERS"
    COURT_ENFORCEMENT = "COURT_ENFORCEMENT"
    CREDITOR = "CREDITOR"
    GENERAL_CONTRACTOR = "GENERAL_CONTRACTOR"
    OTHER_PROJECT = "OTHER_PROJECT"
    TAXES_OR_FINES = "TAXES_OR_FINES"
    OTHER = "OTHER"


#: The strongest control in force decides an account's ``control_status``.
CONTROL_STRENGTH: dict[ControlKind, ControlStatus] = {
    ControlKind.SPECIAL_MARK: ControlStatus.MARKED,
    ControlKind.RESTRICTION: ControlStatus.RESTRICTED,
    ControlKind.FREEZE: ControlStatus.FROZEN,
    ControlKind.ALLOCATION: ControlStatus.ALLOCATED,
}


class WageAccount(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "wage_accounts"
    __table_args__ = (
        UniqueConstraint("bank_name", "account_number"),
        Index("ix_wage_accounts_district_code_id", "district_code", "id"),
        Index("ix_wage_accounts_project_id_id", "project_id", "id"),
        Index("ix_wage_accounts_opening_unit_id_id", "opening_unit_id", "id"),
    )

    project_id: Mapped[int] = mapped_column(BigID, ForeignKey("projects.id"))
    district_code: Mapped[str] = mapped_column(String(6))
    kind: Mapped[AccountKind] = mapped_column(enum_column(AccountKind))
    bank_name: Mapped[str] = mapped_column(String(200))
    account_number: Mapped[str] = mapped_column(String(32))
    account_name: Mapped[str] = mapped_column(String(300))
    opening_unit_id: Mapped[int] = mapped_column(BigID, ForeignKey("enterprises.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    balance: Mapped[Decimal] = mapped_column(Money())
    special_mark: Mapped[bool] = mapped_column(default=False)
    control_status: Mapped[ControlStatus] = mapped_column(enum_column(ControlStatus))

    project: Mapped[Project] = relationship(lazy="raise")
    opening_unit: Mapped[Enterprise] = relationship(lazy="raise")


class AccountTransaction(IdMixin, Base):
    """One in/out record as the bank reports it."""

    __tablename__ = "account_transactions"
    __table_args__ = (
        Index("ix_account_transactions_account_id_id", "account_id", "id"),
        UniqueConstraint("account_id", "bank_reference"),
    )

    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("wage_accounts.id"))
    bank_reference: Mapped[str] = mapped_column(String(64))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction))
    amount: Mapped[Decimal] = mapped_column(Money())
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    counterparty_name: Mapped[str | None] = mapped_column(String(200))
    counterparty_account: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[str | None] = mapped_column(String(200))


class AccountControl(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A control a bank placed on an account: the special mark, a restriction, a freeze that
    protects the funds for the workers, or an allocation to pay them (regulations, art. 33)."""

    __tablename__ = "account_controls"
    __table_args__ = (
        Index("ix_account_controls_account_id_id", "account_id", "id"),
        Index("ix_account_controls_district_code_id", "district_code", "id"),
    )

    account_id: Mapped[int] = mapped_column(BigID, ForeignKey("wage_accounts.id"))
    district_code: Mapped[str] = mapped_column(String(6))
    kind: Mapped[ControlKind] = mapped_column(enum_column(ControlKind))
    state: Mapped[ControlState] = mapped_column(enum_column(ControlState))
    effective_on: Mapped[date] = mapped_column(Date)
    lifted_on: Mapped[date | None] = mapped_column(Date)
    purpose: Mapped[str | None] = mapped_column(Text)
    authority: Mapped[str | None] = mapped_column(String(200))
    lift_notice_reference: Mapped[str | None] = mapped_column(String(100))
    lift_notice_on: Mapped[date | None] = mapped_column(Date)
    lift_notice_by: Mapped[str | None] = mapped_column(String(100))
    funds_for: Mapped[FundsFor] = mapped_column(
        enum_column(FundsFor), default=FundsFor.PROJECT_WORKERS, server_default="PROJECT_WORKERS"
    )
    placed_by: Mapped[str | None] = mapped_column(String(100))
