"""Root fields about the blacklist."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.blacklist.models import BlacklistEntry, DisciplinaryMeasure
from hub.domains.blacklist.types import (
    BlacklistEntryFilter,
    BlacklistEntryType,
    DisciplinaryMeasureFilter,
    DisciplinaryMeasureType,
)
from hub.graphql.context import RequestContext
from hub.graphql.listing import root_connection
from hub.graphql.pagination import Connection

Ctx = Info[RequestContext, None]


@strawberry.type
class BlacklistQuery:
    @strawberry.field(description="Blacklist entries the caller may see, oldest first.")
    async def blacklist_entries(
        self,
        info: Ctx,
        filter: BlacklistEntryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[BlacklistEntryType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(
            ctx, BlacklistEntry, preds, lambda m: BlacklistEntryType.present(m, ctx), first, after, last, before
        )

    @strawberry.field(description="Joint-discipline measures the caller may see (without `discipline:read`, "
                      "its own department's), oldest first.")
    async def disciplinary_measures(
        self,
        info: Ctx,
        filter: DisciplinaryMeasureFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DisciplinaryMeasureType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(
            ctx, DisciplinaryMeasure, preds, lambda m: DisciplinaryMeasureType.present(m, ctx), first, after, last, before
        )
