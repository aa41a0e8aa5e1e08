"""Enterprises, keyed by the Unified Social Credit Code that joins every data set."""

from __future__ import annotations

import enum
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from hub.db.enums import enum_column
from hub.db.types import BigID, Money
from hub.domains.persons.models import Person


class EnterpriseStatus(enum.Enum):
    IN_OPERATION = "IN_OPERATION"
    ABNORMAL_OPERATION = "ABNORMAL_OPERATION"
    REVOKED = "REVOKED"
    DEREGISTERED = "DEREGISTERED"


class Enterprise(IdMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "enterprises"
    __table_args__ = (
        Index("ix_enterprises_name", "name"),
        Index("ix_enterprises_district_code_id", "district_code", "id"),
    )

    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[EnterpriseStatus] = mapped_column(enum_column(EnterpriseStatus))
    address: Mapped[str | None] = mapped_column(String(300))
    registered_capital: Mapped[Decimal | None] = mapped_column(Money())
    district_code: Mapped[str] = mapped_column(String(6))
    legal_representative_id: Mapped[int | None] = mapped_column(
        BigID, ForeignKey("persons.id"), index=True
    )
    contact_person: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(32))

    legal_representative: Mapped[Person | None] = relationship(lazy="raise")
