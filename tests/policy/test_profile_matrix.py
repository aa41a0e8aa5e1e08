"""The policy, profile by profile, over HTTP with real tokens: every field of the graph is
visible, masked or absent exactly as the memorandums say.

The expectations below are written by hand from ``shared/brief/access.md``, never read from
``schema/policy.yaml``: a policy or code change that moves a cell fails here. A field not
listed for a profile is expected ABSENT from its schema (a validation error that names it
and suggests nothing), so a new field of the graph must be placed here consciously.

Mutations, the subscription and the types only they return (``INTROSPECTED``) are checked
in each profile's schema by introspection; every other type is reached through a query on
seeded rows. Where a value differs by caller (a department's own measures, a client's own
webhook, the fields a correction shows), ``Seed.by_profile`` says so.

Rows are seeded in districts only this module writes to (320102 and 320104), so counts are
exact whatever else the session holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from hub.db.engine import unit_of_work
from hub.domains.blacklist.models import BlacklistEntry, BlacklistStatus, DecisionAction
from hub.domains.blacklist.publication import Platform
from hub.domains.monitoring.models import (
    AnomalyKind,
    InvestigationStatus,
    ReferralStatus,
    SignalStatus,
)
from hub.domains.persons.models import Person
from hub.domains.wages.models import ControlState
from tests.support.factories import Factory
from tests.support.http import gql
from tests.support.tokens import fetch_token, register

A = "320102"  # the DISTRICT client's own division
B = "320104"  # another district's division
PURPOSE = {"X-Hub-Purpose": "case JN-2026-0042: arrears investigation"}
PROFILES = ("HRSS", "DISTRICT", "DRC", "MSB", "BDC", "BANK", "AUDITOR", "ADMIN")


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


# --------------------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------------------


@dataclass
class Seed:
    ea_uscc: str
    eb_uscc: str
    ex_uscc: str
    ids: dict[str, str]  # name -> global id
    values: dict[str, Any]  # coordinate -> value as served in full
    person_id_number: str
    account_number: str
    counterparty_account: str
    project_codes: dict[str, str]
    hidden_from_public: dict[str, str]  # name -> uscc of an entry the public must not see
    entry_ids: dict[str, str]  # name -> global id of that entry
    listed_entry_pk: int
    clients: dict[str, tuple[str, str]]  # profile -> (client id, secret)
    departments: dict[str, str]  # profile -> department code (the publishing departments)
    investigation: str  # reference
    by_profile: dict[str, dict[str, Any]]  # profile -> coordinate -> value where it differs

    def value(self, profile: str, coordinate: str) -> Any:
        return self.by_profile.get(profile, {}).get(coordinate, self.values[coordinate])


#: Profiles whose clients read the blacklist, and so may register webhooks.
READERS = ("HRSS", "DISTRICT", "DRC", "MSB", "BDC", "BANK")
#: The departments that report joint discipline (``discipline:report``), in reporting order.
REPORTERS = ("DRC", "MSB", "BDC")
HOOK_URL = "https://hooks.example.gov.cn/matrix"


@pytest.fixture(scope="module")
async def seed(sessions) -> Seed:
    # The clients first (their own transactions): webhooks and measures name them.
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        departments = {p: (await f.department(p)) for p in REPORTERS}
        department_codes = {p: d.code for p, d in departments.items()}
        department_names = {p: d.name for p, d in departments.items()}
    clients = {
        profile: await register(sessions, profile, districts=(A,) if profile == "DISTRICT" else (),
                                department=department_codes.get(profile))
        for profile in PROFILES
    }
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        ea = await f.enterprise(district=A)
        eb = await f.enterprise(district=B)
        ex = await f.enterprise(district=A)
        rep = await s.get(Person, ea.legal_representative_id)
        credit = await f.credit_record(ea)
        pr_a = await f.project(ea, district=A)
        pr_a.construction_unit_id = eb.id
        pr_b = await f.project(eb, district=B)
        pr_b2 = await f.project(ea, district=B)  # district B, but ea is its contractor
        ac_a = await f.account(pr_a, ea)
        ac_b = await f.account(pr_b, eb)
        ac_b2 = await f.account(pr_b2, ea)  # opened by ea, in district B
        tx = await f.transaction(ac_a)
        inv = await f.investigation([pr_a, pr_b], InvestigationStatus.COMPLETED, requested_by="hrss-matrix",
                                    completed_at=dt.datetime(2026, 4, 5, 10, 0, tzinfo=dt.UTC))
        an_a = await f.anomaly(pr_a, ac_a, AnomalyKind.ACCOUNT_NOT_MARKED, investigation_id=inv.id, recorded_by="bank-matrix")
        an_b = await f.anomaly(pr_b, None, AnomalyKind.DEPOSIT_SHORT, detail="Deposit short by 20%",
                               found_on=dt.date(2026, 4, 3), investigation_id=inv.id)
        ctl_a = await f.control(
            ac_a, state=ControlState.LIFTED, purpose="Marks the wage special account", authority="Bank of Beijing Daxing branch",
            lift_notice_reference="DX-HRSS-2026-17", lift_notice_on=dt.date(2026, 4, 18), lifted_on=dt.date(2026, 4, 20),
        )
        ctl_b = await f.control(ac_b)
        sig_a = await f.risk_signal(pr_a, ac_a, status=SignalStatus.RESOLVED,
                                    resolved_at=dt.datetime(2026, 5, 20, 20, 0, tzinfo=dt.UTC))
        sig_b = await f.risk_signal(pr_b, ac_b)
        # district A: an open referral of the finding, past its deadline; a closed one of the signal
        ref_open = await f.referral(an_a, deadline=dt.date(2026, 1, 31), instructions="Check the mark at the bank",
                                    assigned_by="hrss-matrix")
        ref_closed = await f.referral(
            sig_a, ReferralStatus.CLOSED, instructions="Verify on site", assigned_by="hrss-matrix",
            inspector="Zhao Lei", visited_on=dt.date(2026, 5, 6), verification_findings="April labour cost paid in late",
            disposal="LABOUR_COST_PAID_IN,PAY_CYCLE_CORRECTED", disposal_note="Paid in on 2026-05-08",
            closed_at=dt.datetime(2026, 5, 9, 8, 0, tzinfo=dt.UTC),
        )
        ref_b = await f.referral(an_b, deadline=dt.date(2026, 1, 31))
        listed = await f.blacklist_entry(
            ea, BlacklistStatus.LISTED, project_id=pr_a.id,
            defence_deadline=dt.date(2024, 12, 20), defence_statement="The contractor disputes the amount",
            proposed_on=dt.date(2024, 12, 1), arrears_corrected_on=dt.date(2026, 2, 1),
            credit_commitment_on=dt.date(2026, 2, 15),
        )
        # a correction of a public and of an internal field: the history shows each caller
        # only the fields it may see
        correction = await f.decision(
            listed, DecisionAction.CORRECT, document_number="JHRSS-2025-001-C1", reason="Amount recomputed from the payroll",
            changes={"amount_owed": {"from": "800000.00", "to": "812345.67"},
                     "internal_notes": {"from": "Escalated", "to": "Escalated by the district"}},
        )
        await f.publication(listed, correction, Platform.HRSS_PORTAL, url="https://rst.example.gov.cn/hmd/matrix",
                            recorded_by="hrss-matrix")
        measures = {p: await f.disciplinary_measure(listed, departments[p], reported_by=clients[p][0]) for p in REPORTERS}
        event = await f.outbox_event(correction)
        hooks, deliveries = {}, {}
        for p in READERS:
            hooks[p] = await f.webhook(clients[p][0], url=HOOK_URL, purpose="Publish decisions on our platform")
            deliveries[p] = await f.delivery(hooks[p], event)
        cross = await f.blacklist_entry(ex, BlacklistStatus.LISTED, project_id=pr_b.id)
        hidden: dict[str, str] = {}
        entry_ids: dict[str, str] = {}
        for name, status, extra in (
            ("notice", BlacklistStatus.NOTICE, {}),
            ("defence", BlacklistStatus.DEFENCE_HEARD, {}),
            ("lapsed", BlacklistStatus.LISTED, {}),
            ("expired", BlacklistStatus.EXPIRED, {}),
            ("removed", BlacklistStatus.REMOVED_EARLY, {"removed_on": dt.date(2026, 6, 1), "removal_reason": "Arrears paid"}),
            ("revoked", BlacklistStatus.REVOKED, {}),
        ):
            e = await f.enterprise(district=A)
            entry = await f.blacklist_entry(e, status, **extra)
            if name == "lapsed":
                entry.expected_exit_on = dt.date(2026, 1, 1)
            hidden[name] = e.uscc
            entry_ids[name] = gid("BlacklistEntry", entry.id)
        await s.flush()
        ids = {
            "ea": gid("Enterprise", ea.id), "eb": gid("Enterprise", eb.id), "rep": gid("Person", rep.id),
            "credit": gid("CreditRecord", credit.id), "listed": gid("BlacklistEntry", listed.id),
            "cross": gid("BlacklistEntry", cross.id),
            "pr_a": gid("Project", pr_a.id), "pr_b": gid("Project", pr_b.id), "pr_b2": gid("Project", pr_b2.id),
            "ac_a": gid("WageAccount", ac_a.id), "ac_b": gid("WageAccount", ac_b.id),
            "ac_b2": gid("WageAccount", ac_b2.id), "tx": gid("AccountTransaction", tx.id),
            "an_a": gid("Anomaly", an_a.id), "an_b": gid("Anomaly", an_b.id),
            "inv": gid("Investigation", inv.id), "ctl_a": gid("AccountControl", ctl_a.id),
            "ctl_b": gid("AccountControl", ctl_b.id), "sig_a": gid("RiskSignal", sig_a.id),
            "sig_b": gid("RiskSignal", sig_b.id), "ref_open": gid("Referral", ref_open.id),
            "ref_closed": gid("Referral", ref_closed.id), "ref_b": gid("Referral", ref_b.id),
            **{f"dm_{p.lower()}": gid("DisciplinaryMeasure", m.id) for p, m in measures.items()},
        }
        values: dict[str, Any] = {
            "Query.viewer": None,  # checked per profile
            "Query.enterprise": {"id": ids["ea"]},
            "Query.enterprises": {"totalCount": 1},
            "Query.blacklistEntries": {"totalCount": 1},
            "Query.disciplinaryMeasures": {"totalCount": 3},
            "Query.projects": {"totalCount": 1},
            "Query.wageAccounts": {"totalCount": 1},
            "Query.investigations": {"totalCount": 1},
            "Query.riskSignals": {"totalCount": 1},
            "Query.referrals": {"totalCount": 2},
            "Query.referralSummary": [{"districtCode": A, "total": 2}],
            "Query.node": {"id": ids["ea"]},
            "Query.webhooks": [{"url": HOOK_URL}],
            "Enterprise.id": ids["ea"], "Enterprise.uscc": ea.uscc, "Enterprise.name": ea.name,
            "Enterprise.status": "IN_OPERATION", "Enterprise.address": ea.address,
            "Enterprise.registeredCapital": "1000000.00", "Enterprise.districtCode": A,
            "Enterprise.contactPerson": "Li Na", "Enterprise.contactPhone": "010-12345678",
            "Enterprise.legalRepresentative": {"id": ids["rep"]},
            "Enterprise.creditRecords": {"totalCount": 1},
            "Enterprise.blacklistEntries": {"totalCount": 1},
            "Enterprise.projects": {"totalCount": 1},
            "Enterprise.wageAccounts": {"totalCount": 1},
            "Person.id": ids["rep"], "Person.name": rep.name, "Person.idType": "RESIDENT_ID",
            "Person.idNumber": rep.id_number, "Person.phone": rep.phone,
            "CreditRecord.id": ids["credit"], "CreditRecord.kind": "ADMINISTRATIVE_PENALTY",
            "CreditRecord.authority": "Daxing HRSS", "CreditRecord.documentNumber": credit.document_number,
            "CreditRecord.decidedOn": "2025-03-01", "CreditRecord.summary": "Wages unpaid past the ordered deadline",
            "CreditRecord.sourcePlatform": "NECIPS", "CreditRecord.enterprise": {"id": ids["ea"]},
            "BlacklistEntry.id": ids["listed"], "BlacklistEntry.status": "LISTED", "BlacklistEntry.districtCode": A,
            "BlacklistEntry.reason": "Owed 52 workers their wages for four months",
            "BlacklistEntry.legalBasis": "Interim Measures art. 5", "BlacklistEntry.amountOwed": "812345.67",
            "BlacklistEntry.workersAffected": 52, "BlacklistEntry.issuingAuthority": "Beijing HRSS",
            "BlacklistEntry.decisionDocumentNumber": "JHRSS-2025-001", "BlacklistEntry.includedOn": "2025-01-10",
            "BlacklistEntry.expectedExitOn": "2028-01-10", "BlacklistEntry.removedOn": None,
            "BlacklistEntry.removalReason": None, "BlacklistEntry.arrearsCorrectedOn": "2026-02-01",
            "BlacklistEntry.creditCommitmentOn": "2026-02-15", "BlacklistEntry.proposedOn": "2024-12-01",
            "BlacklistEntry.defenceDeadline": "2024-12-20",
            "BlacklistEntry.defenceStatement": "The contractor disputes the amount",
            "BlacklistEntry.clues": "Complaint hotline, 2024-11", "BlacklistEntry.internalNotes": "Escalated by the district",
            "BlacklistEntry.version": listed.version, "BlacklistEntry.enterprise": {"id": ids["ea"]},
            "BlacklistEntry.project": {"id": ids["pr_a"]},
            "BlacklistEntry.persons": [{"role": "LEGAL_REPRESENTATIVE"}],
            "BlacklistEntry.history": [{"action": "PROPOSE"}, {"action": "INCLUDE"}, {"action": "CORRECT"}],
            "BlacklistEntry.publications": [{"platform": "HRSS_PORTAL"}],
            "BlacklistEntry.platforms": [{"platform": "HRSS_PORTAL"}, {"platform": "CREDIT_CHINA"}, {"platform": "NECIPS"}],
            "BlacklistEntry.disciplinaryMeasures": {"totalCount": 3},
            "BlacklistEntry.disciplineSummary": {"measures": 3},
            "BlacklistPerson.role": "LEGAL_REPRESENTATIVE", "BlacklistPerson.person": {"id": ids["rep"]},
            # the correction (history[2]): internal fields' changes only with blacklist:read:internal
            "BlacklistDecision.action": "CORRECT", "BlacklistDecision.fromStatus": "LISTED",
            "BlacklistDecision.toStatus": "LISTED", "BlacklistDecision.documentNumber": "JHRSS-2025-001-C1",
            "BlacklistDecision.reason": "Amount recomputed from the payroll", "BlacklistDecision.decidedAt": ANY_TIME,
            "BlacklistDecision.changes": [{"field": "amountOwed"}],
            "FieldChange.field": "amountOwed", "FieldChange.before": "800000.00", "FieldChange.after": "812345.67",
            "Publication.platform": "HRSS_PORTAL", "Publication.action": "PUBLISHED",
            "Publication.url": "https://rst.example.gov.cn/hmd/matrix", "Publication.at": ANY_TIME,
            "Publication.recordedBy": "hrss-matrix", "Publication.decisionAction": "CORRECT",
            "PlatformPublication.platform": "HRSS_PORTAL", "PlatformPublication.showing": True,
            "PlatformPublication.showsLatestDecision": True, "PlatformPublication.lastAction": "PUBLISHED",
            "PlatformPublication.lastAt": ANY_TIME, "PlatformPublication.url": "https://rst.example.gov.cn/hmd/matrix",
            "PlatformPublication.dueOn": None, "PlatformPublication.late": False,
            "PlatformPublication.showsRemovedEntry": False,
            # the oldest measure: the DRC's (HRSS sees all three, each reporter its own)
            "DisciplinaryMeasure.id": ids["dm_drc"], "DisciplinaryMeasure.area": "GOVERNMENT_PROCUREMENT",
            "DisciplinaryMeasure.measure": "Barred from government procurement",
            "DisciplinaryMeasure.takenOn": "2026-05-10", "DisciplinaryMeasure.effect": "Bid of 2026-05-12 rejected",
            "DisciplinaryMeasure.departmentCode": department_codes["DRC"],
            "DisciplinaryMeasure.departmentName": department_names["DRC"],
            "DisciplinaryMeasure.reportedAt": ANY_TIME, "DisciplinaryMeasure.entry": {"id": ids["listed"]},
            "DisciplineSummary.measures": 3,
            "DisciplineSummary.departments": [{"departmentCode": c} for c in sorted(department_codes.values())],
            "DisciplineSummary.areas": ["GOVERNMENT_PROCUREMENT"], "DisciplineSummary.withEffect": 3,
            # departments in code order: BDC-..., DRC-..., MSB-...
            "DepartmentDiscipline.departmentCode": department_codes["BDC"], "DepartmentDiscipline.measures": 1,
            "DepartmentDiscipline.lastTakenOn": "2026-05-10",
            "Webhook.id": None,  # per client, below
            "Webhook.url": HOOK_URL, "Webhook.purpose": "Publish decisions on our platform",
            "Webhook.createdAt": ANY_TIME, "Webhook.disabledAt": ANY_TIME, "Webhook.deliveries": [{"sequence": event.id}],
            "WebhookDelivery.id": None,  # per client, below
            "WebhookDelivery.sequence": event.id, "WebhookDelivery.status": "DELIVERED",
            "WebhookDelivery.attempts": 1, "WebhookDelivery.nextAttemptAt": ANY_TIME,
            "WebhookDelivery.lastStatusCode": 200, "WebhookDelivery.lastError": None,
            "WebhookDelivery.deliveredAt": ANY_TIME,
            "Project.id": ids["pr_a"], "Project.code": pr_a.code, "Project.name": pr_a.name, "Project.districtCode": A,
            "Project.status": "UNDER_CONSTRUCTION", "Project.contractValue": "50000000.00",
            "Project.startDate": "2026-03-01", "Project.workers": 120, "Project.payCycle": "MONTHLY",
            "Project.version": pr_a.version, "Project.generalContractor": {"id": ids["ea"]},
            "Project.constructionUnit": {"id": ids["eb"]}, "Project.accounts": {"totalCount": 1},
            "Project.riskSignals": {"totalCount": 1}, "Project.anomalies": {"totalCount": 1},
            "WageAccount.id": ids["ac_a"], "WageAccount.kind": "SPECIAL", "WageAccount.districtCode": A,
            "WageAccount.bankName": "Bank of Beijing", "WageAccount.accountName": ac_a.account_name,
            "WageAccount.openedOn": "2026-03-15", "WageAccount.balance": "123456.78", "WageAccount.specialMark": True,
            "WageAccount.controlStatus": "MARKED", "WageAccount.version": ac_a.version,
            "WageAccount.accountNumber": ac_a.account_number, "WageAccount.project": {"id": ids["pr_a"]},
            "WageAccount.openingUnit": {"id": ids["ea"]}, "WageAccount.controls": [{"id": ids["ctl_a"]}],
            "WageAccount.transactions": {"totalCount": 1},
            "AccountControl.id": ids["ctl_a"], "AccountControl.kind": "SPECIAL_MARK", "AccountControl.state": "LIFTED",
            "AccountControl.fundsFor": "PROJECT_WORKERS", "AccountControl.effectiveOn": "2026-03-16",
            "AccountControl.liftedOn": "2026-04-20", "AccountControl.purpose": "Marks the wage special account",
            "AccountControl.authority": "Bank of Beijing Daxing branch",
            "AccountControl.liftNoticeReference": "DX-HRSS-2026-17", "AccountControl.liftNoticeOn": "2026-04-18",
            "AccountControl.version": ctl_a.version,
            "AccountTransaction.id": ids["tx"], "AccountTransaction.bankReference": tx.bank_reference,
            "AccountTransaction.direction": "OUT", "AccountTransaction.amount": "6500.00",
            "AccountTransaction.occurredAt": ANY_TIME, "AccountTransaction.counterpartyName": "Wang Fang",
            "AccountTransaction.summary": "April wages", "AccountTransaction.counterpartyAccount": tx.counterparty_account,
            "Anomaly.id": ids["an_a"], "Anomaly.kind": "ACCOUNT_NOT_MARKED", "Anomaly.status": "OPEN",
            "Anomaly.districtCode": A, "Anomaly.detail": "Special mark missing on the statement",
            "Anomaly.foundOn": "2026-04-02", "Anomaly.version": an_a.version, "Anomaly.project": {"id": ids["pr_a"]},
            "Anomaly.account": {"id": ids["ac_a"]}, "Anomaly.investigation": {"id": ids["inv"]},
            "Anomaly.referrals": [{"id": ids["ref_open"]}],
            "Investigation.id": ids["inv"], "Investigation.reference": inv.reference,
            "Investigation.reason": "Quarterly check of special accounts", "Investigation.status": "COMPLETED",
            "Investigation.requestedBy": "hrss-matrix", "Investigation.requestedAt": ANY_TIME,
            "Investigation.completedAt": ANY_TIME, "Investigation.version": inv.version,
            "Investigation.projects": {"totalCount": 2}, "Investigation.findings": {"totalCount": 2},
            "RiskSignal.id": ids["sig_a"], "RiskSignal.kind": "LABOUR_COST_NOT_PAID_IN", "RiskSignal.severity": "RED",
            "RiskSignal.status": "RESOLVED", "RiskSignal.districtCode": A, "RiskSignal.summary": sig_a.summary,
            "RiskSignal.evidence": sig_a.evidence, "RiskSignal.asOf": "2026-04-30", "RiskSignal.firstSeenAt": ANY_TIME,
            "RiskSignal.lastSeenAt": ANY_TIME, "RiskSignal.resolvedAt": ANY_TIME,
            "RiskSignal.project": {"id": ids["pr_a"]}, "RiskSignal.account": {"id": ids["ac_a"]},
            "RiskSignal.referrals": [{"id": ids["ref_closed"]}],
            # the closed referral (of the signal)
            "Referral.id": ids["ref_closed"], "Referral.status": "CLOSED", "Referral.districtCode": A,
            "Referral.deadline": "2026-05-15", "Referral.instructions": "Verify on site",
            "Referral.assignedBy": "hrss-matrix", "Referral.assignedAt": ANY_TIME, "Referral.inspector": "Zhao Lei",
            "Referral.visitedOn": "2026-05-06", "Referral.verificationFindings": "April labour cost paid in late",
            "Referral.disposals": ["LABOUR_COST_PAID_IN", "PAY_CYCLE_CORRECTED"],
            "Referral.disposalNote": "Paid in on 2026-05-08", "Referral.closedAt": ANY_TIME,
            "Referral.version": ref_closed.version, "Referral.overdue": False,
            "Referral.project": {"id": ids["pr_a"]}, "Referral.finding": None, "Referral.signal": {"id": ids["sig_a"]},
            # district A: the open referral is past its deadline, the closed one is not counted
            "DistrictReferrals.districtCode": A, "DistrictReferrals.open": 1, "DistrictReferrals.overdue": 1,
            "DistrictReferrals.closed": 1, "DistrictReferrals.total": 2,
        }
        by_profile: dict[str, dict[str, Any]] = {p: {"Webhook.id": hooks[p].id, "WebhookDelivery.id": deliveries[p].id}
                                                 for p in READERS}
        # a reporting department sees its own measure only, also in counts
        for p in REPORTERS:
            by_profile[p].update({
                "Query.disciplinaryMeasures": {"totalCount": 1}, "BlacklistEntry.disciplinaryMeasures": {"totalCount": 1},
                "DisciplinaryMeasure.id": ids[f"dm_{p.lower()}"],
                "DisciplinaryMeasure.departmentCode": department_codes[p],
                "DisciplinaryMeasure.departmentName": department_names[p],
            })
        # with blacklist:read:internal, the correction of the internal notes shows too
        by_profile["HRSS"]["BlacklistDecision.changes"] = [{"field": "amountOwed"}, {"field": "internalNotes"}]
        return Seed(
            ea_uscc=ea.uscc, eb_uscc=eb.uscc, ex_uscc=ex.uscc, ids=ids, values=values,
            person_id_number=rep.id_number, account_number=ac_a.account_number,
            counterparty_account=tx.counterparty_account,
            project_codes={"a": pr_a.code, "b": pr_b.code, "b2": pr_b2.code},
            hidden_from_public=hidden, entry_ids=entry_ids, listed_entry_pk=listed.id,
            clients=clients, departments=department_codes, investigation=inv.reference, by_profile=by_profile,
        )


class _AnyTime:
    """Matches an ISO 8601 date-time with an offset (the value is set by the database)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and dt.datetime.fromisoformat(other).tzinfo is not None

    def __repr__(self) -> str:
        return "<any ISO date-time>"


ANY_TIME = _AnyTime()


@pytest.fixture(scope="module")
async def tokens(client: httpx.AsyncClient, seed: Seed) -> dict[str, dict[str, str]]:
    """Authorization headers of one real client per profile (PUBLIC: none)."""
    headers: dict[str, dict[str, str]] = {"PUBLIC": {}}
    for profile, (client_id, secret) in seed.clients.items():
        headers[profile] = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
    return headers


# --------------------------------------------------------------------------------------
# Hand-written expectations: visible (V) and masked (M); every other field is absent.
# --------------------------------------------------------------------------------------

ALL = "*"
PUBLIC_ENTRY = ("id status reason legalBasis amountOwed workersAffected issuingAuthority "
                "decisionDocumentNumber includedOn expectedExitOn enterprise")
# Agencies (blacklist:read) see the published facts and how the entry was handled, the
# conditions of an early removal included (arrears corrected, credit commitment): DRC, MSB
# and BDC publish removals. The notice stage (proposedOn, defence) is blacklist:read:internal.
AGENCY_ENTRY = PUBLIC_ENTRY + " districtCode removedOn removalReason arrearsCorrectedOn creditCommitmentOn persons history"
# The publishing departments (blacklist:publish) see where every platform stands with an entry
# (they must catch up when late) and report, and read back, their own joint discipline.
PUBLISHER_ENTRY = AGENCY_ENTRY + " publications platforms disciplinaryMeasures"
PROJECT = ("id code name districtCode status contractValue startDate workers payCycle "
           "generalContractor constructionUnit accounts anomalies")
ACCOUNT = "id kind districtCode bankName accountName openedOn specialMark controlStatus project openingUnit controls"
# Controls are the "account control status" of wages:read; their version only for the two
# that act on them: the bank (places and lifts) and the district (notice to lift a mark).
CONTROL = "id kind state fundsFor effectiveOn liftedOn purpose authority liftNoticeReference liftNoticeOn"
FINDING = "id kind status districtCode detail foundOn project account"
# Every reader of the blacklist may have it pushed (subscription, webhooks): the same data.
PUSH: dict[str, dict[str, str]] = {
    "Subscription": {"V": ALL}, "BlacklistChange": {"V": ALL}, "Webhook": {"V": ALL},
    "WebhookDelivery": {"V": ALL}, "WebhookRegistration": {"V": ALL},
}
WEBHOOKS = "registerWebhook removeWebhook"

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    "PUBLIC": {
        "Query": {"V": "viewer blacklistEntries"},
        "BlacklistEntry": {"V": PUBLIC_ENTRY},
        "Enterprise": {"V": "id uscc name address legalRepresentative"},
        "Person": {"V": "id name"},
    },
    "HRSS": {
        "Query": {"V": ALL},
        # HRSS decides on the list, shares projects and accounts, asks for investigations and
        # refers findings and signals. It also records publication on its own portal
        # (HRSS_PORTAL, issue 5): its client carries blacklist:publish, which the profile
        # table of access.md does not list, because no other department publishes there.
        # It neither reports discipline (it reads everyone's) nor acts for the bank or the district.
        "Mutation": {"V": "proposeBlacklistEntry recordDefence includeInBlacklist renewBlacklistEntry "
                          "correctBlacklistEntry removeFromBlacklist recordPublication " + WEBHOOKS +
                          " registerProject registerWageAccount requestAccountInvestigation referToDistrict"},
        **PUSH,
        "Enterprise": {"V": ALL}, "Person": {"V": ALL}, "CreditRecord": {"V": ALL},
        "BlacklistEntry": {"V": ALL}, "BlacklistPerson": {"V": ALL}, "BlacklistDecision": {"V": ALL},
        "FieldChange": {"V": ALL}, "BlacklistDecisionPayload": {"V": ALL},
        "Publication": {"V": ALL}, "PlatformPublication": {"V": ALL}, "PublicationPayload": {"V": ALL},
        # discipline:read: every department's measures and the per-entry summary
        "DisciplinaryMeasure": {"V": ALL}, "DisciplineSummary": {"V": ALL}, "DepartmentDiscipline": {"V": ALL},
        "Project": {"V": ALL}, "WageAccount": {"V": ALL}, "AccountTransaction": {"V": ALL},
        # HRSS does not act on controls: it sees them, not their version
        "AccountControl": {"V": CONTROL},
        "Anomaly": {"V": ALL}, "Investigation": {"V": ALL}, "RiskSignal": {"V": ALL}, "Referral": {"V": ALL},
        "DistrictReferrals": {"V": ALL},
    },
    "DISTRICT": {
        # no investigations (the bank's business with HRSS) and no joint discipline
        "Query": {"V": "viewer enterprise enterprises blacklistEntries projects wageAccounts riskSignals "
                       "referrals referralSummary node webhooks"},
        # referral:handle: verify and dispose of its referrals; the notice that lets the bank lift a mark
        "Mutation": {"V": WEBHOOKS + " notifyMarkLift recordReferralVerification recordReferralDisposal"},
        **PUSH,
        "Enterprise": {"V": "id uscc name status address registeredCapital districtCode contactPerson contactPhone "
                            "legalRepresentative blacklistEntries projects wageAccounts"},
        "Person": {"V": "id name idType phone", "M": "idNumber"},
        "BlacklistEntry": {"V": AGENCY_ENTRY + " project"},
        "BlacklistPerson": {"V": ALL}, "BlacklistDecision": {"V": ALL}, "FieldChange": {"V": ALL},
        # its inspectors go to verify signals and findings referred to it
        "Project": {"V": PROJECT + " riskSignals"},
        "WageAccount": {"V": ACCOUNT, "M": "accountNumber"},
        "AccountControl": {"V": CONTROL + " version"},
        # the finding and its referrals; not the investigation that found it, nor its version
        # (the district changes referrals, not findings)
        "Anomaly": {"V": FINDING + " referrals"},
        # signals of its own district, evidence included: the Beijing memorandum hands "the
        # abnormal state of the account" to the district bureau, whose inspectors verify it
        # (the abnormal records' dates, amounts, counterparties; never an account number)
        "RiskSignal": {"V": ALL}, "Referral": {"V": ALL}, "DistrictReferrals": {"V": ALL},
    },
    "DRC": {
        "Query": {"V": "viewer enterprise enterprises blacklistEntries disciplinaryMeasures node webhooks"},
        # blacklist:publish and discipline:report
        "Mutation": {"V": "recordPublication reportDisciplinaryMeasure " + WEBHOOKS},
        **PUSH,
        "Enterprise": {"V": "id uscc name status address registeredCapital districtCode legalRepresentative "
                            "creditRecords blacklistEntries"},
        "Person": {"V": "id name idType idNumber"},
        "CreditRecord": {"V": ALL},
        "BlacklistEntry": {"V": PUBLISHER_ENTRY}, "BlacklistPerson": {"V": ALL}, "BlacklistDecision": {"V": ALL},
        "FieldChange": {"V": ALL},
        "Publication": {"V": ALL}, "PlatformPublication": {"V": ALL}, "PublicationPayload": {"V": ALL},
        # its own measures (rows), not the summary of every department's (discipline:read)
        "DisciplinaryMeasure": {"V": ALL}, "DisciplinaryMeasurePayload": {"V": ALL},
    },
    "BANK": {
        # the investigations it works on; no signals, no referrals (HRSS's and the district's)
        "Query": {"V": "viewer enterprise enterprises blacklistEntries projects wageAccounts investigations node "
                       "webhooks"},
        # wages:investigate: findings, completion, controls
        "Mutation": {"V": WEBHOOKS + " placeAccountControl liftAccountControl recordAccountFinding completeInvestigation"},
        **PUSH,
        "Enterprise": {"V": "id uscc name status address registeredCapital districtCode legalRepresentative "
                            "blacklistEntries projects wageAccounts"},
        "Person": {"V": "id name idType", "M": "idNumber"},
        "BlacklistEntry": {"V": AGENCY_ENTRY + " project"},
        "BlacklistPerson": {"V": ALL}, "BlacklistDecision": {"V": ALL}, "FieldChange": {"V": ALL},
        "Project": {"V": PROJECT},
        "WageAccount": {"V": ALL}, "AccountTransaction": {"V": ALL}, "AccountControl": {"V": ALL},
        # its findings with their investigation; not what the districts were asked to do about them
        "Anomaly": {"V": FINDING + " version investigation"},
        "Investigation": {"V": ALL},
    },
    "AUDITOR": {"Query": {"V": "viewer"}},
    "ADMIN": {"Query": {"V": "viewer"}},
}
# MSB and BDC: the DRC's view, with ID numbers masked (no person:read:identity).
for _p in ("MSB", "BDC"):
    EXPECTED[_p] = {**EXPECTED["DRC"], "Person": {"V": "id name idType", "M": "idNumber"}}

#: Every field of the graph, by type (the full schema, hub.graphql): the universe the
#: expectations above partition.
GRAPH: dict[str, str] = {
    "Query": "viewer enterprise enterprises blacklistEntries disciplinaryMeasures projects wageAccounts "
             "investigations riskSignals referrals referralSummary node webhooks",
    "Mutation": "proposeBlacklistEntry recordDefence includeInBlacklist renewBlacklistEntry correctBlacklistEntry "
                "removeFromBlacklist recordPublication reportDisciplinaryMeasure registerWebhook removeWebhook "
                "registerProject registerWageAccount placeAccountControl liftAccountControl notifyMarkLift "
                "requestAccountInvestigation recordAccountFinding completeInvestigation referToDistrict "
                "recordReferralVerification recordReferralDisposal",
    "Subscription": "blacklistChanges",
    "Enterprise": "id uscc name status address registeredCapital districtCode contactPerson contactPhone "
                  "legalRepresentative creditRecords blacklistEntries projects wageAccounts",
    "Person": "id name idType idNumber phone",
    "CreditRecord": "id kind authority documentNumber decidedOn summary sourcePlatform enterprise",
    "BlacklistEntry": "id status districtCode reason legalBasis amountOwed workersAffected issuingAuthority "
                      "decisionDocumentNumber includedOn expectedExitOn removedOn removalReason arrearsCorrectedOn "
                      "creditCommitmentOn proposedOn defenceDeadline defenceStatement clues internalNotes version "
                      "enterprise project persons history publications platforms disciplinaryMeasures "
                      "disciplineSummary",
    "BlacklistPerson": "role person",
    "BlacklistDecision": "action fromStatus toStatus decidedAt documentNumber reason changes",
    "FieldChange": "field before after",
    "BlacklistDecisionPayload": "entry decision",
    "BlacklistChange": "sequence action occurredAt decision entry",
    "Publication": "platform action url at recordedBy decisionAction",
    "PlatformPublication": "platform showing showsLatestDecision lastAction lastAt url dueOn late showsRemovedEntry",
    "PublicationPayload": "publication entry",
    "DisciplinaryMeasure": "id area measure takenOn effect departmentCode reportedAt departmentName entry",
    "DisciplinaryMeasurePayload": "measure",
    "DisciplineSummary": "measures departments areas withEffect",
    "DepartmentDiscipline": "departmentCode measures lastTakenOn",
    "Webhook": "id url purpose createdAt disabledAt deliveries",
    "WebhookDelivery": "id sequence status attempts nextAttemptAt lastStatusCode lastError deliveredAt",
    "WebhookRegistration": "webhook secret",
    "Project": "id code name districtCode status contractValue startDate workers payCycle version "
               "generalContractor constructionUnit accounts riskSignals anomalies",
    "WageAccount": "id kind districtCode bankName accountName openedOn balance specialMark controlStatus version "
                   "accountNumber project openingUnit controls transactions",
    "AccountControl": "id kind state fundsFor effectiveOn liftedOn purpose authority liftNoticeReference "
                      "liftNoticeOn version",
    "AccountTransaction": "id bankReference direction amount occurredAt counterpartyName summary counterpartyAccount",
    "Anomaly": "id kind status districtCode detail foundOn version project account investigation referrals",
    "Investigation": "id reference reason status requestedBy requestedAt completedAt version projects findings",
    "RiskSignal": "id kind severity status districtCode summary evidence asOf firstSeenAt lastSeenAt resolvedAt "
                  "project account referrals",
    "Referral": "id status districtCode deadline instructions assignedBy assignedAt inspector visitedOn "
                "verificationFindings disposals disposalNote closedAt version overdue project finding signal",
    "DistrictReferrals": "districtCode open overdue closed total",
}

#: Types no query reaches (the roots of writes and pushes, and what they return): checked by
#: introspection of each profile's schema, field by field.
INTROSPECTED = ("Mutation", "Subscription", "BlacklistChange", "BlacklistDecisionPayload", "PublicationPayload",
                "DisciplinaryMeasurePayload", "WebhookRegistration")


def cells(profile: str) -> dict[str, str]:
    """coordinate -> V / M / H for every field of the graph."""
    out: dict[str, str] = {}
    spec = EXPECTED[profile]
    for type_name, fields in GRAPH.items():
        rules = spec.get(type_name, {})
        for name in fields.split():
            visible = rules.get("V", "")
            if visible == ALL or name in visible.split():
                out[f"{type_name}.{name}"] = "V"
            elif name in rules.get("M", "").split():
                out[f"{type_name}.{name}"] = "M"
            else:
                out[f"{type_name}.{name}"] = "H"
    return out


def test_the_universe_is_the_graph() -> None:
    """GRAPH lists every field of the full schema, so no field escapes the matrix."""
    from hub.policy.service import PolicyService
    from hub.settings import Settings

    coordinates = PolicyService(Settings()).coordinates
    mine = {f"{t}.{f}" for t, fs in GRAPH.items() for f in fs.split()}
    log = ("Audit", "SubjectAccess.", "Query.audit", "Query.subjectAccessReport")  # tests/audit covers these
    business = {c for c in coordinates if not c.startswith(("Viewer.", "Node.", "PageInfo.", *log))
                and not re.match(r"^\w+(Connection|Edge)\.", c)}
    assert mine == business


def test_expectations_name_only_fields_of_the_graph() -> None:
    """A misspelt name in EXPECTED would silently read as 'absent': none is."""
    for profile, spec in EXPECTED.items():
        for type_name, rules in spec.items():
            assert type_name in GRAPH, (profile, type_name)
            for kind, names in rules.items():
                assert kind in ("V", "M"), (profile, type_name, kind)
                if names != ALL:
                    assert set(names.split()) <= set(GRAPH[type_name].split()), (profile, type_name, kind)


# --------------------------------------------------------------------------------------
# How to reach each type's seeded object, and how a field is selected
# --------------------------------------------------------------------------------------

#: type -> (query with {sel} and {uscc}/{code}/{entry}/{reference}/{district}, path into
#: data, the path's ancestors)
_ENTRY = '{{ blacklistEntries(filter: {{uscc: "{uscc}"}}) {{ nodes {{ '
_ACCOUNT = '{{ projects(filter: {{code: "{code}"}}) {{ nodes {{ accounts {{ nodes {{ '
PATHS: dict[str, tuple[str, tuple[Any, ...], tuple[str, ...]]] = {
    "BlacklistEntry": (_ENTRY + '{sel} }} }} }}', ("blacklistEntries", "nodes", 0), ("Query.blacklistEntries",)),
    "Enterprise": (_ENTRY + 'enterprise {{ {sel} }} }} }} }}',
                   ("blacklistEntries", "nodes", 0, "enterprise"), ("Query.blacklistEntries", "BlacklistEntry.enterprise")),
    "Person": (_ENTRY + 'enterprise {{ legalRepresentative {{ {sel} }} }} }} }} }}',
               ("blacklistEntries", "nodes", 0, "enterprise", "legalRepresentative"),
               ("Query.blacklistEntries", "BlacklistEntry.enterprise", "Enterprise.legalRepresentative")),
    "BlacklistPerson": (_ENTRY + 'persons {{ {sel} }} }} }} }}', ("blacklistEntries", "nodes", 0, "persons", 0),
                        ("Query.blacklistEntries", "BlacklistEntry.persons")),
    # the correction, history[2]
    "BlacklistDecision": (_ENTRY + 'history {{ {sel} }} }} }} }}', ("blacklistEntries", "nodes", 0, "history", 2),
                          ("Query.blacklistEntries", "BlacklistEntry.history")),
    "FieldChange": (_ENTRY + 'history {{ changes {{ {sel} }} }} }} }} }}',
                    ("blacklistEntries", "nodes", 0, "history", 2, "changes", 0),
                    ("Query.blacklistEntries", "BlacklistEntry.history", "BlacklistDecision.changes")),
    "Publication": (_ENTRY + 'publications {{ {sel} }} }} }} }}', ("blacklistEntries", "nodes", 0, "publications", 0),
                    ("Query.blacklistEntries", "BlacklistEntry.publications")),
    "PlatformPublication": (_ENTRY + 'platforms {{ {sel} }} }} }} }}', ("blacklistEntries", "nodes", 0, "platforms", 0),
                            ("Query.blacklistEntries", "BlacklistEntry.platforms")),
    "DisciplinaryMeasure": ('{{ disciplinaryMeasures(filter: {{entry: "{entry}"}}, first: 1) {{ nodes {{ {sel} }} }} }}',
                            ("disciplinaryMeasures", "nodes", 0), ("Query.disciplinaryMeasures",)),
    "DisciplineSummary": (_ENTRY + 'disciplineSummary {{ {sel} }} }} }} }}',
                          ("blacklistEntries", "nodes", 0, "disciplineSummary"),
                          ("Query.blacklistEntries", "BlacklistEntry.disciplineSummary")),
    "DepartmentDiscipline": (_ENTRY + 'disciplineSummary {{ departments {{ {sel} }} }} }} }} }}',
                             ("blacklistEntries", "nodes", 0, "disciplineSummary", "departments", 0),
                             ("Query.blacklistEntries", "BlacklistEntry.disciplineSummary",
                              "DisciplineSummary.departments")),
    "Webhook": ("{{ webhooks {{ {sel} }} }}", ("webhooks", 0), ("Query.webhooks",)),
    "WebhookDelivery": ("{{ webhooks {{ deliveries {{ {sel} }} }} }}", ("webhooks", 0, "deliveries", 0),
                        ("Query.webhooks", "Webhook.deliveries")),
    "CreditRecord": ('{{ enterprise(uscc: "{uscc}") {{ creditRecords {{ nodes {{ {sel} }} }} }} }}',
                     ("enterprise", "creditRecords", "nodes", 0), ("Query.enterprise", "Enterprise.creditRecords")),
    "Project": ('{{ projects(filter: {{code: "{code}"}}) {{ nodes {{ {sel} }} }} }}',
                ("projects", "nodes", 0), ("Query.projects",)),
    "WageAccount": (_ACCOUNT + '{sel} }} }} }} }} }}',
                    ("projects", "nodes", 0, "accounts", "nodes", 0), ("Query.projects", "Project.accounts")),
    "AccountControl": (_ACCOUNT + 'controls {{ {sel} }} }} }} }} }} }}',
                       ("projects", "nodes", 0, "accounts", "nodes", 0, "controls", 0),
                       ("Query.projects", "Project.accounts", "WageAccount.controls")),
    "AccountTransaction": (_ACCOUNT + 'transactions {{ nodes {{ {sel} }} }} }} }} }} }} }}',
                           ("projects", "nodes", 0, "accounts", "nodes", 0, "transactions", "nodes", 0),
                           ("Query.projects", "Project.accounts", "WageAccount.transactions")),
    "Anomaly": ('{{ projects(filter: {{code: "{code}"}}) {{ nodes {{ anomalies {{ nodes {{ {sel} }} }} }} }} }}',
                ("projects", "nodes", 0, "anomalies", "nodes", 0), ("Query.projects", "Project.anomalies")),
    "Investigation": ('{{ investigations(filter: {{reference: "{reference}"}}) {{ nodes {{ {sel} }} }} }}',
                      ("investigations", "nodes", 0), ("Query.investigations",)),
    "RiskSignal": ('{{ riskSignals(filter: {{projectCode: "{code}"}}) {{ nodes {{ {sel} }} }} }}',
                   ("riskSignals", "nodes", 0), ("Query.riskSignals",)),
    # the closed referral (of the signal)
    "Referral": ('{{ referrals(filter: {{districtCode: "{district}", status: [CLOSED]}}) {{ nodes {{ {sel} }} }} }}',
                 ("referrals", "nodes", 0), ("Query.referrals",)),
    "DistrictReferrals": ('{{ referralSummary(districtCode: "{district}") {{ {sel} }} }}', ("referralSummary", 0),
                          ("Query.referralSummary",)),
}


def selection(coordinate: str, seed: Seed) -> str:
    """The selection of one field: scalars as they are, objects by id, lists and
    connections by a count restricted to district A (so every profile expects the same)."""
    special = {
        "Query.viewer": "viewer { profile }",
        "Query.enterprise": f'enterprise(uscc: "{seed.ea_uscc}") {{ id }}',
        "Query.enterprises": f'enterprises(filter: {{uscc: "{seed.ea_uscc}"}}) {{ totalCount }}',
        "Query.blacklistEntries": f'blacklistEntries(filter: {{uscc: "{seed.ea_uscc}"}}) {{ totalCount }}',
        "Query.disciplinaryMeasures": f'disciplinaryMeasures(filter: {{entry: "{seed.ids["listed"]}"}}) {{ totalCount }}',
        "Query.projects": f'projects(filter: {{code: "{seed.project_codes["a"]}"}}) {{ totalCount }}',
        "Query.wageAccounts": f'wageAccounts(filter: {{districtCode: "{A}"}}) {{ totalCount }}',
        "Query.investigations": f'investigations(filter: {{reference: "{seed.investigation}"}}) {{ totalCount }}',
        "Query.riskSignals": f'riskSignals(filter: {{projectCode: "{seed.project_codes["a"]}"}}) {{ totalCount }}',
        "Query.referrals": f'referrals(filter: {{districtCode: "{A}"}}) {{ totalCount }}',
        "Query.referralSummary": f'referralSummary(districtCode: "{A}") {{ districtCode total }}',
        "Query.node": f'node(id: "{seed.ids["ea"]}") {{ id }}',
        "Query.webhooks": "webhooks { url }",
        "Enterprise.projects": f'projects(filter: {{districtCode: "{A}"}}) {{ totalCount }}',
        "Enterprise.wageAccounts": f'wageAccounts(filter: {{districtCode: "{A}"}}) {{ totalCount }}',
        "BlacklistEntry.persons": "persons { role }",
        "BlacklistEntry.history": "history { action }",
        "BlacklistEntry.publications": "publications { platform }",
        "BlacklistEntry.platforms": "platforms { platform }",
        "BlacklistDecision.changes": "changes { field }",
        "DisciplineSummary.departments": "departments { departmentCode }",
        "Webhook.deliveries": "deliveries { sequence }",
        "WageAccount.controls": "controls { id }",
        "Anomaly.referrals": "referrals { id }",
        "RiskSignal.referrals": "referrals { id }",
        "Referral.finding": "finding { id }",
    }
    if coordinate in special:
        return special[coordinate]
    value = seed.values[coordinate]
    field = coordinate.split(".")[1]
    if isinstance(value, dict) and coordinate != "RiskSignal.evidence":  # evidence: a JSON scalar
        return f"{field} {{ {' '.join(value)} }}"
    return field


def query_for(type_name: str, coordinates: list[str], seed: Seed) -> str:
    sel = " ".join(selection(c, seed) for c in coordinates)
    if type_name == "Query":
        return f"{{ {sel} }}"
    template = PATHS[type_name][0]
    return template.format(sel=sel, uscc=seed.ea_uscc, code=seed.project_codes["a"], entry=seed.ids["listed"],
                           reference=seed.investigation, district=A)


def dig(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def masked_identity(number: str) -> str:
    assert len(number) == 18
    return number[:3] + "*" * 11 + number[-4:]


def masked_account(number: str) -> str:
    assert len(number) == 16
    return "*" * 12 + number[-4:]


_CANNOT_QUERY = re.compile(r"^Cannot query field '(\w+)' on type '(\w+)'\.$")


# --------------------------------------------------------------------------------------
# The matrix
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["PUBLIC", *PROFILES])
async def test_matrix(client: httpx.AsyncClient, seed: Seed, tokens, profile: str) -> None:
    expected = {c: cell for c, cell in cells(profile).items() if c.split(".")[0] not in INTROSPECTED}
    headers = tokens[profile]

    # visible and masked fields: one query per type, all its served fields at once
    by_type: dict[str, list[str]] = {}
    for coordinate, cell in expected.items():
        if cell != "H":
            by_type.setdefault(coordinate.split(".")[0], []).append(coordinate)
    for type_name, coordinates in by_type.items():
        body = await gql(client, query_for(type_name, coordinates, seed), headers={**headers, **PURPOSE})
        assert "errors" not in body, (profile, type_name, body)
        node = body["data"] if type_name == "Query" else dig(body["data"], PATHS[type_name][1])
        for coordinate in coordinates:
            field = coordinate.split(".")[1]
            if coordinate == "Query.viewer":
                assert node["viewer"] == {"profile": profile}
                continue
            want = seed.value(profile, coordinate)
            if expected[coordinate] == "M":
                want = {"Person.idNumber": masked_identity, "WageAccount.accountNumber": masked_account}[coordinate](want)
            assert node[field] == want, (profile, coordinate, expected[coordinate])

    # absent fields: asking is a validation error naming the field (or a path to it that is
    # itself absent), with no suggestion and no data. Validation reports every unknown field
    # on its own, so one query per type asks for all its absent fields at once.
    absent: dict[str, list[str]] = {}
    for coordinate, cell in expected.items():
        if cell == "H":
            absent.setdefault(coordinate.split(".")[0], []).append(coordinate)
    for type_name, coordinates in absent.items():
        body = await gql(client, query_for(type_name, coordinates, seed), headers={**headers, **PURPOSE})
        assert "data" not in body, (profile, type_name, body)
        messages = [e["message"] for e in body["errors"]]
        assert all("Did you mean" not in m for m in messages), (profile, type_name, messages)
        named = set()
        for m in messages:
            match = _CANNOT_QUERY.match(m)
            assert match, (profile, type_name, m)
            named.add(f"{match[2]}.{match[1]}")
        ancestors = PATHS[type_name][2] if type_name != "Query" else ()
        allowed = set(coordinates) | {a for a in ancestors if expected[a] == "H"}
        assert named and named <= allowed, (profile, type_name, messages)
        # a path through visible fields ends at the fields themselves, each of them named
        if all(expected[a] != "H" for a in ancestors):
            assert named == set(coordinates), (profile, type_name, messages)


@pytest.mark.parametrize("profile", ["PUBLIC", *PROFILES])
async def test_writes_and_pushes_by_introspection(client: httpx.AsyncClient, tokens, profile: str) -> None:
    """Mutations, the subscription and the types only they return: each profile's schema has
    exactly the fields expected, and no type at all where none is (no empty root)."""
    expected = cells(profile)
    aliases = " ".join(f'{t}: __type(name: "{t}") {{ fields {{ name }} }}' for t in INTROSPECTED)
    body = await gql(client, f"{{ __schema {{ mutationType {{ name }} subscriptionType {{ name }} }} {aliases} }}",
                     headers=tokens[profile])
    assert "errors" not in body, (profile, body)
    for type_name in INTROSPECTED:
        assert not any(cell == "M" for c, cell in expected.items() if c.startswith(f"{type_name}.")), type_name
        want = {c.split(".")[1] for c, cell in expected.items() if c.startswith(f"{type_name}.") and cell == "V"}
        found = body["data"][type_name]
        if not want:
            assert found is None, (profile, type_name, found)
        else:
            assert found is not None, (profile, type_name)
            assert {f["name"] for f in found["fields"]} == want, (profile, type_name)
    roots = body["data"]["__schema"]
    assert (roots["mutationType"] is not None) == any(
        cell == "V" for c, cell in expected.items() if c.startswith("Mutation.")), profile
    assert (roots["subscriptionType"] is not None) == (expected["Subscription.blacklistChanges"] == "V"), profile


async def test_viewer_of_each_profile(client: httpx.AsyncClient, tokens) -> None:
    for profile in ("PUBLIC", *PROFILES):
        body = await gql(client, "{ viewer { profile districts policyVersion } }", headers=tokens[profile])
        viewer = body["data"]["viewer"]
        assert viewer["profile"] == profile
        assert viewer["districts"] == ([A] if profile == "DISTRICT" else [])
        assert viewer["policyVersion"] == 1


# --------------------------------------------------------------------------------------
# Purpose of use: full ID and account numbers need X-Hub-Purpose; masked ones do not
# --------------------------------------------------------------------------------------


def _purpose_required(body: dict[str, Any], coordinate: str) -> None:
    assert "data" not in body, body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "PURPOSE_REQUIRED"
    assert coordinate in error["message"]


async def test_bank_needs_a_purpose_for_full_account_numbers(client, seed: Seed, tokens) -> None:
    query = f'{{ wageAccounts(filter: {{districtCode: "{A}"}}) {{ nodes {{ accountNumber transactions {{ nodes {{ counterpartyAccount }} }} }} }} }}'
    _purpose_required(await gql(client, query, headers=tokens["BANK"]), "WageAccount.accountNumber")
    body = await gql(client, query, headers={**tokens["BANK"], **PURPOSE})
    (account,) = body["data"]["wageAccounts"]["nodes"]
    assert account["accountNumber"] == seed.account_number
    assert account["transactions"]["nodes"] == [{"counterpartyAccount": seed.counterparty_account}]
    # the counterparty account alone needs one too
    query = f'{{ wageAccounts(filter: {{districtCode: "{A}"}}) {{ nodes {{ transactions {{ nodes {{ counterpartyAccount }} }} }} }} }}'
    _purpose_required(await gql(client, query, headers=tokens["BANK"]), "AccountTransaction.counterpartyAccount")
    # a blank purpose is no purpose
    _purpose_required(await gql(client, query, headers={**tokens["BANK"], "X-Hub-Purpose": "   "}),
                      "AccountTransaction.counterpartyAccount")
    # and through an investigation's findings
    query = f"""{{ investigations(filter: {{reference: "{seed.investigation}"}}) {{ nodes {{
        findings(filter: {{districtCode: "{A}"}}) {{ nodes {{ account {{ accountNumber }} }} }} }} }} }}"""
    _purpose_required(await gql(client, query, headers=tokens["BANK"]), "WageAccount.accountNumber")
    body = await gql(client, query, headers={**tokens["BANK"], **PURPOSE})
    assert body["data"]["investigations"]["nodes"] == [
        {"findings": {"nodes": [{"account": {"accountNumber": seed.account_number}}]}}]


@pytest.mark.parametrize("profile", ["HRSS", "DRC"])
async def test_full_id_numbers_need_a_purpose(client, seed: Seed, tokens, profile: str) -> None:
    query = f'{{ enterprise(uscc: "{seed.ea_uscc}") {{ legalRepresentative {{ idNumber }} }} }}'
    _purpose_required(await gql(client, query, headers=tokens[profile]), "Person.idNumber")
    # also when asked through a fragment on node(id:)
    fragment = f'{{ node(id: "{seed.ids["rep"]}") {{ ... on Person {{ idNumber }} }} }}'
    _purpose_required(await gql(client, fragment, headers=tokens[profile]), "Person.idNumber")
    body = await gql(client, fragment, headers={**tokens[profile], **PURPOSE})
    assert body["data"]["node"] == {"idNumber": seed.person_id_number}


async def test_masked_numbers_need_no_purpose(client, seed: Seed, tokens) -> None:
    query = (f'{{ enterprise(uscc: "{seed.ea_uscc}") {{ legalRepresentative {{ idNumber }} '
             f'wageAccounts(filter: {{districtCode: "{A}"}}) {{ nodes {{ accountNumber }} }} }} }}')
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert "errors" not in body, body
    enterprise = body["data"]["enterprise"]
    assert enterprise["legalRepresentative"]["idNumber"] == masked_identity(seed.person_id_number)
    assert enterprise["wageAccounts"]["nodes"] == [{"accountNumber": masked_account(seed.account_number)}]
    assert seed.person_id_number not in str(body) and seed.account_number not in str(body)
    for profile in ("MSB", "BDC", "BANK"):
        body = await gql(client, f'{{ enterprise(uscc: "{seed.ea_uscc}") {{ legalRepresentative {{ idNumber }} }} }}',
                         headers=tokens[profile])
        assert body["data"]["enterprise"]["legalRepresentative"]["idNumber"] == masked_identity(seed.person_id_number)
    # the monitoring workflow's paths to an account mask it the same way
    query = f"""{{ referrals(filter: {{districtCode: "{A}"}}) {{ nodes {{
        finding {{ account {{ accountNumber }} }} signal {{ account {{ accountNumber }} }} }} }}
        riskSignals(filter: {{projectCode: "{seed.project_codes["a"]}"}}) {{ nodes {{ account {{ accountNumber }} }} }} }}"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert "errors" not in body, body
    masked = {"accountNumber": masked_account(seed.account_number)}
    assert body["data"] == {
        "referrals": {"nodes": [{"finding": {"account": masked}, "signal": None},
                                {"finding": None, "signal": {"account": masked}}]},
        "riskSignals": {"nodes": [{"account": masked}]},
    }


# --------------------------------------------------------------------------------------
# Rows: a district client sees its own division only, through every path
# --------------------------------------------------------------------------------------


async def test_district_sees_only_its_own_projects_and_accounts(client, seed: Seed, tokens) -> None:
    query = """{ projects(first: 1) { totalCount pageInfo { hasNextPage } nodes { id districtCode } }
                 wageAccounts(first: 1) { totalCount pageInfo { hasNextPage } nodes { id districtCode } } }"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert body["data"] == {
        "projects": {"totalCount": 1, "pageInfo": {"hasNextPage": False}, "nodes": [{"id": seed.ids["pr_a"], "districtCode": A}]},
        "wageAccounts": {"totalCount": 1, "pageInfo": {"hasNextPage": False}, "nodes": [{"id": seed.ids["ac_a"], "districtCode": A}]},
    }
    # asking for the other district by filter finds nothing, not even a count
    query = f"""{{ projects(filter: {{districtCode: "{B}"}}) {{ totalCount nodes {{ id }} }}
                  byCode: projects(filter: {{code: "{seed.project_codes["b"]}"}}) {{ totalCount }}
                  wageAccounts(filter: {{districtCode: "{B}"}}) {{ totalCount nodes {{ id }} }} }}"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert body["data"] == {"projects": {"totalCount": 0, "nodes": []}, "byCode": {"totalCount": 0},
                            "wageAccounts": {"totalCount": 0, "nodes": []}}
    # the same query for HRSS (no district binding) finds them: the filter itself works
    body = await gql(client, query, headers=tokens["HRSS"])
    assert body["data"]["projects"]["totalCount"] == 2
    assert body["data"]["byCode"]["totalCount"] == 1
    assert body["data"]["wageAccounts"]["totalCount"] == 2


async def test_district_cannot_fetch_another_districts_rows_by_id(client, seed: Seed, tokens) -> None:
    names = ("pr_a", "ac_a", "an_a", "pr_b", "pr_b2", "ac_b", "ac_b2", "an_b")
    query = "{ " + " ".join(f'{n}: node(id: "{seed.ids[n]}") {{ id }}' for n in names) + " }"
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert "errors" not in body, body
    assert body["data"] == {n: ({"id": seed.ids[n]} if n.endswith("_a") else None) for n in names}
    body = await gql(client, query, headers=tokens["HRSS"])
    assert body["data"] == {n: {"id": seed.ids[n]} for n in names}


async def test_district_sees_no_other_district_through_nested_fields(client, seed: Seed, tokens) -> None:
    query = f"""{{
      ea: enterprise(uscc: "{seed.ea_uscc}") {{
        projects {{ totalCount nodes {{ id }} }} wageAccounts {{ totalCount nodes {{ id }} }} }}
      eb: enterprise(uscc: "{seed.eb_uscc}") {{
        projects {{ totalCount nodes {{ id }} }} wageAccounts {{ totalCount nodes {{ id }} }} }}
      cross: blacklistEntries(filter: {{uscc: "{seed.ex_uscc}"}}) {{ totalCount nodes {{ id project {{ id }} }} }}
      anomalies: projects {{ nodes {{ anomalies {{ totalCount nodes {{ id }} }} accounts {{ totalCount }} }} }}
    }}"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert "errors" not in body, body
    d = body["data"]
    assert d["ea"] == {"projects": {"totalCount": 1, "nodes": [{"id": seed.ids["pr_a"]}]},
                       "wageAccounts": {"totalCount": 1, "nodes": [{"id": seed.ids["ac_a"]}]}}
    # the other district's enterprise exists (registration data is shared) but has nothing
    assert d["eb"] == {"projects": {"totalCount": 0, "nodes": []}, "wageAccounts": {"totalCount": 0, "nodes": []}}
    # the entry is visible (published), the other district's project behind it is not
    assert d["cross"] == {"totalCount": 1, "nodes": [{"id": seed.ids["cross"], "project": None}]}
    assert d["anomalies"]["nodes"] == [{"anomalies": {"totalCount": 1, "nodes": [{"id": seed.ids["an_a"]}]},
                                        "accounts": {"totalCount": 1}}]

    body = await gql(client, query, headers={**tokens["HRSS"], **PURPOSE})
    d = body["data"]
    assert {n["id"] for n in d["ea"]["projects"]["nodes"]} == {seed.ids["pr_a"], seed.ids["pr_b2"]}
    assert d["ea"]["projects"]["totalCount"] == 2 and d["ea"]["wageAccounts"]["totalCount"] == 2
    assert d["eb"]["projects"]["totalCount"] == 1 and d["eb"]["wageAccounts"]["totalCount"] == 1
    assert d["cross"]["nodes"][0]["project"] == {"id": seed.ids["pr_b"]}


async def test_a_district_client_of_the_other_district_sees_the_mirror(client, sessions, seed: Seed) -> None:
    client_id, secret = await register(sessions, "DISTRICT", districts=(B,))
    headers = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
    body = await gql(client, "{ projects { totalCount nodes { id } } wageAccounts { totalCount } }", headers=headers)
    assert body["data"]["projects"]["totalCount"] == 2
    assert {n["id"] for n in body["data"]["projects"]["nodes"]} == {seed.ids["pr_b"], seed.ids["pr_b2"]}
    assert body["data"]["wageAccounts"]["totalCount"] == 2
    body = await gql(client, f'{{ node(id: "{seed.ids["pr_a"]}") {{ id }} }}', headers=headers)
    assert body["data"]["node"] is None
    body = await gql(client, """{ riskSignals { nodes { id } } referrals { nodes { id } }
        referralSummary { districtCode open overdue closed total }
        wageAccounts(filter: {kind: SPECIAL}) { nodes { controls { id } } } }""", headers=headers)
    assert "errors" not in body, body
    assert body["data"] == {
        "riskSignals": {"nodes": [{"id": seed.ids["sig_b"]}]}, "referrals": {"nodes": [{"id": seed.ids["ref_b"]}]},
        "referralSummary": [{"districtCode": B, "open": 1, "overdue": 1, "closed": 0, "total": 1}],
        "wageAccounts": {"nodes": [{"controls": [{"id": seed.ids["ctl_b"]}]}, {"controls": []}]},
    }


async def test_district_sees_only_its_own_signals_referrals_and_controls(client, seed: Seed, tokens) -> None:
    """Signals, referrals (and their summary) and controls are district rows like projects:
    the other district's exist nowhere for a district client, counts included."""
    query = """{ riskSignals { totalCount nodes { id } } referrals { totalCount nodes { id } }
                 overdue: referrals(filter: {overdue: true}) { totalCount nodes { id } }
                 referralSummary { districtCode open overdue closed total } }"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert "errors" not in body, body
    assert body["data"] == {
        "riskSignals": {"totalCount": 1, "nodes": [{"id": seed.ids["sig_a"]}]},
        "referrals": {"totalCount": 2, "nodes": [{"id": seed.ids["ref_open"]}, {"id": seed.ids["ref_closed"]}]},
        "overdue": {"totalCount": 1, "nodes": [{"id": seed.ids["ref_open"]}]},
        "referralSummary": [{"districtCode": A, "open": 1, "overdue": 1, "closed": 1, "total": 2}],
    }
    # asking for the other district by filter finds nothing, not even a count
    query = f"""{{ riskSignals(filter: {{districtCode: "{B}"}}) {{ totalCount }}
                  byCode: riskSignals(filter: {{projectCode: "{seed.project_codes["b"]}"}}) {{ totalCount }}
                  referrals(filter: {{districtCode: "{B}"}}) {{ totalCount }}
                  referralSummary(districtCode: "{B}") {{ total }} }}"""
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert body["data"] == {"riskSignals": {"totalCount": 0}, "byCode": {"totalCount": 0},
                            "referrals": {"totalCount": 0}, "referralSummary": []}
    body = await gql(client, query, headers=tokens["HRSS"])
    assert body["data"] == {"riskSignals": {"totalCount": 1}, "byCode": {"totalCount": 1},
                            "referrals": {"totalCount": 1}, "referralSummary": [{"total": 1}]}
    # nor by id
    names = ("sig_a", "ref_open", "ref_closed", "ctl_a", "sig_b", "ref_b", "ctl_b")
    query = "{ " + " ".join(f'{n}: node(id: "{seed.ids[n]}") {{ id }}' for n in names) + " }"
    body = await gql(client, query, headers=tokens["DISTRICT"])
    assert body == {"data": {n: ({"id": seed.ids[n]} if not n.endswith("_b") else None) for n in names}}
    body = await gql(client, query, headers=tokens["HRSS"])
    assert body == {"data": {n: {"id": seed.ids[n]} for n in names}}


async def test_reporting_departments_see_their_own_measures_only(client, sessions, seed: Seed, tokens) -> None:
    """discipline:report reads back its own department's measures; discipline:read (HRSS) every
    department's. Another department's measure does not exist for a reporter, by id included."""
    names = [f"dm_{p.lower()}" for p in REPORTERS]
    by_id = " ".join(f'{n}: node(id: "{seed.ids[n]}") {{ id }}' for n in names)
    for profile in REPORTERS:
        own = f"dm_{profile.lower()}"
        others = [p for p in REPORTERS if p != profile]
        query = f"""{{ disciplinaryMeasures {{ totalCount nodes {{ id departmentCode }} }}
            other: disciplinaryMeasures(filter: {{departmentCode: "{seed.departments[others[0]]}"}}) {{ totalCount }}
            {by_id} }}"""
        body = await gql(client, query, headers=tokens[profile])
        assert "errors" not in body, (profile, body)
        assert body["data"] == {
            "disciplinaryMeasures": {"totalCount": 1, "nodes": [{"id": seed.ids[own],
                                                                 "departmentCode": seed.departments[profile]}]},
            "other": {"totalCount": 0},
            **{n: ({"id": seed.ids[n]} if n == own else None) for n in names},
        }, profile
    query = f"""{{ disciplinaryMeasures(filter: {{entry: "{seed.ids["listed"]}"}}) {{ totalCount nodes {{ departmentCode }} }}
        {by_id} }}"""
    body = await gql(client, query, headers=tokens["HRSS"])
    assert body["data"]["disciplinaryMeasures"] == {
        "totalCount": 3, "nodes": [{"departmentCode": seed.departments[p]} for p in REPORTERS]}
    assert all(body["data"][n] == {"id": seed.ids[n]} for n in names)
    # a reporting client bound to no department sees no measure (fail closed), not every one
    client_id, secret = await register(sessions, "DRC")
    headers = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
    body = await gql(client, query, headers=headers)
    assert body["data"] == {"disciplinaryMeasures": {"totalCount": 0, "nodes": []}, **{n: None for n in names}}


# --------------------------------------------------------------------------------------
# Rows: unpublished, expired and removed entries
# --------------------------------------------------------------------------------------


async def _count_by_uscc(client, headers, uscc: str) -> int:
    body = await gql(client, f'{{ blacklistEntries(filter: {{uscc: "{uscc}"}}) {{ totalCount nodes {{ id }} }} }}',
                     headers=headers)
    conn = body["data"]["blacklistEntries"]
    assert conn["totalCount"] == len(conn["nodes"])
    return int(conn["totalCount"])


async def test_which_entries_exist_for_whom(client, seed: Seed, tokens) -> None:
    entries = {"listed": seed.ea_uscc, **seed.hidden_from_public}
    expected = {
        # the public: published and unexpired only
        "PUBLIC": {"listed"},
        # agencies without blacklist:read:internal: everything but the notice and defence stages
        "DISTRICT": {"listed", "lapsed", "expired", "removed", "revoked"},
        "MSB": {"listed", "lapsed", "expired", "removed", "revoked"},
        # with blacklist:read:internal: all of them
        "HRSS": set(entries),
    }
    for profile, visible in expected.items():
        seen = {name for name, uscc in entries.items() if await _count_by_uscc(client, tokens[profile], uscc) == 1}
        assert seen == visible, profile


async def test_unpublished_entries_are_hidden_on_every_path(client, seed: Seed, tokens) -> None:
    """Without blacklist:read:internal, the notice and defence stages exist nowhere: not by
    id, not under their enterprise."""
    names = ("notice", "defence", "removed")
    query = "{ " + " ".join(
        f'{n}: node(id: "{seed.entry_ids[n]}") {{ id }} '
        f'{n}E: enterprise(uscc: "{seed.hidden_from_public[n]}") {{ blacklistEntries {{ totalCount nodes {{ id }} }} }}'
        for n in names
    ) + " }"
    expected_hidden = {"DISTRICT": {"notice", "defence"}, "DRC": {"notice", "defence"}, "BANK": {"notice", "defence"},
                       "HRSS": set()}
    for profile, hidden in expected_hidden.items():
        body = await gql(client, query, headers=tokens[profile])
        assert "errors" not in body, body
        for n in names:
            found = {"id": seed.entry_ids[n]}
            assert body["data"][n] == (None if n in hidden else found), (profile, n)
            conn = body["data"][f"{n}E"]["blacklistEntries"]
            assert conn == ({"totalCount": 0, "nodes": []} if n in hidden else {"totalCount": 1, "nodes": [found]}), (profile, n)


async def test_node_of_a_type_outside_the_schema_is_null(client, seed: Seed, tokens) -> None:
    """A real id of a type the profile cannot see does not resolve (and says nothing)."""
    found = {n: {"id": i} for n, i in seed.ids.items()}
    cases = {
        "MSB": {"pr_a": None, "ac_a": None, "tx": None, "an_a": None, "credit": found["credit"]},
        "DRC": {"pr_a": None, "ac_a": None, "tx": None, "credit": found["credit"], "inv": None, "ctl_a": None,
                "sig_a": None, "ref_open": None, "dm_drc": found["dm_drc"]},
        "DISTRICT": {"tx": None, "credit": None, "ac_a": found["ac_a"], "inv": None, "dm_drc": None,
                     "ctl_a": found["ctl_a"], "sig_a": found["sig_a"], "ref_open": found["ref_open"]},
        "BANK": {"credit": None, "tx": found["tx"], "inv": found["inv"], "ctl_a": found["ctl_a"], "sig_a": None,
                 "ref_open": None, "dm_drc": None},
        "HRSS": {"inv": found["inv"], "ctl_a": found["ctl_a"], "sig_a": found["sig_a"], "ref_open": found["ref_open"],
                 "dm_drc": found["dm_drc"]},
    }
    for profile, expected in cases.items():
        query = "{ " + " ".join(f'{n}: node(id: "{seed.ids[n]}") {{ id }}' for n in expected) + " }"
        body = await gql(client, query, headers=tokens[profile])
        assert body == {"data": expected}, profile


async def test_public_status_filter_cannot_reach_hidden_entries(client, seed: Seed) -> None:
    for uscc in seed.hidden_from_public.values():
        body = await gql(client, f"""{{ blacklistEntries(filter: {{uscc: "{uscc}",
            status: [NOTICE, DEFENCE_HEARD, LISTED, EXPIRED, REMOVED_EARLY, REVOKED]}}) {{ totalCount }} }}""")
        assert body["data"]["blacklistEntries"]["totalCount"] == 0


async def test_public_listing_holds_no_hidden_entry_and_no_id_number(client, seed: Seed) -> None:
    query = """query($after: String) { blacklistEntries(first: 500, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { id status expectedExitOn enterprise { uscc legalRepresentative { id name } } } } }"""
    after, nodes, total, raw = None, [], None, ""
    while True:
        response = await client.post("/graphql", json={"query": query, "variables": {"after": after}})
        raw += response.text
        conn = response.json()["data"]["blacklistEntries"]
        total = conn["totalCount"]
        nodes += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert total == len(nodes)
    today = dt.date.today().isoformat()
    assert all(n["status"] == "LISTED" and n["expectedExitOn"] >= today for n in nodes)
    usccs = {n["enterprise"]["uscc"] for n in nodes}
    assert seed.ea_uscc in usccs
    assert not usccs & set(seed.hidden_from_public.values())
    assert seed.person_id_number not in raw


async def test_a_removed_entry_vanishes_from_the_public_at_once(client, sessions) -> None:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        e = await f.enterprise(district=A)
        entry_id, uscc = (await f.blacklist_entry(e, BlacklistStatus.LISTED)).id, e.uscc
    assert await _count_by_uscc(client, {}, uscc) == 1
    async with unit_of_work(sessions, write=True) as s:
        row = await s.get(BlacklistEntry, entry_id)
        row.status, row.removed_on, row.removal_reason = BlacklistStatus.REMOVED_EARLY, dt.date(2026, 5, 1), "paid"
    assert await _count_by_uscc(client, {}, uscc) == 0


# --------------------------------------------------------------------------------------
# Schemas are built once per scope set
# --------------------------------------------------------------------------------------


def _app(client: httpx.AsyncClient) -> Any:
    """The Starlette app behind the test client: the transport holds asgi-lifespan's state
    wrapper, whose closure holds the app."""
    app = client._transport.app  # type: ignore[attr-defined]
    for cell in getattr(app, "__closure__", None) or ():
        if hasattr(cell.cell_contents, "state"):
            return cell.cell_contents
    return app


async def test_schemas_are_cached_per_scope_set(client, sessions, monkeypatch) -> None:
    policies = _app(client).state.hub.policies
    used: list[Any] = []
    original = policies.schema_for

    def recording(policy: Any, scopes: frozenset[str]) -> Any:
        schema = original(policy, scopes)
        used.append(schema)
        return schema

    monkeypatch.setattr(policies, "schema_for", recording)
    headers = []
    for profile, scope in (("HRSS", None), ("HRSS", None), ("HRSS", "enterprise:read blacklist:read")):
        client_id, secret = await register(sessions, profile)
        headers.append({"Authorization": f"Bearer {await fetch_token(client, client_id, secret, scope)}"})
    for h in headers:
        body = await gql(client, "{ viewer { clientId } }", headers=h)
        assert body["data"]["viewer"]["clientId"]
    first, second, narrower = used
    assert first is second
    assert narrower is not first
    cache = policies._schemas
    assert any(v is first for v in cache.values()) and any(v is narrower for v in cache.values())
    # and the narrower schema really is narrower
    assert first._schema.get_type("WageAccount") is not None
    assert narrower._schema.get_type("WageAccount") is None
