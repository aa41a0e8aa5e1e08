"""GraphQL surface of construction projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import ColumnElement, select
from strawberry.types import Info

from hub.domains.enterprises.models import Enterprise
from hub.domains.identifiers import validate_division_code, validate_uscc
from hub.domains.projects.models import PayCycle, Project, ProjectStatus
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateRange, MoneyRange, date_range, money_range, prefix, reveals
from hub.graphql.listing import child_connection, present_one
from hub.graphql.pagination import Connection
from hub.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from hub.domains.enterprises.types import EnterpriseType
    from hub.domains.monitoring.types import AnomalyType, RiskSignalFilter, RiskSignalType
    from hub.domains.wages.types import WageAccountFilter, WageAccountType

PayCycleEnum = strawberry.enum(PayCycle, name="PayCycle")
ProjectStatusEnum = strawberry.enum(ProjectStatus, name="ProjectStatus")
Ctx = Info[RequestContext, None]
_EN = "hub.domains.enterprises.types"
_WA = "hub.domains.wages.types"
_MO = "hub.domains.monitoring.types"


@strawberry.input(description="Filters on projects; all given filters must match.")
class ProjectFilter:
    code: str | None = reveals("Project.code")
    name_prefix: str | None = reveals("Project.name", description="Names starting with this text.")
    district_code: str | None = reveals("Project.districtCode")
    status: ProjectStatusEnum | None = reveals("Project.status")  # type: ignore[valid-type]
    general_contractor_uscc: str | None = reveals("Project.generalContractor", description="Enterprise.uscc")
    start_date: DateRange | None = reveals("Project.startDate")
    contract_value: MoneyRange | None = reveals("Project.contractValue")
    at_risk: bool | None = reveals("Project.riskSignals", description="Projects with (or without) an ACTIVE risk signal.")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.code is not None:
            preds.append(Project.code == self.code)
        preds += prefix(Project.name, self.name_prefix)
        if self.district_code is not None:
            preds.append(Project.district_code == validate_division_code(self.district_code, "filter.districtCode"))
        if self.status is not None:
            preds.append(Project.status == self.status)
        if self.general_contractor_uscc is not None:
            code = validate_uscc(self.general_contractor_uscc, "filter.generalContractorUscc")
            preds.append(Project.general_contractor_id.in_(select(Enterprise.id).where(Enterprise.uscc == code)))
        preds += date_range(Project.start_date, self.start_date, "filter.startDate")
        preds += money_range(Project.contract_value, self.contract_value, "filter.contractValue")
        if self.at_risk is not None:
            from hub.domains.monitoring.models import RiskSignal, SignalStatus

            risky = Project.id.in_(select(RiskSignal.project_id).where(RiskSignal.status == SignalStatus.ACTIVE))
            preds.append(risky if self.at_risk else ~risky)
        return preds


@strawberry.type(name="Project", description="A construction project under way.")
class ProjectType(Node):
    code: str
    name: str
    district_code: str
    status: ProjectStatusEnum  # type: ignore[valid-type]
    contract_value: Decimal | None
    start_date: dt.date
    workers: int
    pay_cycle: PayCycleEnum = strawberry.field(description="Agreed wage payment cycle.")  # type: ignore[valid-type]
    version: int
    _model: strawberry.Private[Project]

    @classmethod
    def present(cls, m: Project, ctx: RequestContext) -> ProjectType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("Project", m.id),
            code=m.code,
            name=m.name,
            district_code=m.district_code,
            status=m.status,
            contract_value=m.contract_value,
            start_date=m.start_date,
            workers=m.workers,
            pay_cycle=m.pay_cycle,
            version=m.version,
            _model=m,
        )

    @strawberry.field(description="The general contractor, who must open the special account.")
    async def general_contractor(self, info: Ctx) -> Annotated[EnterpriseType, strawberry.lazy(_EN)] | None:
        from hub.domains.enterprises.types import EnterpriseType

        return await present_one(info.context, Enterprise, self._model.general_contractor_id, EnterpriseType.present)

    @strawberry.field(description="The construction unit (employer of the contract).")
    async def construction_unit(self, info: Ctx) -> Annotated[EnterpriseType, strawberry.lazy(_EN)] | None:
        from hub.domains.enterprises.types import EnterpriseType

        return await present_one(info.context, Enterprise, self._model.construction_unit_id, EnterpriseType.present)

    @strawberry.field(description="The project's wage special and deposit accounts.")
    async def accounts(
        self,
        info: Ctx,
        filter: Annotated[WageAccountFilter, strawberry.lazy(_WA)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[WageAccountType, strawberry.lazy(_WA)]]:
        from hub.domains.wages.models import WageAccount
        from hub.domains.wages.types import WageAccountType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, WageAccount, WageAccount.project_id, self._model.id, preds, repr(filter),
            lambda m: WageAccountType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Early-warning signals about the project, oldest first.")
    async def risk_signals(
        self,
        info: Ctx,
        filter: Annotated[RiskSignalFilter, strawberry.lazy(_MO)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[RiskSignalType, strawberry.lazy(_MO)]]:
        from hub.domains.monitoring.models import RiskSignal
        from hub.domains.monitoring.types import RiskSignalType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, RiskSignal, RiskSignal.project_id, self._model.id, preds, repr(filter),
            lambda m: RiskSignalType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Problems found on the project's accounts.")
    async def anomalies(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[AnomalyType, strawberry.lazy(_MO)]]:
        from hub.domains.monitoring.models import Anomaly
        from hub.domains.monitoring.types import AnomalyType

        ctx = info.context
        return await child_connection(
            ctx, Anomaly, Anomaly.project_id, self._model.id, [], None,
            lambda m: AnomalyType.present(m, ctx), first, after, last, before,
        )
