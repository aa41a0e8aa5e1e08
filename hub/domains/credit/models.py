"""Credit records: penalties, abnormal-operation and serious-dishonesty listings, and joint
discipline, as the credit platforms publish them."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db.base import Base, IdMixin, TimestampMixin
from hub.db.enums import enum_column
from hub.db.types import BigID
from hub.domains.enterprises.models import Enterprise


class CreditRecordKind(enum.Enum):
    ADMINISTRATIVE_PENALTY = "ADMINISTRATIVE_PENALTY"
    ABNORMAL_OPERATION = "ABNORMAL_OPERATION"
    SERIOUS_DISHONESTY = "SERIOUS_DISHONESTY"
    JOINT_DISCIPLINE = "JOINT_DISCIPLINE"


class SourcePlatform(enum.Enum):
    NECIPS = "NECIPS"
    CREDIT_CHINA = "CREDIT_CHINA"
    HRSS_PORTAL = "HRSS_PORTAL"
    OTHER = "OTHER"


class CreditRecord(IdMixin, TimestampMixin, Base):
    __tablename__ = "credit_records"
    __table_args__ = (Index("ix_credit_records_enterprise_id_id", "enterprise_id", "id"),)

    enterprise_id: Mapped[int] = mapped_column(BigID, ForeignKey("enterprises.id"))
    kind: Mapped[CreditRecordKind] = mapped_column(enum_column(CreditRecordKind))
    authority: Mapped[str] = mapped_column(String(200))
    document_number: Mapped[str] = mapped_column(String(100))
    decided_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    source_platform: Mapped[SourcePlatform] = mapped_column(enum_column(SourcePlatform))

    enterprise: Mapped[Enterprise] = relationship(lazy="raise")
