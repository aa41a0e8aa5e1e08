"""The list of units and persons under joint discipline for wage arrears, with the append-only
history of every decision taken on an entry, its publications and the joint-discipline
feedback of the departments that apply it."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, Money, UTCDateTime, utcnow
from hub.domains.blacklist.lifecycle import (  # noqa: F401 - re-exported
    REMOVED_STATUSES,
    UNPUBLISHED_STATUSES,
    BlacklistStatus,
    DecisionAction,
)
from hub.domains.blacklist.publication import Platform, PublicationAction  # noqa: F401 - re-exported
from hub.domains.enterprises.models import Enterprise
from hub.domains.persons.models import Person


class PersonRole(enum.Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    PRINCIPAL = "PRINCIPAL"
    DIRECTLY_RESPONSIBLE = "DIRECTLY_RESPONSIBLE"


class BlacklistEntry(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "blacklist_entries"
    __table_args__ = (
        Index("ix_blacklist_entries_status_id", "status", "id"),
        Index("ix_blacklist_entries_enterprise_id_id", "enterprise_id", "id"),
        Index("ix_blacklist_entries_district_code_id", "district_code", "id"),
    )

    enterprise_id: Mapped[int] = mapped_column(BigID, ForeignKey("enterprises.id"))
    status: Mapped[BlacklistStatus] = mapped_column(enum_column(BlacklistStatus))
    district_code: Mapped[str] = mapped_column(String(6))
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    amount_owed: Mapped[Decimal] = mapped_column(Money())
    workers_affected: Mapped[int]
    project_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("projects.id"), index=True)
    issuing_authority: Mapped[str] = mapped_column(String(200))
    clues: Mapped[str | None] = mapped_column(Text)
    internal_notes: Mapped[str | None] = mapped_column(Text)
    proposed_on: Mapped[date | None] = mapped_column(Date)
    defence_deadline: Mapped[date | None] = mapped_column(Date)
    defence_statement: Mapped[str | None] = mapped_column(Text)
    defence_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_document_number: Mapped[str | None] = mapped_column(String(100))
    included_on: Mapped[date | None] = mapped_column(Date)
    expected_exit_on: Mapped[date | None] = mapped_column(Date)
    arrears_corrected_on: Mapped[date | None] = mapped_column(Date)
    credit_commitment_on: Mapped[date | None] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(Text)

    enterprise: Mapped[Enterprise] = relationship(lazy="raise")
    persons: Mapped[list[BlacklistEntryPerson]] = relationship(
        lazy="raise", cascade="all, delete-orphan", back_populates="entry"
    )


class BlacklistEntryPerson(Base):
    __tablename__ = "blacklist_entry_persons"

    entry_id: Mapped[int] = mapped_column(
        BigID, ForeignKey("blacklist_entries.id"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(BigID, ForeignKey("persons.id"), primary_key=True)
    role: Mapped[PersonRole] = mapped_column(enum_column(PersonRole))

    entry: Mapped[BlacklistEntry] = relationship(lazy="raise", back_populates="persons")
    person: Mapped[Person] = relationship(lazy="raise")


class BlacklistDecision(IdMixin, Base):
    """One decision on an entry. Rows are only ever inserted: a correction is a new decision
    carrying the old and new values, never an edit of an old one."""

    __tablename__ = "blacklist_decisions"
    __table_args__ = (Index("ix_blacklist_decisions_entry_id_id", "entry_id", "id"),)

    entry_id: Mapped[int] = mapped_column(BigID, ForeignKey("blacklist_entries.id"))
    action: Mapped[DecisionAction] = mapped_column(enum_column(DecisionAction))
    from_status: Mapped[BlacklistStatus | None] = mapped_column(enum_column(BlacklistStatus))
    to_status: Mapped[BlacklistStatus] = mapped_column(enum_column(BlacklistStatus))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    document_number: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor: Mapped[str | None] = mapped_column(String(100))


class Publication(IdMixin, Base):
    """That a platform published (or withdrew) an entry's latest decision."""

    __tablename__ = "blacklist_publications"
    __table_args__ = (Index("ix_blacklist_publications_entry_id_id", "entry_id", "id"),)

    entry_id: Mapped[int] = mapped_column(BigID, ForeignKey("blacklist_entries.id"))
    decision_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("blacklist_decisions.id"))
    platform: Mapped[Platform] = mapped_column(enum_column(Platform))
    action: Mapped[PublicationAction] = mapped_column(enum_column(PublicationAction))
    url: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str | None] = mapped_column(String(100))


class DisciplineArea(enum.Enum):
    """Where joint discipline bites (national interim measures, art. 14)."""

    GOVERNMENT_PROCUREMENT = "GOVERNMENT_PROCUREMENT"
    BIDDING = "BIDDING"
    FINANCING = "FINANCING"
    MARKET_ACCESS = "MARKET_ACCESS"
    TAX_PREFERENCE = "TAX_PREFERENCE"
    HONOURS = "HONOURS"
    HIGH_CONSUMPTION = "HIGH_CONSUMPTION"
    PUBLICITY = "PUBLICITY"
    OTHER = "OTHER"


class DisciplinaryMeasure(IdMixin, TimestampMixin, Base):
    """Joint-discipline feedback: what a department did about a listed unit, and the effect.
    ``department_code`` repeats the department's code so that the policy's row rule (a
    department without ``discipline:read`` sees its own rows only) is a plain comparison."""

    __tablename__ = "disciplinary_measures"
    __table_args__ = (Index("ix_disciplinary_measures_entry_id_id", "entry_id", "id"),)

    entry_id: Mapped[int] = mapped_column(BigID, ForeignKey("blacklist_entries.id"))
    department_id: Mapped[int] = mapped_column(BigID, ForeignKey("departments.id"), index=True)
    department_code: Mapped[str | None] = mapped_column(String(40))
    area: Mapped[DisciplineArea | None] = mapped_column(enum_column(DisciplineArea))
    measure: Mapped[str] = mapped_column(String(60))
    taken_on: Mapped[date] = mapped_column(Date)
    effect: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[str | None] = mapped_column(String(100))
