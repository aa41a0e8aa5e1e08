"""Mutations of the monitoring workflow: investigations (``wages:write`` asks,
``wages:investigate`` answers), referrals (``referral:assign`` refers, ``referral:handle``
verifies and disposes, own district only)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from hub.domains.monitoring import service
from hub.domains.monitoring.types import (
    AnomalyKindEnum,
    AnomalyType,
    DisposalKindEnum,
    InvestigationType,
    ReferralType,
)
from hub.graphql.context import RequestContext
from hub.graphql.inputs import part_of
from hub.graphql.relay import pk_of
from hub.policy.sql import business_today

Ctx = Info[RequestContext, None]
_FIND, _REFER = "Mutation.recordAccountFinding", "Mutation.referToDistrict"
_VERIFY, _DISPOSE = "Mutation.recordReferralVerification", "Mutation.recordReferralDisposal"


def _today(ctx: RequestContext) -> dt.date:
    return business_today(ctx.settings.business_timezone)


@strawberry.input(description="One finding of the banking regulator about an account.")
class RecordAccountFindingInput:
    investigation: strawberry.ID = part_of(_FIND)
    project: strawberry.ID = part_of(_FIND)
    account: strawberry.ID | None = part_of(_FIND, "Required unless the finding is ACCOUNT_MISSING.", default=None)
    kind: AnomalyKindEnum = part_of(_FIND)  # type: ignore[valid-type]
    detail: str = part_of(_FIND, "What was found.")
    found_on: dt.date = part_of(_FIND)


@strawberry.input(description="A finding or a signal to refer to its district bureau.")
class ReferToDistrictInput:
    finding: strawberry.ID | None = part_of(_REFER, "A finding (Anomaly) id; or give `signal`.", default=None)
    signal: strawberry.ID | None = part_of(_REFER, "A RiskSignal id; or give `finding`.", default=None)
    version: int | None = part_of(_REFER, "The finding's version as read (findings only).", default=None)
    deadline: dt.date | None = part_of(_REFER, "Default: HUB_REFERRAL_DEFAULT_DAYS from today.", default=None)
    instructions: str | None = part_of(_REFER, default=None)


@strawberry.input(description="What the district's inspector verified on site.")
class ReferralVerificationInput:
    id: strawberry.ID = part_of(_VERIFY)
    version: int = part_of(_VERIFY)
    inspector: str = part_of(_VERIFY, "The labour inspector (grid staff) who visited.")
    visited_on: dt.date = part_of(_VERIFY)
    findings: str = part_of(_VERIFY, "What the visit found.")


@strawberry.input(description="How the district disposed of a referral; closes it.")
class ReferralDisposalInput:
    id: strawberry.ID = part_of(_DISPOSE)
    version: int = part_of(_DISPOSE)
    disposals: list[DisposalKindEnum] = part_of(_DISPOSE)  # type: ignore[valid-type]
    note: str | None = part_of(_DISPOSE, default=None)


@strawberry.type
class MonitoringMutation:
    @strawberry.mutation(description="Ask the banking regulator to check the accounts of these "
                         "projects (wages:write); follow its `status`.")
    async def request_account_investigation(self, info: Ctx, projects: list[strawberry.ID],
                                            reason: str) -> InvestigationType:
        ctx = info.context
        ids = [pk_of(p, "Project", "projects") for p in projects]
        m = await service.request_investigation(ctx.db.session, ctx.caller, ctx.access, ids, reason, _today(ctx))
        return InvestigationType.present(m, ctx)

    @strawberry.mutation(description="Record a finding about an account (wages:investigate).")
    async def record_account_finding(self, info: Ctx, input: RecordAccountFindingInput) -> AnomalyType:
        ctx = info.context
        m = await service.record_finding(
            ctx.db.session, ctx.caller, ctx.access,
            investigation_id=pk_of(input.investigation, "Investigation", "input.investigation"),
            project_id=pk_of(input.project, "Project", "input.project"),
            account_id=pk_of(input.account, "WageAccount", "input.account") if input.account else None,
            kind=input.kind, detail=input.detail, found_on=input.found_on, today=_today(ctx))
        return AnomalyType.present(m, ctx)

    @strawberry.mutation(description="Mark an investigation completed (wages:investigate).")
    async def complete_investigation(self, info: Ctx, id: strawberry.ID, version: int) -> InvestigationType:
        ctx = info.context
        m = await service.complete_investigation(ctx.db.session, ctx.access,
                                                 pk_of(id, "Investigation", "id"), version)
        return InvestigationType.present(m, ctx)

    @strawberry.mutation(description="Refer a finding or a signal to the bureau of its project's "
                         "district, with a deadline (referral:assign).")
    async def refer_to_district(self, info: Ctx, input: ReferToDistrictInput) -> ReferralType:
        ctx = info.context
        m = await service.refer(
            ctx.db.session, ctx.caller, ctx.access,
            finding_id=pk_of(input.finding, "Anomaly", "input.finding") if input.finding else None,
            signal_id=pk_of(input.signal, "RiskSignal", "input.signal") if input.signal else None,
            version=input.version, deadline=input.deadline, instructions=input.instructions,
            today=_today(ctx), default_days=ctx.settings.referral_default_days)
        return ReferralType.present(m, ctx)

    @strawberry.mutation(description="Record the on-site verification of a referral "
                         "(referral:handle, own district).")
    async def record_referral_verification(self, info: Ctx, input: ReferralVerificationInput) -> ReferralType:
        ctx = info.context
        m = await service.record_verification(
            ctx.db.session, ctx.caller, ctx.access, pk_of(input.id, "Referral", "input.id"),
            input.version, inspector=input.inspector, visited_on=input.visited_on,
            findings=input.findings, today=_today(ctx))
        return ReferralType.present(m, ctx)

    @strawberry.mutation(description="Record the disposal of a referral, which closes it "
                         "(referral:handle, own district).")
    async def record_referral_disposal(self, info: Ctx, input: ReferralDisposalInput) -> ReferralType:
        ctx = info.context
        m = await service.record_disposal(
            ctx.db.session, ctx.caller, ctx.access, pk_of(input.id, "Referral", "input.id"),
            input.version, disposals=input.disposals, note=input.note)
        return ReferralType.present(m, ctx)
