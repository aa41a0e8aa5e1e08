"""GraphQL surface of the blacklist: entries, their persons and their decision history."""

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
    PersonRole,
)
from hub.domains.enterprises.models import Enterprise
from hub.domains.identifiers import validate_division_code, validate_uscc
from hub.domains.persons.models import Person
from hub.domains.persons.types import PersonType
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateRange, MoneyRange, date_range, money_range, reveals
from hub.graphql.listing import fetch_one
from hub.graphql.relay import Node, to_global_id

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


@strawberry.type(name="BlacklistDecision", description="One decision in an entry's history.")
class BlacklistDecisionType:
    action: DecisionActionEnum  # type: ignore[valid-type]
    from_status: BlacklistStatusEnum | None  # type: ignore[valid-type]
    to_status: BlacklistStatusEnum  # type: ignore[valid-type]
    decided_at: dt.datetime
    document_number: str | None
    reason: str | None


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

        m = await fetch_one(info.context, Enterprise, self._model.enterprise_id)
        return EnterpriseType.present(m, info.context) if m else None

    @strawberry.field(description="The project where the arrears arose.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        from hub.domains.projects.models import Project
        from hub.domains.projects.types import ProjectType

        if self._model.project_id is None:
            return None
        m = await fetch_one(info.context, Project, self._model.project_id)
        return ProjectType.present(m, info.context) if m else None

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
        return [
            BlacklistDecisionType(
                action=d.action,
                from_status=d.from_status,
                to_status=d.to_status,
                decided_at=d.decided_at,
                document_number=d.document_number,
                reason=d.reason,
            )
            for d in rows
        ]
