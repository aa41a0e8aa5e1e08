"""Root fields of the monitoring workflow."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.identifiers import validate_division_code
from hub.domains.monitoring import repository
from hub.domains.monitoring.models import Investigation, Referral, RiskSignal
from hub.domains.monitoring.types import (
    DistrictReferralsType,
    InvestigationFilter,
    InvestigationType,
    ReferralFilter,
    ReferralType,
    RiskSignalFilter,
    RiskSignalType,
    _today,
)
from hub.graphql.context import RequestContext
from hub.graphql.listing import root_connection
from hub.graphql.pagination import Connection

Ctx = Info[RequestContext, None]


@strawberry.type
class MonitoringQuery:
    @strawberry.field(description="Investigations of wage accounts, oldest first.")
    async def investigations(
        self, info: Ctx, filter: InvestigationFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[InvestigationType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(ctx, Investigation, preds,
                                     lambda m: InvestigationType.present(m, ctx), first, after, last, before)

    @strawberry.field(description="Early-warning signals the caller may see, oldest first.")
    async def risk_signals(
        self, info: Ctx, filter: RiskSignalFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[RiskSignalType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await root_connection(ctx, RiskSignal, preds,
                                     lambda m: RiskSignalType.present(m, ctx), first, after, last, before)

    @strawberry.field(description="Referrals to district bureaus the caller may see, oldest first.")
    async def referrals(
        self, info: Ctx, filter: ReferralFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[ReferralType]:
        ctx = info.context
        preds = filter.predicates(_today(ctx)) if filter else []
        return await root_connection(ctx, Referral, preds,
                                     lambda m: ReferralType.present(m, ctx), first, after, last, before)

    @strawberry.field(description="Open, overdue and closed referrals per district.")
    async def referral_summary(self, info: Ctx, district_code: str | None = None) -> list[DistrictReferralsType]:
        ctx = info.context
        district = validate_division_code(district_code, "districtCode") if district_code else None
        rows = await repository.referral_summary(ctx.db, ctx.access.rows("Referral"), _today(ctx), district)
        return [DistrictReferralsType(district_code=d, open=int(o or 0), overdue=int(late or 0),
                                      closed=int(c or 0), total=int(t or 0))
                for d, o, late, c, t in rows]
