"""Root fields about wage accounts."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.wages.models import WageAccount
from hub.domains.wages.types import WageAccountFilter, WageAccountType
from hub.graphql.context import RequestContext
from hub.graphql.listing import root_connection
from hub.graphql.pagination import Connection

Ctx = Info[RequestContext, None]


@strawberry.type
class WageQuery:
    @strawberry.field(description="Wage special and deposit accounts the caller may see.")
    async def wage_accounts(
        self,
        info: Ctx,
        filter: WageAccountFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[WageAccountType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(
            ctx, WageAccount, preds, lambda m: WageAccountType.present(m, ctx), first, after, last, before
        )
