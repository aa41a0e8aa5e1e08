"""GraphQL surface of credit records."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from hub.domains.credit.models import CreditRecord, CreditRecordKind, SourcePlatform
from hub.domains.enterprises.models import Enterprise
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateRange, date_range, reveals
from hub.graphql.listing import present_one
from hub.graphql.relay import Node, to_global_id

CreditRecordKindEnum = strawberry.enum(CreditRecordKind, name="CreditRecordKind")
SourcePlatformEnum = strawberry.enum(SourcePlatform, name="SourcePlatform")
_EN = "hub.domains.enterprises.types"


@strawberry.input(description="Filters on credit records.")
class CreditRecordFilter:
    kind: CreditRecordKindEnum | None = reveals("CreditRecord.kind")  # type: ignore[valid-type]
    decided_on: DateRange | None = reveals("CreditRecord.decidedOn")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.kind is not None:
            preds.append(CreditRecord.kind == self.kind)
        preds += date_range(CreditRecord.decided_on, self.decided_on, "filter.decidedOn")
        return preds


@strawberry.type(name="CreditRecord", description="A penalty, listing or discipline measure.")
class CreditRecordType(Node):
    kind: CreditRecordKindEnum  # type: ignore[valid-type]
    authority: str
    document_number: str
    decided_on: dt.date
    summary: str
    source_platform: SourcePlatformEnum  # type: ignore[valid-type]
    _enterprise_id: strawberry.Private[int]

    @classmethod
    def present(cls, m: CreditRecord, ctx: RequestContext) -> CreditRecordType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("CreditRecord", m.id),
            kind=m.kind,
            authority=m.authority,
            document_number=m.document_number,
            decided_on=m.decided_on,
            summary=m.summary,
            source_platform=m.source_platform,
            _enterprise_id=m.enterprise_id,
        )

    @strawberry.field(description="The enterprise the record is about.")
    async def enterprise(
        self, info: Info[RequestContext, None]
    ) -> Annotated["EnterpriseType", strawberry.lazy(_EN)] | None:  # noqa: F821
        from hub.domains.enterprises.types import EnterpriseType

        return await present_one(info.context, Enterprise, self._enterprise_id, EnterpriseType.present)
