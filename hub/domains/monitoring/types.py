"""GraphQL surface of the monitoring workflow: investigations, findings (anomalies),
early-warning signals and referrals to district bureaus."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, select
from strawberry.scalars import JSON
from strawberry.types import Info

from hub.domains.identifiers import validate_division_code
from hub.domains.monitoring import repository
from hub.domains.monitoring.models import (
    Anomaly,
    AnomalyKind,
    AnomalyStatus,
    DisposalKind,
    Investigation,
    InvestigationStatus,
    Referral,
    ReferralStatus,
    RiskSignal,
    Severity,
    SignalKind,
    SignalStatus,
)
from hub.domains.projects.models import Project
from hub.domains.wages.models import WageAccount
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateRange, date_range, reveals
from hub.graphql.listing import present_one, root_connection
from hub.graphql.pagination import Connection
from hub.graphql.relay import Node, pk_of, to_global_id
from hub.policy.sql import business_today

if TYPE_CHECKING:
    from hub.domains.projects.types import ProjectType
    from hub.domains.wages.types import WageAccountType

AnomalyKindEnum = strawberry.enum(AnomalyKind, name="AnomalyKind")
AnomalyStatusEnum = strawberry.enum(AnomalyStatus, name="AnomalyStatus")
InvestigationStatusEnum = strawberry.enum(
    InvestigationStatus, name="InvestigationStatus",
    description="REQUESTED by HRSS; IN_PROGRESS from the bank's first finding; COMPLETED by the bank.")
SignalKindEnum = strawberry.enum(SignalKind, name="SignalKind")
SeverityEnum = strawberry.enum(Severity, name="Severity")
SignalStatusEnum = strawberry.enum(SignalStatus, name="SignalStatus")
ReferralStatusEnum = strawberry.enum(
    ReferralStatus, name="ReferralStatus",
    description="ASSIGNED to the district; VERIFIED once the inspector's visit is recorded; "
    "CLOSED once the disposal is.")
DisposalKindEnum = strawberry.enum(DisposalKind, name="DisposalKind")
Ctx = Info[RequestContext, None]
_PR = "hub.domains.projects.types"
_WA = "hub.domains.wages.types"


def _today(ctx: RequestContext) -> dt.date:
    return business_today(ctx.settings.business_timezone)


async def _project(ctx: RequestContext, pk: int) -> Any:
    from hub.domains.projects.types import ProjectType

    return await present_one(ctx, Project, pk, ProjectType.present)


async def _account(ctx: RequestContext, pk: int | None) -> Any:
    from hub.domains.wages.types import WageAccountType

    return await present_one(ctx, WageAccount, pk, WageAccountType.present)


async def _referrals(ctx: RequestContext, column: Any, pk: int) -> list[ReferralType]:
    rows = await ctx.loaders.children(Referral, column, pk, Referral.id,
                                      ctx.access.rows("Referral"), "Referral")
    return [ReferralType.present(r, ctx) for r in rows]


# -- findings ---------------------------------------------------------------------------------


@strawberry.type(name="Anomaly", description="A finding about a project or one of its accounts, "
                 "recorded by the banking regulator in an investigation.")
class AnomalyType(Node):
    kind: AnomalyKindEnum  # type: ignore[valid-type]
    status: AnomalyStatusEnum  # type: ignore[valid-type]
    district_code: str
    detail: str
    found_on: dt.date
    version: int
    _model: strawberry.Private[Anomaly]

    @classmethod
    def present(cls, m: Anomaly, ctx: RequestContext) -> AnomalyType:
        ctx.disclosure.rows += 1
        return cls(id=to_global_id("Anomaly", m.id), kind=m.kind, status=m.status,
                   district_code=m.district_code, detail=m.detail, found_on=m.found_on,
                   version=m.version, _model=m)

    @strawberry.field(description="The project the finding is about.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        return await _project(info.context, self._model.project_id)  # type: ignore[no-any-return]

    @strawberry.field(description="The account, unless the finding is that it is missing.")
    async def account(self, info: Ctx) -> Annotated[WageAccountType, strawberry.lazy(_WA)] | None:
        return await _account(info.context, self._model.account_id)  # type: ignore[no-any-return]

    @strawberry.field(description="The investigation that found it.")
    async def investigation(self, info: Ctx) -> InvestigationType | None:
        return await present_one(info.context, Investigation, self._model.investigation_id, InvestigationType.present)

    @strawberry.field(description="Its referrals to the district bureau, oldest first.")
    async def referrals(self, info: Ctx) -> list[ReferralType]:
        return await _referrals(info.context, Referral.anomaly_id, self._model.id)


@strawberry.input(description="Filters on findings.")
class AnomalyFilter:
    kind: AnomalyKindEnum | None = reveals("Anomaly.kind")  # type: ignore[valid-type]
    status: AnomalyStatusEnum | None = reveals("Anomaly.status")  # type: ignore[valid-type]
    district_code: str | None = reveals("Anomaly.districtCode")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.kind is not None:
            preds.append(Anomaly.kind == self.kind)
        if self.status is not None:
            preds.append(Anomaly.status == self.status)
        if self.district_code is not None:
            preds.append(Anomaly.district_code == validate_division_code(self.district_code, "filter.districtCode"))
        return preds


# -- investigations ---------------------------------------------------------------------------


@strawberry.type(name="Investigation", description="HRSS's request to the banking regulator to "
                 "check the wage accounts of a batch of projects, and its progress.")
class InvestigationType(Node):
    reference: str
    reason: str
    status: InvestigationStatusEnum  # type: ignore[valid-type]
    requested_by: str | None = strawberry.field(description="Client id of the requester.")
    requested_at: dt.datetime
    completed_at: dt.datetime | None
    version: int
    _model: strawberry.Private[Investigation]

    @classmethod
    def present(cls, m: Investigation, ctx: RequestContext) -> InvestigationType:
        ctx.disclosure.rows += 1
        return cls(id=to_global_id("Investigation", m.id), reference=m.reference, reason=m.reason,
                   status=m.status, requested_by=m.requested_by, requested_at=m.created_at,
                   completed_at=m.completed_at, version=m.version, _model=m)

    @strawberry.field(description="The projects whose accounts are checked.")
    async def projects(
        self, info: Ctx, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[Annotated[ProjectType, strawberry.lazy(_PR)]]:
        from hub.domains.projects.types import ProjectType

        ctx = info.context
        return await root_connection(
            ctx, Project, [repository.investigation_projects(self._model.id)],
            lambda m: ProjectType.present(m, ctx), first, after, last, before)

    @strawberry.field(description="What the bank found, oldest first.")
    async def findings(
        self, info: Ctx, filter: AnomalyFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[AnomalyType]:
        ctx = info.context
        preds = [Anomaly.investigation_id == self._model.id, *(filter.predicates() if filter else [])]
        return await root_connection(ctx, Anomaly, preds, lambda m: AnomalyType.present(m, ctx),
                                     first, after, last, before)


@strawberry.input(description="Filters on investigations.")
class InvestigationFilter:
    status: InvestigationStatusEnum | None = reveals("Investigation.status")  # type: ignore[valid-type]
    reference: str | None = reveals("Investigation.reference")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.status is not None:
            preds.append(Investigation.status == self.status)
        if self.reference is not None:
            preds.append(Investigation.reference == self.reference)
        return preds


# -- signals --------------------------------------------------------------------------------


@strawberry.type(name="RiskSignal", description="An early warning computed from the data by a "
                 "rule (see the README): RED or YELLOW, with its evidence and its sightings.")
class RiskSignalType(Node):
    kind: SignalKindEnum  # type: ignore[valid-type]
    severity: SeverityEnum  # type: ignore[valid-type]
    status: SignalStatusEnum  # type: ignore[valid-type]
    district_code: str
    summary: str
    evidence: JSON = strawberry.field(description="What the rule saw: cycles, records, amounts.")
    as_of: dt.date = strawberry.field(description="The date the data were judged as of.")
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    resolved_at: dt.datetime | None = strawberry.field(description="When a computation first no longer found it.")
    _model: strawberry.Private[RiskSignal]

    @classmethod
    def present(cls, m: RiskSignal, ctx: RequestContext) -> RiskSignalType:
        ctx.disclosure.rows += 1
        return cls(id=to_global_id("RiskSignal", m.id), kind=m.kind, severity=m.severity,
                   status=m.status, district_code=m.district_code, summary=m.summary,
                   evidence=m.evidence, as_of=m.as_of, first_seen_at=m.first_seen_at,
                   last_seen_at=m.last_seen_at, resolved_at=m.resolved_at, _model=m)

    @strawberry.field(description="The project it warns about.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        return await _project(info.context, self._model.project_id)  # type: ignore[no-any-return]

    @strawberry.field(description="The account it is about, if any.")
    async def account(self, info: Ctx) -> Annotated[WageAccountType, strawberry.lazy(_WA)] | None:
        return await _account(info.context, self._model.account_id)  # type: ignore[no-any-return]

    @strawberry.field(description="Its referrals to the district bureau, oldest first.")
    async def referrals(self, info: Ctx) -> list[ReferralType]:
        return await _referrals(info.context, Referral.signal_id, self._model.id)


@strawberry.input(description="Filters on risk signals; all given filters must match.")
class RiskSignalFilter:
    district_code: str | None = reveals("RiskSignal.districtCode")
    severity: SeverityEnum | None = reveals("RiskSignal.severity")  # type: ignore[valid-type]
    kind: list[SignalKindEnum] | None = reveals("RiskSignal.kind", description="Any of these kinds.")  # type: ignore[valid-type]
    status: SignalStatusEnum | None = reveals("RiskSignal.status")  # type: ignore[valid-type]
    project: strawberry.ID | None = reveals("RiskSignal.project", description="The project's global id.")
    project_code: str | None = reveals("RiskSignal.project")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.district_code is not None:
            preds.append(RiskSignal.district_code == validate_division_code(self.district_code, "filter.districtCode"))
        if self.severity is not None:
            preds.append(RiskSignal.severity == self.severity)
        if self.kind:
            preds.append(RiskSignal.kind.in_(self.kind))
        if self.status is not None:
            preds.append(RiskSignal.status == self.status)
        if self.project is not None:
            preds.append(RiskSignal.project_id == pk_of(self.project, "Project", "filter.project"))
        if self.project_code is not None:
            preds.append(RiskSignal.project_id.in_(select(Project.id).where(Project.code == self.project_code)))
        return preds


# -- referrals ------------------------------------------------------------------------------


@strawberry.type(name="Referral", description="A finding or a signal handed to the district "
                 "bureau of the project, with its verification and disposal.")
class ReferralType(Node):
    status: ReferralStatusEnum  # type: ignore[valid-type]
    district_code: str
    deadline: dt.date
    instructions: str | None
    assigned_by: str | None
    assigned_at: dt.datetime
    inspector: str | None
    visited_on: dt.date | None
    verification_findings: str | None
    disposals: list[DisposalKindEnum]  # type: ignore[valid-type]
    disposal_note: str | None
    closed_at: dt.datetime | None
    version: int
    _model: strawberry.Private[Referral]

    @classmethod
    def present(cls, m: Referral, ctx: RequestContext) -> ReferralType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("Referral", m.id), status=m.status, district_code=m.district_code,
            deadline=m.deadline, instructions=m.instructions, assigned_by=m.assigned_by,
            assigned_at=m.created_at, inspector=m.inspector, visited_on=m.visited_on,
            verification_findings=m.verification_findings,
            disposals=[DisposalKind(d) for d in (m.disposal or "").split(",") if d],
            disposal_note=m.disposal_note, closed_at=m.closed_at, version=m.version, _model=m,
        )

    @strawberry.field(description="Open and past its deadline.")
    def overdue(self, info: Ctx) -> bool:
        return self._model.status is not ReferralStatus.CLOSED and self.deadline < _today(info.context)

    @strawberry.field(description="The project concerned.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        return await _project(info.context, self._model.project_id)  # type: ignore[no-any-return]

    @strawberry.field(description="The finding referred, if a finding was.")
    async def finding(self, info: Ctx) -> AnomalyType | None:
        return await present_one(info.context, Anomaly, self._model.anomaly_id, AnomalyType.present)

    @strawberry.field(description="The signal referred, if a signal was.")
    async def signal(self, info: Ctx) -> RiskSignalType | None:
        return await present_one(info.context, RiskSignal, self._model.signal_id, RiskSignalType.present)


@strawberry.input(description="Filters on referrals; all given filters must match.")
class ReferralFilter:
    district_code: str | None = reveals("Referral.districtCode")
    status: list[ReferralStatusEnum] | None = reveals("Referral.status", description="Any of these states.")  # type: ignore[valid-type]
    overdue: bool | None = reveals("Referral.overdue", description="Open and past the deadline (or not).")
    deadline: DateRange | None = reveals("Referral.deadline")

    def predicates(self, today: dt.date) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.district_code is not None:
            preds.append(Referral.district_code == validate_division_code(self.district_code, "filter.districtCode"))
        if self.status:
            preds.append(Referral.status.in_(self.status))
        if self.overdue is not None:
            late = repository.overdue(today)
            preds.append(late if self.overdue else ~late)
        preds += date_range(Referral.deadline, self.deadline, "filter.deadline")
        return preds


@strawberry.type(name="DistrictReferrals", description="Referrals of one district by state.")
class DistrictReferralsType:
    district_code: str
    open: int = strawberry.field(description="Not closed (ASSIGNED or VERIFIED).")
    overdue: int = strawberry.field(description="Open and past the deadline.")
    closed: int
    total: int
