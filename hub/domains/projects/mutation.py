"""Mutations on projects (``wages:write``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry.types import Info

from hub.domains.projects import service
from hub.domains.projects.models import PayCycle, ProjectStatus
from hub.domains.projects.types import PayCycleEnum, ProjectStatusEnum, ProjectType
from hub.graphql.context import RequestContext
from hub.graphql.inputs import part_of

Ctx = Info[RequestContext, None]
_M = "Mutation.registerProject"


@strawberry.input(description="A construction project to register.")
class RegisterProjectInput:
    code: str = part_of(_M, "Unique project code.")
    name: str = part_of(_M)
    district_code: str = part_of(_M, "6-digit division code where it is built.")
    general_contractor_uscc: str = part_of(_M)
    start_date: dt.date = part_of(_M)
    workers: int = part_of(_M)
    construction_unit_uscc: str | None = part_of(_M, default=None)
    contract_value: Decimal | None = part_of(_M, "Yuan, a decimal string.", default=None)
    pay_cycle: PayCycleEnum = part_of(_M, default=PayCycle.MONTHLY)  # type: ignore[valid-type]
    status: ProjectStatusEnum = part_of(_M, default=ProjectStatus.UNDER_CONSTRUCTION)  # type: ignore[valid-type]


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(description="Register a construction project (wages:write).")
    async def register_project(self, info: Ctx, input: RegisterProjectInput) -> ProjectType:
        ctx = info.context
        m = await service.register_project(
            ctx.db.session, code=input.code, name=input.name, district_code=input.district_code,
            general_contractor_uscc=input.general_contractor_uscc,
            construction_unit_uscc=input.construction_unit_uscc,
            contract_value=input.contract_value, start_date=input.start_date,
            workers=input.workers, pay_cycle=input.pay_cycle, status=input.status,
        )
        return ProjectType.present(m, ctx)
