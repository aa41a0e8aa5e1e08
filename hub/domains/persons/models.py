"""Natural persons: legal representatives and directly responsible persons.

One row per identity document, so that the blacklist and the enterprise register point at
the same person and the audit log can name a person by one keyed hash.
"""

from __future__ import annotations

import enum

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdMixin, TimestampMixin
from hub.db.enums import enum_column


class IdType(enum.Enum):
    RESIDENT_ID = "RESIDENT_ID"
    PASSPORT = "PASSPORT"
    HK_MACAO_PERMIT = "HK_MACAO_PERMIT"
    TAIWAN_PERMIT = "TAIWAN_PERMIT"
    FOREIGN_PERMANENT_RESIDENT = "FOREIGN_PERMANENT_RESIDENT"


class Person(IdMixin, TimestampMixin, Base):
    __tablename__ = "persons"
    __table_args__ = (UniqueConstraint("id_type", "id_number"),)

    name: Mapped[str] = mapped_column(String(100))
    id_type: Mapped[IdType] = mapped_column(enum_column(IdType))
    id_number: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
