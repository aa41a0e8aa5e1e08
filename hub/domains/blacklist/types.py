"""GraphQL surface of the blacklist: entries, their persons and decision history, where the
platforms stand with publishing them, and the joint-discipline feedback on them."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import ColumnElement, select
from strawberry.types import Info

from hub.domains.blacklist.models import (
    BlacklistDecision,
    BlacklistEntry,
    BlacklistEntryPerson,
    BlacklistStatus,
    DecisionAction,
    DisciplinaryMeasure,
    DisciplineArea,
    PersonRole,
    Publication,
)
from hub.domains.blacklist.publication import (
    DecisionFact,
    Platform,
    PublicationAction,
    PublicationFact,
    platform_states,
)
from hub.domains.departments.models import Department
from hub.domains.enterprises.models import Enterprise
from hub.domains.identifiers import validate_division_code, validate_uscc
from hub.domains.persons.models import Person
from hub.domains.persons.types import PersonType
from hub.errors import InvalidInput
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateRange, MoneyRange, date_range, money_range, reveals
from hub.graphql.listing import child_connection, fetch_one, present_one
from hub.graphql.pagination import Connection
from hub.graphql.relay import Node, from_global_id, to_global_id
from hub.policy.sql import business_today

if TYPE_CHECKING:
    from hub.domains.enterprises.types import EnterpriseType
    from hub.domains.projects.types import ProjectType

BlacklistStatusEnum = strawberry.enum(
    BlacklistStatus,
    name="BlacklistStatus",
    description="NOTICE and DEFENCE_HEARD are unpublished; LISTED is in force.",
)
DecisionActionEnum = strawberry.enum(DecisionAction, name="DecisionAction")
PersonRoleEnum = strawberry.enum(PersonRole, name="PersonRole")
PlatformEnum = strawberry.enum(Platform, name="Platform", description="Where the blacklist is published.")
PublicationActionEnum = strawberry.enum(PublicationAction, name="PublicationAction")
DisciplineAreaEnum = strawberry.enum(
    DisciplineArea, name="DisciplineArea", description="Where a joint-discipline measure bites."
)
Ctx = Info[RequestContext, None]
_EN = "hub.domains.enterprises.types"
_PR = "hub.domains.projects.types"


@strawberry.input(description="Filters on blacklist entries; all given filters must match.")
class BlacklistEntryFilter:
    uscc: str | None = reveals("BlacklistEntry.enterprise", "Enterprise.uscc", description="Entries naming the enterprise with this USCC.")
    status: list[BlacklistStatusEnum] | None = reveals("BlacklistEntry.status", description="Any of these states.")  # type: ignore[valid-type]
    district_code: str | None = reveals("BlacklistEntry.districtCode")
    included_on: DateRange | None = reveals("BlacklistEntry.includedOn")
    expected_exit_on: DateRange | None = reveals("BlacklistEntry.expectedExitOn")
    amount_owed: MoneyRange | None = reveals("BlacklistEntry.amountOwed")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.uscc is not None:
            code = validate_uscc(self.uscc, "filter.uscc")
            preds.append(
                BlacklistEntry.enterprise_id.in_(select(Enterprise.id).where(Enterprise.uscc == code))
            )
        if self.status:
            preds.append(BlacklistEntry.status.in_(self.status))
        if self.district_code is not None:
            code = validate_division_code(self.district_code, "filter.districtCode")
            preds.append(BlacklistEntry.district_code == code)
        preds += date_range(BlacklistEntry.included_on, self.included_on, "filter.includedOn")
        preds += date_range(BlacklistEntry.expected_exit_on, self.expected_exit_on, "filter.expectedExitOn")
        preds += money_range(BlacklistEntry.amount_owed, self.amount_owed, "filter.amountOwed")
        return preds


@strawberry.type(name="BlacklistPerson", description="A person named on an entry, with the role.")
class BlacklistPersonType:
    role: PersonRoleEnum  # type: ignore[valid-type]
    person: PersonType


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


@strawberry.type(name="FieldChange", description="One field a decision changed: its value before and after.")
class FieldChangeType:
    field: str = strawberry.field(description="The `BlacklistEntry` field, e.g. `amountOwed`.")
    before: str | None
    after: str | None


@strawberry.type(name="BlacklistDecision", description="One decision in an entry's history.")
class BlacklistDecisionType:
    action: DecisionActionEnum  # type: ignore[valid-type]
    from_status: BlacklistStatusEnum | None  # type: ignore[valid-type]
    to_status: BlacklistStatusEnum  # type: ignore[valid-type]
    decided_at: dt.datetime
    document_number: str | None
    reason: str | None
    _changes: strawberry.Private[dict[str, dict[str, object]] | None] = None

    @classmethod
    def present(cls, d: BlacklistDecision) -> BlacklistDecisionType:
        return cls(
            action=d.action, from_status=d.from_status, to_status=d.to_status, decided_at=d.decided_at,
            document_number=d.document_number, reason=d.reason, _changes=d.changes,
        )

    @strawberry.field(description="What a correction or renewal changed (old values kept); only fields "
                      "of `BlacklistEntry` the caller may see are listed.")
    def changes(self, info: Ctx) -> list[FieldChangeType]:
        visible = info.context.access.visible
        out = []
        for name, change in (self._changes or {}).items():
            field = _camel(name)
            if f"BlacklistEntry.{field}" in visible:
                before, after = change.get("from"), change.get("to")
                out.append(FieldChangeType(
                    field=field, before=None if before is None else str(before),
                    after=None if after is None else str(after),
                ))
        return out


@strawberry.type(name="Publication", description="That a platform published or withdrew an entry.")
class PublicationType:
    platform: PlatformEnum  # type: ignore[valid-type]
    action: PublicationActionEnum  # type: ignore[valid-type]
    url: str | None
    at: dt.datetime
    recorded_by: str | None = strawberry.field(description="Client that recorded it.")
    decision_action: DecisionActionEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The decision the platform showed or withdrew."
    )

    @classmethod
    def present(cls, p: Publication, decisions: dict[int, BlacklistDecision]) -> PublicationType:
        d = decisions.get(p.decision_id) if p.decision_id is not None else None
        return cls(platform=p.platform, action=p.action, url=p.url, at=p.at, recorded_by=p.recorded_by,
                   decision_action=d.action if d else None)


@strawberry.type(name="PlatformPublication", description="Where one platform stands with an entry.")
class PlatformPublicationType:
    platform: PlatformEnum  # type: ignore[valid-type]
    showing: bool = strawberry.field(description="The platform shows the entry now.")
    shows_latest_decision: bool = strawberry.field(description="It shows the latest decision to publish.")
    last_action: PublicationActionEnum | None  # type: ignore[valid-type]
    last_at: dt.datetime | None
    url: str | None
    due_on: dt.date | None = strawberry.field(
        description="By when the platform must publish (or withdraw) the latest decision, if it has not."
    )
    late: bool = strawberry.field(description="`dueOn` has passed and the platform has not caught up.")
    shows_removed_entry: bool = strawberry.field(
        description="The entry left the list but the platform still shows it."
    )


@strawberry.type(name="DisciplinaryMeasure", description="Joint-discipline feedback of one department.")
class DisciplinaryMeasureType(Node):
    area: DisciplineAreaEnum | None  # type: ignore[valid-type]
    measure: str
    taken_on: dt.date
    effect: str | None
    department_code: str | None
    reported_at: dt.datetime
    _model: strawberry.Private[DisciplinaryMeasure]

    @classmethod
    def present(cls, m: DisciplinaryMeasure, ctx: RequestContext) -> DisciplinaryMeasureType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("DisciplinaryMeasure", m.id), area=m.area, measure=m.measure, taken_on=m.taken_on,
            effect=m.effect, department_code=m.department_code, reported_at=m.created_at, _model=m,
        )

    @strawberry.field(description="Name of the reporting department.")
    async def department_name(self, info: Ctx) -> str | None:
        d = await info.context.loaders.by_id(Department, self._model.department_id)
        return d.name if d else None

    @strawberry.field(description="The entry the measure is about.")
    async def entry(self, info: Ctx) -> BlacklistEntryType | None:
        return await present_one(info.context, BlacklistEntry, self._model.entry_id, BlacklistEntryType.present)


@strawberry.input(description="Filters on joint-discipline measures; all given filters must match.")
class DisciplinaryMeasureFilter:
    entry: strawberry.ID | None = reveals("DisciplinaryMeasure.entry", description="Measures about this entry.")
    department_code: str | None = reveals("DisciplinaryMeasure.departmentCode")
    area: DisciplineAreaEnum | None = reveals("DisciplinaryMeasure.area")  # type: ignore[valid-type]

    def predicates(self) -> list[ColumnElement[bool]]:
        from hub.domains.blacklist.repository import measure_predicates

        entry_id = entry_pk(self.entry, "filter.entry") if self.entry is not None else None
        return measure_predicates(entry_id, self.department_code, self.area)


def entry_pk(global_id: str, field: str = "entry") -> int:
    type_name, pk = from_global_id(global_id)
    if type_name != "BlacklistEntry":
        raise InvalidInput("not the id of a blacklist entry", field=field)
    return pk


@strawberry.type(name="DepartmentDiscipline", description="One department's feedback on an entry.")
class DepartmentDisciplineType:
    department_code: str
    measures: int
    last_taken_on: dt.date


@strawberry.type(name="DisciplineSummary", description="Joint discipline applied to an entry, all departments.")
class DisciplineSummaryType:
    measures: int
    departments: list[DepartmentDisciplineType]
    areas: list[DisciplineAreaEnum]  # type: ignore[valid-type]
    with_effect: int = strawberry.field(description="Measures whose effect was reported.")


@strawberry.type(name="BlacklistEntry", description="A unit under joint discipline for wage arrears.")
class BlacklistEntryType(Node):
    status: BlacklistStatusEnum  # type: ignore[valid-type]
    district_code: str
    reason: str = strawberry.field(description="Main facts of the arrears.")
    legal_basis: str
    amount_owed: Decimal
    workers_affected: int
    issuing_authority: str
    decision_document_number: str | None
    included_on: dt.date | None
    expected_exit_on: dt.date | None
    removed_on: dt.date | None
    removal_reason: str | None
    arrears_corrected_on: dt.date | None
    credit_commitment_on: dt.date | None
    proposed_on: dt.date | None
    defence_deadline: dt.date | None
    defence_statement: str | None
    clues: str | None = strawberry.field(description="Clues behind the case (internal).")
    internal_notes: str | None
    version: int = strawberry.field(description="Pass back to mutations (optimistic concurrency).")
    _model: strawberry.Private[BlacklistEntry]

    @classmethod
    def present(cls, m: BlacklistEntry, ctx: RequestContext) -> BlacklistEntryType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("BlacklistEntry", m.id),
            status=m.status,
            district_code=m.district_code,
            reason=m.reason,
            legal_basis=m.legal_basis,
            amount_owed=m.amount_owed,
            workers_affected=m.workers_affected,
            issuing_authority=m.issuing_authority,
            decision_document_number=m.decision_document_number,
            included_on=m.included_on,
            expected_exit_on=m.expected_exit_on,
            removed_on=m.removed_on,
            removal_reason=m.removal_reason,
            arrears_corrected_on=m.arrears_corrected_on,
            credit_commitment_on=m.credit_commitment_on,
            proposed_on=m.proposed_on,
            defence_deadline=m.defence_deadline,
            defence_statement=m.defence_statement,
            clues=m.clues,
            internal_notes=m.internal_notes,
            version=m.version,
            _model=m,
        )

    @strawberry.field(description="The listed unit.")
    async def enterprise(self, info: Ctx) -> Annotated[EnterpriseType, strawberry.lazy(_EN)] | None:
        from hub.domains.enterprises.types import EnterpriseType

        return await present_one(info.context, Enterprise, self._model.enterprise_id, EnterpriseType.present)

    @strawberry.field(description="The project where the arrears arose.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        from hub.domains.projects.models import Project
        from hub.domains.projects.types import ProjectType

        return await present_one(info.context, Project, self._model.project_id, ProjectType.present)

    @strawberry.field(description="Legal representative and other directly responsible persons.")
    async def persons(self, info: Ctx) -> list[BlacklistPersonType]:
        ctx = info.context
        links = await ctx.loaders.children(
            BlacklistEntryPerson, BlacklistEntryPerson.entry_id, self._model.id, BlacklistEntryPerson.person_id
        )
        persons = await asyncio.gather(*(fetch_one(ctx, Person, link.person_id) for link in links))
        return [
            BlacklistPersonType(role=link.role, person=PersonType.present(person, ctx))
            for link, person in zip(links, persons, strict=True)
            if person is not None
        ]

    @strawberry.field(description="Every decision on the entry, oldest first.")
    async def history(self, info: Ctx) -> list[BlacklistDecisionType]:
        rows = await info.context.loaders.children(
            BlacklistDecision, BlacklistDecision.entry_id, self._model.id, BlacklistDecision.id
        )
        return [BlacklistDecisionType.present(d) for d in rows]

    async def _decisions(self, ctx: RequestContext) -> list[BlacklistDecision]:
        return await ctx.loaders.children(  # type: ignore[no-any-return]
            BlacklistDecision, BlacklistDecision.entry_id, self._model.id, BlacklistDecision.id
        )

    async def _publications(self, ctx: RequestContext) -> list[Publication]:
        return await ctx.loaders.children(  # type: ignore[no-any-return]
            Publication, Publication.entry_id, self._model.id, Publication.id
        )

    @strawberry.field(description="Every publication and withdrawal recorded by the platforms, oldest first.")
    async def publications(self, info: Ctx) -> list[PublicationType]:
        decisions = {d.id: d for d in await self._decisions(info.context)}
        return [PublicationType.present(p, decisions) for p in await self._publications(info.context)]

    @strawberry.field(description="For each platform: does it show the latest decision, is it late, "
                      "does it still show an entry that left the list.")
    async def platforms(self, info: Ctx) -> list[PlatformPublicationType]:
        ctx = info.context
        decisions = [
            DecisionFact(d.id, d.action, d.decided_at.astimezone(_tz(ctx)).date(), frozenset((d.changes or {}).keys()))
            for d in await self._decisions(ctx)
        ]
        records = [PublicationFact(p.platform, p.action, p.decision_id, p.at, p.url) for p in await self._publications(ctx)]
        states = platform_states(
            self._model.status, decisions, records, business_today(ctx.settings.business_timezone),
            ctx.settings.blacklist_publication_working_days,
        )
        return [PlatformPublicationType(
            platform=st.platform, showing=st.showing, shows_latest_decision=st.shows_latest_decision,
            last_action=st.last_action, last_at=st.last_at, url=st.url, due_on=st.due_on, late=st.late,
            shows_removed_entry=st.shows_removed_entry,
        ) for st in states]

    @strawberry.field(description="Joint-discipline measures reported on the entry (without "
                      "`discipline:read`, only the caller's own department's).")
    async def disciplinary_measures(
        self,
        info: Ctx,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DisciplinaryMeasureType]:
        ctx = info.context
        return await child_connection(
            ctx, DisciplinaryMeasure, DisciplinaryMeasure.entry_id, self._model.id, [], None,
            lambda m: DisciplinaryMeasureType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Every department's joint discipline on the entry, summed up.")
    async def discipline_summary(self, info: Ctx) -> DisciplineSummaryType:
        ctx = info.context
        rows = await ctx.loaders.children(
            DisciplinaryMeasure, DisciplinaryMeasure.entry_id, self._model.id, DisciplinaryMeasure.id
        )
        rules = ctx.access.rows("DisciplinaryMeasure")
        if rules:  # a caller with row rules on measures sees only its rows in the sum too
            from hub.domains.blacklist.repository import measures_of

            allowed = {m.id for m in await measures_of(ctx.db, self._model.id, rules)}
            rows = [m for m in rows if m.id in allowed]
        per: dict[str, list[DisciplinaryMeasure]] = {}
        for m in rows:
            per.setdefault(m.department_code or "?", []).append(m)
        return DisciplineSummaryType(
            measures=len(rows),
            departments=[
                DepartmentDisciplineType(department_code=code, measures=len(ms), last_taken_on=max(x.taken_on for x in ms))
                for code, ms in sorted(per.items())
            ],
            areas=sorted({m.area for m in rows if m.area is not None}, key=lambda a: a.value),
            with_effect=sum(1 for m in rows if m.effect),
        )


def _tz(ctx: RequestContext) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ctx.settings.business_timezone)
