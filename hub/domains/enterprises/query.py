"""Root fields about enterprises."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.enterprises import repository
from hub.domains.enterprises.models import Enterprise
from hub.domains.enterprises.types import EnterpriseFilter, EnterpriseType
from hub.graphql.context import RequestContext
from hub.graphql.listing import root_connection
from hub.graphql.pagination import Connection

Ctx = Info[RequestContext, None]


@strawberry.type
class EnterpriseQuery:
    @strawberry.field(description="The enterprise with this USCC, or null.")
    async def enterprise(self, info: Ctx, uscc: str) -> EnterpriseType | None:
        ctx = info.context
        m = await repository.by_uscc(ctx.db, uscc, ctx.access.rows("Enterprise"))
        return EnterpriseType.present(m, ctx) if m else None

    @strawberry.field(description="Enterprises, oldest registration in the hub first.")
    async def enterprises(
        self,
        info: Ctx,
        filter: EnterpriseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[EnterpriseType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(
            ctx, Enterprise, preds, lambda m: EnterpriseType.present(m, ctx), first, after, last, before
        )
