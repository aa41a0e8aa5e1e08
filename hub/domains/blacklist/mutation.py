"""Mutations of the blacklist: the lifecycle (``blacklist:decide``), publication records
(``blacklist:publish``) and joint-discipline feedback (``discipline:report``).

Each mutation is in a caller's schema only when the policy grants ``Mutation.<name>``; the
resolver checks the scope again (defence in depth). A failing mutation raises a ``HubError``:
its code is in ``extensions.code`` and the request's savepoint is rolled back, so nothing of
it is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry.types import Info

from hub.auth.scopes import Scope
from hub.domains.blacklist import service
from hub.domains.blacklist.lifecycle import Removal
from hub.domains.blacklist.models import BlacklistEntry, PersonRole
from hub.domains.blacklist.service import Decided, Decider
from hub.domains.blacklist.types import (
    BlacklistDecisionType,
    BlacklistEntryType,
    DisciplinaryMeasureType,
    DisciplineAreaEnum,
    PersonRoleEnum,
    PlatformEnum,
    PublicationActionEnum,
    PublicationType,
    entry_pk,
)
from hub.domains.persons.models import IdType
from hub.domains.persons.types import IdTypeEnum
from hub.domains.projects.models import Project
from hub.errors import Forbidden, InvalidInput, NotFound
from hub.graphql.context import RequestContext
from hub.graphql.listing import fetch_one
from hub.graphql.relay import from_global_id
from hub.policy.sql import business_today

Ctx = Info[RequestContext, None]
RemovalEnum = strawberry.enum(Removal, name="Removal", description="How an entry leaves the list.")


def _decider(ctx: RequestContext, scope: Scope) -> Decider:
    if not ctx.caller.has(scope):
        raise Forbidden(f"this needs the `{scope.value}` scope")
    return Decider(ctx.caller, business_today(ctx.settings.business_timezone), ctx.access.rows("BlacklistEntry"))


@strawberry.input(description="A person responsible for the arrears, named on the entry.")
class ResponsiblePersonInput:
    name: str
    id_number: str = strawberry.field(description="Checked per GB 11643 for resident IDs.")
    id_type: IdTypeEnum = IdType.RESIDENT_ID  # type: ignore[valid-type]
    role: PersonRoleEnum = PersonRole.DIRECTLY_RESPONSIBLE  # type: ignore[valid-type]


@strawberry.input(description="A unit proposed for the list; the party is told and may state its case.")
class ProposeBlacklistEntryInput:
    uscc: str = strawberry.field(description="The unit's USCC (GB 32100); it must be registered in the hub.")
    reason: str = strawberry.field(description="Main facts of the arrears.")
    legal_basis: str
    amount_owed: Decimal
    workers_affected: int
    issuing_authority: str
    persons: list[ResponsiblePersonInput] = strawberry.field(
        default_factory=list,
        description="Principal and directly responsible persons; the legal representative is named automatically.",
    )
    project: strawberry.ID | None = strawberry.field(default=None, description="The project where the arrears arose.")
    clues: str | None = None
    internal_notes: str | None = None
    document_number: str | None = strawberry.field(default=None, description="Number of the prior notice.")


@strawberry.input
class RecordDefenceInput:
    entry: strawberry.ID
    version: int
    statement: str = strawberry.field(description="The party's statement and defence.")
    received_on: dt.date | None = strawberry.field(default=None, description="Default: today.")


@strawberry.input
class IncludeInBlacklistInput:
    entry: strawberry.ID
    version: int
    document_number: str = strawberry.field(description="Number of the inclusion decision.")
    decided_on: dt.date | None = strawberry.field(default=None, description="Inclusion date (default today); the listing runs three years from it.")
    reason: str | None = None


@strawberry.input
class RenewBlacklistEntryInput:
    entry: strawberry.ID
    version: int
    document_number: str
    reason: str
    decided_on: dt.date | None = strawberry.field(default=None, description="Renewal date (default today); three more years from it.")


@strawberry.input(description="New values of the fields to correct; absent fields stay as they are.")
class BlacklistCorrections:
    reason: str | None = None
    legal_basis: str | None = None
    amount_owed: Decimal | None = None
    workers_affected: int | None = None
    issuing_authority: str | None = None
    district_code: str | None = None
    decision_document_number: str | None = None
    clues: str | None = None
    internal_notes: str | None = None


@strawberry.input
class CorrectBlacklistEntryInput:
    entry: strawberry.ID
    version: int
    corrections: BlacklistCorrections
    reason: str = strawberry.field(description="Why the recorded facts were wrong.")
    document_number: str | None = None


@strawberry.input
class RemoveFromBlacklistInput:
    entry: strawberry.ID
    version: int
    removal: RemovalEnum  # type: ignore[valid-type]
    reason: str
    decided_on: dt.date | None = None
    document_number: str | None = None
    arrears_corrected_on: dt.date | None = strawberry.field(default=None, description="EARLY_REMOVAL: when the arrears were paid.")
    credit_commitment_on: dt.date | None = strawberry.field(default=None, description="EARLY_REMOVAL: date of the credit commitment.")


@strawberry.input
class RecordPublicationInput:
    entry: strawberry.ID
    platform: PlatformEnum  # type: ignore[valid-type]
    action: PublicationActionEnum  # type: ignore[valid-type]
    at: dt.datetime
    url: str | None = None


@strawberry.input
class ReportDisciplinaryMeasureInput:
    entry: strawberry.ID
    area: DisciplineAreaEnum  # type: ignore[valid-type]
    measure: str = strawberry.field(description="What was done (at most 60 characters).")
    taken_on: dt.date
    effect: str | None = None


@strawberry.type(name="BlacklistDecisionPayload", description="The entry after a decision, and the decision.")
class BlacklistDecisionPayload:
    entry: BlacklistEntryType
    decision: BlacklistDecisionType


@strawberry.type(name="PublicationPayload")
class PublicationPayload:
    publication: PublicationType
    entry: BlacklistEntryType


@strawberry.type(name="DisciplinaryMeasurePayload")
class DisciplinaryMeasurePayload:
    measure: DisciplinaryMeasureType


def _payload(ctx: RequestContext, done: Decided) -> BlacklistDecisionPayload:
    return BlacklistDecisionPayload(
        entry=BlacklistEntryType.present(done.entry, ctx), decision=BlacklistDecisionType.present(done.decision)
    )


async def _project_pk(ctx: RequestContext, global_id: str | None) -> int | None:
    if global_id is None:
        return None
    type_name, pk = from_global_id(global_id)
    if type_name != "Project" or await fetch_one(ctx, Project, pk) is None:
        raise NotFound("no such project", field="project")
    return pk


@strawberry.type
class BlacklistMutation:
    @strawberry.mutation(description="Propose a unit for the list: NOTICE, with a defence deadline.")
    async def propose_blacklist_entry(self, info: Ctx, input: ProposeBlacklistEntryInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        proposal = service.Proposal(
            uscc=input.uscc, reason=input.reason, legal_basis=input.legal_basis, amount_owed=input.amount_owed,
            workers_affected=input.workers_affected, issuing_authority=input.issuing_authority,
            persons=[service.NamedPerson(p.name, p.id_type, p.id_number, p.role) for p in input.persons],
            project_id=await _project_pk(ctx, input.project), clues=input.clues,
            internal_notes=input.internal_notes, document_number=input.document_number,
        )
        return _payload(ctx, await service.propose(ctx.db, who, proposal, ctx.settings.blacklist_defence_working_days))

    @strawberry.mutation(description="Record the party's statement and defence: NOTICE to DEFENCE_HEARD.")
    async def record_defence(self, info: Ctx, input: RecordDefenceInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        done = await service.record_defence(ctx.db, who, entry_pk(input.entry), input.version, input.statement, input.received_on)
        return _payload(ctx, done)

    @strawberry.mutation(description="Include the unit in the list for three years: LISTED. Only after "
                         "its defence was heard or its defence deadline passed.")
    async def include_in_blacklist(self, info: Ctx, input: IncludeInBlacklistInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        done = await service.include(ctx.db, who, entry_pk(input.entry), input.version, input.document_number,
                                     input.decided_on, input.reason)
        return _payload(ctx, done)

    @strawberry.mutation(description="Renew a listing: three more years from the renewal date.")
    async def renew_blacklist_entry(self, info: Ctx, input: RenewBlacklistEntryInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        done = await service.renew(ctx.db, who, entry_pk(input.entry), input.version, input.document_number,
                                   input.decided_on, input.reason)
        return _payload(ctx, done)

    @strawberry.mutation(description="Correct recorded facts; the old values stay in the history.")
    async def correct_blacklist_entry(self, info: Ctx, input: CorrectBlacklistEntryInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        values = {k: v for k, v in vars(input.corrections).items() if v is not None}
        if not values:
            raise InvalidInput("name at least one field to correct", field="corrections")
        done = await service.correct(ctx.db, who, entry_pk(input.entry), input.version, values, input.reason,
                                     input.document_number)
        return _payload(ctx, done)

    @strawberry.mutation(description="Take the unit off the list: EXPIRED (three years up), EARLY_REMOVAL "
                         "(arrears corrected, six months since, credit commitment made) or REVOKED.")
    async def remove_from_blacklist(self, info: Ctx, input: RemoveFromBlacklistInput) -> BlacklistDecisionPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_DECIDE)
        done = await service.remove(
            ctx.db, who, entry_pk(input.entry), input.version, input.removal, input.decided_on, input.reason,
            input.document_number, input.arrears_corrected_on, input.credit_commitment_on,
        )
        return _payload(ctx, done)

    @strawberry.mutation(description="Record that a platform published (or withdrew) an entry's latest decision.")
    async def record_publication(self, info: Ctx, input: RecordPublicationInput) -> PublicationPayload:
        ctx = info.context
        who = _decider(ctx, Scope.BLACKLIST_PUBLISH)
        row = await service.record_publication(ctx.db, who, entry_pk(input.entry), input.platform, input.action,
                                               input.url, input.at)
        entry = await fetch_one(ctx, BlacklistEntry, row.entry_id)
        decisions = {d.id: d for d in await service.repository.decisions(ctx.db, row.entry_id)}
        return PublicationPayload(publication=PublicationType.present(row, decisions),
                                  entry=BlacklistEntryType.present(entry, ctx))

    @strawberry.mutation(description="Report a joint-discipline measure your department took, and its effect.")
    async def report_disciplinary_measure(self, info: Ctx, input: ReportDisciplinaryMeasureInput) -> DisciplinaryMeasurePayload:
        ctx = info.context
        who = _decider(ctx, Scope.DISCIPLINE_REPORT)
        row = await service.report_measure(ctx.db, who, entry_pk(input.entry), input.area, input.measure,
                                           input.taken_on, input.effect)
        return DisciplinaryMeasurePayload(measure=DisciplinaryMeasureType.present(row, ctx))
