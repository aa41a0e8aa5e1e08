"""Construction projects under way, each in one district (the row rule of district clients)."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, Money
from hub.domains.enterprises.models import Enterprise


class PayCycle(enum.Enum):
    MONTHLY = "MONTHLY"
    SEMI_MONTHLY = "SEMI_MONTHLY"
    WEEKLY = "WEEKLY"


class ProjectStatus(enum.Enum):
    UNDER_CONSTRUCTION = "UNDER_CONSTRUCTION"
    SUSPENDED = "SUSPENDED"
    COMPLETED = "COMPLETED"


class Project(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "projects"
    __table_args__ = (
        Index("ix_projects_district_code_id", "district_code", "id"),
        Index("ix_projects_general_contractor_id_id", "general_contractor_id", "id"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    district_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[ProjectStatus] = mapped_column(enum_column(ProjectStatus))
    construction_unit_id: Mapped[int | None] = mapped_column(BigID, ForeignKey("enterprises.id"))
    general_contractor_id: Mapped[int] = mapped_column(BigID, ForeignKey("enterprises.id"))
    contract_value: Mapped[Decimal | None] = mapped_column(Money())
    start_date: Mapped[date] = mapped_column(Date)
    workers: Mapped[int]
    pay_cycle: Mapped[PayCycle] = mapped_column(enum_column(PayCycle))

    general_contractor: Mapped[Enterprise] = relationship(
        lazy="raise", foreign_keys=[general_contractor_id]
    )
    construction_unit: Mapped[Enterprise | None] = relationship(
        lazy="raise", foreign_keys=[construction_unit_id]
    )
