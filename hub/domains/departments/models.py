"""Departments: the parties to the memorandums. OAuth clients belong to one of them."""

from __future__ import annotations

import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdMixin, TimestampMixin
from hub.db.enums import enum_column


class Profile(enum.Enum):
    """The kinds of party the shipped policy knows (``shared/brief/access.md``)."""

    HRSS = "HRSS"
    DISTRICT = "DISTRICT"
    DRC = "DRC"
    MSB = "MSB"
    BDC = "BDC"
    BANK = "BANK"
    AUDITOR = "AUDITOR"
    ADMIN = "ADMIN"


class Department(IdMixin, TimestampMixin, Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[Profile] = mapped_column(enum_column(Profile))
    division_code: Mapped[str | None] = mapped_column(String(6))
