"""Small, valid test data written straight to the database (the demo is for people; these
are for tests that need to know exactly what exists)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

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
from hub.domains.blacklist.publication import Platform, PublicationAction
from hub.domains.credit.models import CreditRecord, CreditRecordKind, SourcePlatform
from hub.domains.departments.models import Department, Profile
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.identifiers import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from hub.domains.monitoring.models import (
    Anomaly,
    AnomalyKind,
    AnomalyStatus,
    Investigation,
    InvestigationProject,
    InvestigationStatus,
    Referral,
    ReferralStatus,
    RiskSignal,
    Severity,
    SignalKind,
    SignalStatus,
)
from hub.domains.persons.models import IdType, Person
from hub.domains.projects.models import PayCycle, Project, ProjectStatus
from hub.domains.wages.models import (
    AccountControl,
    AccountKind,
    AccountTransaction,
    ControlKind,
    ControlState,
    ControlStatus,
    Direction,
    FundsFor,
    WageAccount,
)
from hub.push.models import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookSubscription

_seq = itertools.count(1)
#: Default district of factory rows: not the demo's pilot district (110115), whose counts tests check.
TEST_DISTRICT = "110199"


def make_uscc(n: int) -> str:
    body = "91110115" + "".join(USCC_ALPHABET[(n // 31**i) % 31] for i in range(9))
    return body + uscc_check_char(body)


def make_resident_id(n: int) -> str:
    """Distinct for every n below 13,440,000 (mixed radix: sequence, day, month, year)."""
    seq, day, month, year = n % 1000, 1 + (n // 1000) % 28, 1 + (n // 28_000) % 12, 1960 + (n // 336_000) % 40
    body = f"110115{year}{month:02d}{day:02d}{seq:03d}"
    return body + resident_id_check_char(body)


class Factory:
    """Creates rows in one session; the caller commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self.tag = next(_seq) * 100_000

    def _n(self) -> int:
        self.tag += 1
        return self.tag

    async def department(self, profile: str) -> Department:
        """A department with a code no other test (nor the demo) uses."""
        d = Department(code=f"{profile}-T{self._n()}", name=f"Test {profile} department", profile=Profile(profile),
                       division_code="510000")
        self.s.add(d)
        await self.s.flush()
        return d

    async def person(self, name: str = "Zhang Wei") -> Person:
        n = self._n()
        p = Person(name=name, id_type=IdType.RESIDENT_ID, id_number=make_resident_id(n), phone=f"138{n:08d}"[-11:])
        self.s.add(p)
        await self.s.flush()
        return p

    async def enterprise(self, district: str = TEST_DISTRICT, name: str | None = None, **kw: object) -> Enterprise:
        n = self._n()
        rep = await self.person(f"Rep {n}")
        e = Enterprise(
            uscc=make_uscc(n), name=name or f"Test Construction {n} Co., Ltd.",
            status=EnterpriseStatus.IN_OPERATION, address=f"{n} Test Road", registered_capital=Decimal("1000000.00"),
            district_code=district, legal_representative_id=rep.id, contact_person="Li Na", contact_phone="010-12345678",
            **kw,
        )
        self.s.add(e)
        await self.s.flush()
        return e

    async def credit_record(self, enterprise: Enterprise, kind: CreditRecordKind = CreditRecordKind.ADMINISTRATIVE_PENALTY) -> CreditRecord:
        r = CreditRecord(
            enterprise_id=enterprise.id, kind=kind, authority="Daxing HRSS", document_number=f"DX-{self._n()}",
            decided_on=date(2025, 3, 1), summary="Wages unpaid past the ordered deadline", source_platform=SourcePlatform.NECIPS,
        )
        self.s.add(r)
        await self.s.flush()
        return r

    async def blacklist_entry(self, enterprise: Enterprise, status: BlacklistStatus = BlacklistStatus.LISTED, **kw: object) -> BlacklistEntry:
        listed = status not in (BlacklistStatus.NOTICE, BlacklistStatus.DEFENCE_HEARD)
        included = date(2025, 1, 10)
        e = BlacklistEntry(
            enterprise_id=enterprise.id, status=status, district_code=enterprise.district_code,
            reason="Owed 52 workers their wages for four months", legal_basis="Interim Measures art. 5",
            amount_owed=Decimal("812345.67"), workers_affected=52, issuing_authority="Beijing HRSS",
            decision_document_number="JHRSS-2025-001" if listed else None,
            included_on=included if listed else None,
            expected_exit_on=included.replace(year=included.year + 3) if listed else None,
            clues="Complaint hotline, 2024-11", internal_notes="Escalated by the district",
            **kw,
        )
        self.s.add(e)
        await self.s.flush()
        rep = enterprise.legal_representative_id
        if rep is not None:
            self.s.add(BlacklistEntryPerson(entry_id=e.id, person_id=rep, role=PersonRole.LEGAL_REPRESENTATIVE))
        self.s.add(BlacklistDecision(entry_id=e.id, action=DecisionAction.PROPOSE, from_status=None, to_status=BlacklistStatus.NOTICE))
        if listed:
            self.s.add(BlacklistDecision(entry_id=e.id, action=DecisionAction.INCLUDE, from_status=BlacklistStatus.NOTICE, to_status=BlacklistStatus.LISTED, document_number="JHRSS-2025-001"))
        await self.s.flush()
        return e

    async def project(self, contractor: Enterprise, district: str = TEST_DISTRICT) -> Project:
        n = self._n()
        p = Project(
            code=f"TST-{n}", name=f"Residential block {n}", district_code=district, status=ProjectStatus.UNDER_CONSTRUCTION,
            general_contractor_id=contractor.id, contract_value=Decimal("50000000.00"), start_date=date(2026, 3, 1),
            workers=120, pay_cycle=PayCycle.MONTHLY,
        )
        self.s.add(p)
        await self.s.flush()
        return p

    async def account(self, project: Project, opener: Enterprise, kind: AccountKind = AccountKind.SPECIAL) -> WageAccount:
        n = self._n()
        a = WageAccount(
            project_id=project.id, district_code=project.district_code, kind=kind, bank_name="Bank of Beijing",
            account_number=f"6222{n:012d}", account_name=f"{opener.name} wage special account", opening_unit_id=opener.id,
            opened_on=date(2026, 3, 15), balance=Decimal("123456.78"), special_mark=True, control_status=ControlStatus.MARKED,
        )
        self.s.add(a)
        await self.s.flush()
        return a

    async def transaction(self, account: WageAccount, direction: Direction = Direction.OUT, amount: str = "6500.00") -> AccountTransaction:
        n = self._n()
        t = AccountTransaction(
            account_id=account.id, bank_reference=f"REF{n}", direction=direction, amount=Decimal(amount),
            occurred_at=datetime(2026, 4, 10, 8, 0, tzinfo=UTC) + timedelta(minutes=n % 1000),
            counterparty_name="Wang Fang", counterparty_account=f"6217{n:012d}", summary="April wages",
        )
        self.s.add(t)
        await self.s.flush()
        return t

    # -- the blacklist workflow (issue 5) ----------------------------------------------------

    async def decision(self, entry: BlacklistEntry, action: DecisionAction, **kw: object) -> BlacklistDecision:
        """A decision appended to an entry's history (its status unchanged unless given)."""
        d = BlacklistDecision(entry_id=entry.id, action=action, from_status=kw.pop("from_status", entry.status),
                              to_status=kw.pop("to_status", entry.status), **kw)
        self.s.add(d)
        await self.s.flush()
        return d

    async def publication(self, entry: BlacklistEntry, decision: BlacklistDecision | None, platform: Platform,
                          action: PublicationAction = PublicationAction.PUBLISHED, **kw: object) -> Publication:
        p = Publication(entry_id=entry.id, decision_id=decision.id if decision else None, platform=platform,
                        action=action, url=kw.pop("url", f"https://publish.example.gov.cn/{self._n()}"),
                        at=kw.pop("at", datetime(2026, 5, 2, 9, 0, tzinfo=UTC)), **kw)
        self.s.add(p)
        await self.s.flush()
        return p

    async def disciplinary_measure(self, entry: BlacklistEntry, department: Department, **kw: object) -> DisciplinaryMeasure:
        m = DisciplinaryMeasure(
            entry_id=entry.id, department_id=department.id, department_code=department.code,
            area=kw.pop("area", DisciplineArea.GOVERNMENT_PROCUREMENT), measure=kw.pop("measure", "Barred from government procurement"),
            taken_on=kw.pop("taken_on", date(2026, 5, 10)), effect=kw.pop("effect", "Bid of 2026-05-12 rejected"), **kw,
        )
        self.s.add(m)
        await self.s.flush()
        return m

    async def webhook(self, client_id: str, **kw: object) -> WebhookSubscription:
        """A webhook subscription; disabled by default, so that no decision of another test
        queues a delivery to it (nothing listens at its URL)."""
        w = WebhookSubscription(
            client_id=client_id, url=kw.pop("url", f"https://hooks.example.gov.cn/{self._n()}"),
            secret=kw.pop("secret", f"whsec-{self._n()}"), purpose=kw.pop("purpose", None),
            disabled_at=kw.pop("disabled_at", datetime(2026, 5, 3, 8, 0, tzinfo=UTC)), **kw,
        )
        self.s.add(w)
        await self.s.flush()
        return w

    async def outbox_event(self, decision: BlacklistDecision) -> OutboxEvent:
        e = OutboxEvent(topic="blacklist", entry_id=decision.entry_id, decision_id=decision.id, action=decision.action.value)
        self.s.add(e)
        await self.s.flush()
        return e

    async def delivery(self, webhook: WebhookSubscription, event: OutboxEvent, **kw: object) -> WebhookDelivery:
        """A delivery already made (DELIVERED: no delivery job picks it up again)."""
        at = datetime(2026, 5, 2, 9, 0, 5, tzinfo=UTC)
        d = WebhookDelivery(
            subscription_id=webhook.id, event_id=event.id, status=kw.pop("status", DeliveryStatus.DELIVERED),
            attempts=kw.pop("attempts", 1), next_attempt_at=kw.pop("next_attempt_at", at),
            last_status_code=kw.pop("last_status_code", 200), delivered_at=kw.pop("delivered_at", at), **kw,
        )
        self.s.add(d)
        await self.s.flush()
        return d

    # -- wage-account monitoring (issue 6) ---------------------------------------------------

    async def investigation(self, projects: list[Project], status: InvestigationStatus = InvestigationStatus.IN_PROGRESS,
                            **kw: object) -> Investigation:
        i = Investigation(reference=kw.pop("reference", f"INV-T{self._n()}"),
                          reason=kw.pop("reason", "Quarterly check of special accounts"), status=status, **kw)
        self.s.add(i)
        await self.s.flush()
        self.s.add_all([InvestigationProject(investigation_id=i.id, project_id=p.id) for p in projects])
        await self.s.flush()
        return i

    async def anomaly(self, project: Project, account: WageAccount | None = None,
                      kind: AnomalyKind = AnomalyKind.ACCOUNT_NOT_MARKED, **kw: object) -> Anomaly:
        a = Anomaly(project_id=project.id, account_id=account.id if account else None, district_code=project.district_code,
                    kind=kind, status=kw.pop("status", AnomalyStatus.OPEN),
                    detail=kw.pop("detail", "Special mark missing on the statement"),
                    found_on=kw.pop("found_on", date(2026, 4, 2)), **kw)
        self.s.add(a)
        await self.s.flush()
        return a

    async def control(self, account: WageAccount, kind: ControlKind = ControlKind.SPECIAL_MARK,
                      state: ControlState = ControlState.ACTIVE, **kw: object) -> AccountControl:
        c = AccountControl(account_id=account.id, district_code=account.district_code, kind=kind, state=state,
                           funds_for=kw.pop("funds_for", FundsFor.PROJECT_WORKERS),
                           effective_on=kw.pop("effective_on", date(2026, 3, 16)), **kw)
        self.s.add(c)
        await self.s.flush()
        return c

    async def risk_signal(self, project: Project, account: WageAccount | None = None,
                          kind: SignalKind = SignalKind.LABOUR_COST_NOT_PAID_IN, **kw: object) -> RiskSignal:
        """A signal as a computation would have stored it (``hub signals compute`` writes them in life)."""
        seen = datetime(2026, 4, 30, 20, 0, tzinfo=UTC)
        r = RiskSignal(
            kind=kind, project_id=project.id, subject=f"account:{account.id}" if account else "",
            account_id=account.id if account else None, district_code=project.district_code,
            severity=kw.pop("severity", Severity.RED), status=kw.pop("status", SignalStatus.ACTIVE),
            summary=kw.pop("summary", "labour cost not in the special account by day 10 of 1 pay cycle(s): 2026-04"),
            evidence=kw.pop("evidence", {"project": project.code, "cycles": [{"cycle": "2026-04", "due": "2026-04-10",
                                                                              "firstIn": None}], "dueDays": 10}),
            as_of=kw.pop("as_of", date(2026, 4, 30)), first_seen_at=kw.pop("first_seen_at", seen),
            last_seen_at=kw.pop("last_seen_at", seen), **kw,
        )
        self.s.add(r)
        await self.s.flush()
        return r

    async def referral(self, subject: Anomaly | RiskSignal, status: ReferralStatus = ReferralStatus.ASSIGNED,
                       **kw: object) -> Referral:
        """A referral of a finding or a signal to the district of its project."""
        r = Referral(
            anomaly_id=subject.id if isinstance(subject, Anomaly) else None,
            signal_id=subject.id if isinstance(subject, RiskSignal) else None,
            project_id=subject.project_id, district_code=subject.district_code, status=status,
            deadline=kw.pop("deadline", date(2026, 5, 15)), **kw,
        )
        self.s.add(r)
        await self.s.flush()
        return r
