"""Use cases of the monitoring workflow. HRSS opens an investigation over a batch of
projects; the banking regulator records findings per account and completes it; findings and
early-warning signals are referred to district bureaus, which record the verification and
the disposal; the disposal closes the loop.

    investigation   REQUESTED --first finding--> IN_PROGRESS --complete--> COMPLETED
    finding         OPEN --referred--> REFERRED --disposal recorded--> CLOSED
    referral        ASSIGNED --verification--> VERIFIED --disposal--> CLOSED

Services never commit (the request's unit of work does) and take the caller's access view,
so that a row the caller may not see is NOT_FOUND, exactly like a row that does not exist.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.caller import Caller
from hub.db.types import utcnow
from hub.db.versioning import expect_version, flush
from hub.domains.monitoring import repository as repo
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
)
from hub.domains.projects.models import Project
from hub.domains.wages.models import AccountKind, WageAccount
from hub.errors import Conflict, IllegalTransition, InvalidInput, NotFound
from hub.policy.access import AccessView

MAX_PROJECTS = 1000
TEXT_MAX = 4000


def _text(value: str | None, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"`{field}` must not be empty", field=field)
        return None
    if len(value) > limit:
        raise InvalidInput(f"`{field}` is longer than {limit} characters", field=field)
    return value


def _not_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise InvalidInput(f"`{field}` is in the future ({day})", field=field)
    return day


# -- investigations -------------------------------------------------------------------------


async def request_investigation(session: AsyncSession, caller: Caller, access: AccessView,
                                project_ids: Sequence[int], reason: str, today: date) -> Investigation:
    if not project_ids:
        raise InvalidInput("name at least one project", field="projects")
    if len(set(project_ids)) > MAX_PROJECTS:
        raise InvalidInput(f"at most {MAX_PROJECTS} projects per investigation", field="projects")
    found = await repo.projects(session, project_ids, access.rows("Project"))
    missing = [p for p in project_ids if p not in found]
    if missing:
        raise NotFound(f"{len(missing)} of the projects do not exist", field="projects")
    investigation = Investigation(
        reference=f"INV-{today.year}-{secrets.token_hex(4).upper()}",
        reason=_text(reason, "reason"), status=InvestigationStatus.REQUESTED,
        requested_by=caller.client_id,
    )
    await repo.add_investigation(session, investigation, found)
    return investigation


async def _investigation(session: AsyncSession, pk: int, access: AccessView) -> Investigation:
    investigation = await repo.get(session, Investigation, pk, access.rows("Investigation"))
    if investigation is None:
        raise NotFound("no investigation with this id", field="investigation")
    return investigation


async def record_finding(session: AsyncSession, caller: Caller, access: AccessView, *,
                         investigation_id: int, project_id: int, account_id: int | None,
                         kind: AnomalyKind, detail: str, found_on: date, today: date) -> Anomaly:
    """One finding of the banking regulator about one account (or a missing one)."""
    investigation = await _investigation(session, investigation_id, access)
    if investigation.status is InvestigationStatus.COMPLETED:
        raise IllegalTransition(f"investigation {investigation.reference} is completed: "
                                "findings can no longer be added")
    project = await repo.get(session, Project, project_id, access.rows("Project"))
    if project is None or not await repo.in_investigation(session, investigation.id, project_id):
        raise NotFound("the project is not one of this investigation's", field="project")
    account = None
    if kind is AnomalyKind.ACCOUNT_MISSING:
        if account_id is not None:
            raise InvalidInput("an ACCOUNT_MISSING finding names no account", field="account")
    elif kind is not AnomalyKind.OTHER or account_id is not None:
        if account_id is None:
            raise InvalidInput(f"a {kind.value} finding names the account", field="account")
        account = await repo.get(session, WageAccount, account_id, access.rows("WageAccount"))
        if account is None or account.project_id != project.id:
            raise NotFound("the account is not one of the project's", field="account")
        if kind is AnomalyKind.DEPOSIT_SHORT and account.kind is not AccountKind.DEPOSIT:
            raise InvalidInput("DEPOSIT_SHORT is found on a deposit account", field="account")
    finding = Anomaly(
        project_id=project.id, account_id=account.id if account else None,
        investigation_id=investigation.id, district_code=project.district_code, kind=kind,
        status=AnomalyStatus.OPEN, detail=_text(detail, "detail"),
        found_on=_not_future(found_on, today, "foundOn"), recorded_by=caller.client_id,
    )
    if investigation.status is InvestigationStatus.REQUESTED:
        investigation.status = InvestigationStatus.IN_PROGRESS
    await repo.add(session, finding)
    await flush(session, f"investigation {investigation.reference}")
    return finding


async def complete_investigation(session: AsyncSession, access: AccessView, pk: int,
                                 version: int) -> Investigation:
    investigation = await _investigation(session, pk, access)
    expect_version(investigation, version, f"investigation {investigation.reference}")
    if investigation.status is InvestigationStatus.COMPLETED:
        raise IllegalTransition(f"investigation {investigation.reference} is already completed")
    investigation.status = InvestigationStatus.COMPLETED
    investigation.completed_at = utcnow()
    await flush(session, f"investigation {investigation.reference}")
    return investigation


# -- referrals ------------------------------------------------------------------------------


async def refer(session: AsyncSession, caller: Caller, access: AccessView, *,
                finding_id: int | None, signal_id: int | None, version: int | None,
                deadline: date | None, instructions: str | None, today: date,
                default_days: int) -> Referral:
    """Refer a finding or a signal to the bureau of its project's district."""
    if (finding_id is None) == (signal_id is None):
        raise InvalidInput("refer either a `finding` or a `signal`", field="finding")
    deadline = deadline or today + timedelta(days=default_days)
    if deadline <= today:
        raise InvalidInput(f"the deadline {deadline} is not after today ({today})", field="deadline")
    if finding_id is not None:
        finding = await repo.get(session, Anomaly, finding_id, access.rows("Anomaly"))
        if finding is None:
            raise NotFound("no finding with this id", field="finding")
        if version is None:
            raise InvalidInput("give the finding's `version`", field="version")
        expect_version(finding, version, "the finding")
        if finding.status is not AnomalyStatus.OPEN:
            raise IllegalTransition(f"the finding is {finding.status.value}, not OPEN: "
                                    "it was referred already")
        finding.status = AnomalyStatus.REFERRED
        project_id, district = finding.project_id, finding.district_code
    else:
        assert signal_id is not None
        signal = await repo.get(session, RiskSignal, signal_id, access.rows("RiskSignal"))
        if signal is None:
            raise NotFound("no signal with this id", field="signal")
        if await repo.open_referral_of(session, signal_id=signal.id) is not None:
            raise Conflict("this signal is already referred and the referral is not closed")
        project_id, district = signal.project_id, signal.district_code
    referral = Referral(
        anomaly_id=finding_id, signal_id=signal_id, project_id=project_id, district_code=district,
        status=ReferralStatus.ASSIGNED, deadline=deadline,
        instructions=_text(instructions, "instructions", required=False),
        assigned_by=caller.client_id,
    )
    await repo.add(session, referral)
    await flush(session, "the finding")
    return referral


async def _referral(session: AsyncSession, access: AccessView, pk: int, version: int) -> Referral:
    # Row rules: a district client's referrals of other districts do not exist for it.
    referral = await repo.get(session, Referral, pk, access.rows("Referral"))
    if referral is None:
        raise NotFound("no referral with this id", field="id")
    expect_version(referral, version, "the referral")
    return referral


async def record_verification(session: AsyncSession, caller: Caller, access: AccessView, pk: int,
                              version: int, *, inspector: str, visited_on: date, findings: str,
                              today: date) -> Referral:
    referral = await _referral(session, access, pk, version)
    if referral.status is not ReferralStatus.ASSIGNED:
        raise IllegalTransition(f"the referral is {referral.status.value}: its verification is "
                                "recorded already")
    referral.inspector = _text(inspector, "inspector", limit=100)
    referral.visited_on = _not_future(visited_on, today, "visitedOn")
    referral.verification_findings = _text(findings, "findings")
    referral.verified_by = caller.client_id
    referral.status = ReferralStatus.VERIFIED
    await flush(session, "the referral")
    return referral


async def record_disposal(session: AsyncSession, caller: Caller, access: AccessView, pk: int,
                          version: int, *, disposals: Sequence[DisposalKind], note: str | None
                          ) -> Referral:
    """The disposal closes the referral and its finding: the loop is closed."""
    referral = await _referral(session, access, pk, version)
    if referral.status is not ReferralStatus.VERIFIED:
        raise IllegalTransition(
            "record the verification (inspector, visit, findings) before the disposal"
            if referral.status is ReferralStatus.ASSIGNED else "the referral is closed already")
    kinds = list(dict.fromkeys(disposals))
    if not kinds:
        raise InvalidInput("name at least one disposal", field="disposals")
    if DisposalKind.OTHER in kinds and not (note or "").strip():
        raise InvalidInput("an OTHER disposal needs a `note` saying what was done", field="note")
    referral.disposal = ",".join(k.value for k in kinds)
    referral.disposal_note = _text(note, "note", required=False)
    referral.status = ReferralStatus.CLOSED
    referral.closed_at = utcnow()
    if referral.anomaly_id is not None:
        finding = await repo.get(session, Anomaly, referral.anomaly_id)
        if finding is not None and finding.status is AnomalyStatus.REFERRED:
            finding.status = AnomalyStatus.CLOSED
    await flush(session, "the referral")
    return referral
