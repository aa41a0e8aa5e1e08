"""The early-warning rules: pure functions from plain rows (what the repository gathers with
SQL aggregates) to findings. No database, no clock, no settings object: everything a rule
depends on is in its arguments, so each rule can be read, and tested, on its own.

=================================== ======== ===============================================
kind                                severity when
=================================== ======== ===============================================
LABOUR_COST_NOT_PAID_IN             RED      a judged pay cycle of a special account had no
                                             IN record at all by its due day
                                    YELLOW   ... the IN came, but after the due day
NO_WAGE_OUTFLOW                     RED      a complete pay cycle without one OUT record with
                                             a wage summary (wages not paid through the
                                             special account)
OPENING_UNIT_NOT_GENERAL_CONTRACTOR YELLOW   the special account was opened by another unit
                                             than the project's general contractor
ABNORMAL_TRANSACTIONS               RED      in the judged cycles: an OUT that is not wages,
                                             wages paid to a company (not a personal card, or
                                             to a registered enterprise's name), or an IN
                                             from neither the construction unit nor the
                                             general contractor
PARTY_DISCREDITED                   RED      the general contractor or an opening unit is on
                                             the blacklist (LISTED)
                                    YELLOW   ... is in abnormal operation (or revoked,
                                             deregistered)
DEPOSIT_SHORT                       RED      no deposit account, although the contract is not
                                             exempt
                                    YELLOW   deposit balance below rate x contract value
SPECIAL_ACCOUNT_MISSING             RED      no special account 30 days after the start
ACCOUNT_NOT_MARKED                  YELLOW   a special or deposit account without the bank's
                                             special mark
REFERRAL_OVERDUE                    RED      a referral not closed by its deadline
=================================== ======== ===============================================

A pay cycle is *judged* when the account existed by the cycle's labour-cost due day; the
labour cost is judged once the due day is on or before the as-of date, wage outflow once the
whole cycle is. Only the last ``lookback_cycles`` cycles up to the as-of date are judged.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

#: Every kind the rules know, in the order they are documented above.
KINDS = (
    "LABOUR_COST_NOT_PAID_IN", "NO_WAGE_OUTFLOW", "OPENING_UNIT_NOT_GENERAL_CONTRACTOR",
    "ABNORMAL_TRANSACTIONS", "PARTY_DISCREDITED", "DEPOSIT_SHORT", "SPECIAL_ACCOUNT_MISSING",
    "ACCOUNT_NOT_MARKED", "REFERRAL_OVERDUE",
)
RED, YELLOW = "RED", "YELLOW"
SPECIAL_ACCOUNT_WITHIN_DAYS = 30  # opened within 30 days of the contract (regulations)
EVIDENCE_RECORDS = 10  # sample records kept in a signal's evidence


@dataclass(frozen=True, slots=True)
class Thresholds:
    lookback_cycles: int = 6
    labour_cost_due_days: int = 10
    deposit_rate: Decimal = Decimal("0.01")
    deposit_exempt_below: Decimal = Decimal("3000000")
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Cycle:
    label: str
    start: date
    end: date  # inclusive

    def due(self, days: int) -> date:
        return min(self.start + timedelta(days=days - 1), self.end)


# -- plain rows -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    enterprise_id: int
    uscc: str
    name: str
    status: str  # EnterpriseStatus name
    blacklisted: bool


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    project_id: int
    code: str
    district_code: str
    pay_cycle: str
    start_date: date
    contract_value: Decimal | None
    general_contractor_id: int


@dataclass(frozen=True, slots=True)
class AccountFacts:
    account_id: int
    project_id: int
    kind: str  # SPECIAL or DEPOSIT
    opening_unit_id: int
    opened_on: date
    special_mark: bool
    balance: Decimal


@dataclass(frozen=True, slots=True)
class CycleFlows:
    """What one special account saw in one pay cycle (SQL counts)."""

    account_id: int
    cycle: str
    ins: int = 0
    first_in_on: date | None = None
    wage_outs: int = 0
    non_wage_outs: int = 0
    outs_to_company: int = 0
    foreign_ins: int = 0


@dataclass(frozen=True, slots=True)
class Record:
    """An abnormal in/out record, for evidence."""

    account_id: int
    reference: str
    occurred_on: date
    direction: str
    amount: Decimal
    counterparty: str | None
    summary: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class OpenReferral:
    referral_id: int
    project_id: int
    project_code: str
    district_code: str
    deadline: date
    status: str


@dataclass
class Facts:
    projects: Sequence[ProjectFacts]
    accounts: Sequence[AccountFacts]
    parties: Mapping[int, Party]
    flows: Sequence[CycleFlows]
    records: Sequence[Record]
    referrals: Sequence[OpenReferral]
    cycles: Mapping[str, Sequence[Cycle]]  # pay cycle -> judged window


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    severity: str
    project_id: int
    district_code: str
    subject: str
    account_id: int | None
    summary: str
    evidence: dict[str, Any]

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.kind, self.project_id, self.subject)


# -- cycles -------------------------------------------------------------------------------


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _containing(pay_cycle: str, day: date) -> Cycle:
    if pay_cycle == "WEEKLY":
        start = day - timedelta(days=day.weekday())
        iso = start.isocalendar()
        return Cycle(f"{iso.year}-W{iso.week:02d}", start, start + timedelta(days=6))
    if pay_cycle == "SEMI_MONTHLY":
        if day.day <= 15:
            return Cycle(f"{day:%Y-%m}-1", day.replace(day=1), day.replace(day=15))
        return Cycle(f"{day:%Y-%m}-2", day.replace(day=16), _month_end(day))
    return Cycle(f"{day:%Y-%m}", day.replace(day=1), _month_end(day))


def cycles(pay_cycle: str, as_of: date, lookback: int) -> list[Cycle]:
    """The last ``lookback`` pay cycles up to the one holding ``as_of``, oldest first."""
    found = [_containing(pay_cycle, as_of)]
    while len(found) < lookback:
        found.append(_containing(pay_cycle, found[-1].start - timedelta(days=1)))
    return found[::-1]


def data_as_of(today: date, latest_record: date | None) -> date:
    """Signals are judged as of today, but never past what the banks' data cover: the end of
    the month of the latest in/out record (an extract runs to a month's end)."""
    if latest_record is None:
        return today
    return min(today, _month_end(latest_record))


# -- the rules ------------------------------------------------------------------------------


def evaluate(facts: Facts, t: Thresholds, as_of: date, today: date) -> list[Finding]:
    """Every finding of every enabled rule; ``today`` only decides overdue referrals."""
    accounts: dict[int, list[AccountFacts]] = defaultdict(list)
    for a in facts.accounts:
        accounts[a.project_id].append(a)
    flows: dict[int, dict[str, CycleFlows]] = defaultdict(dict)
    for f in facts.flows:
        flows[f.account_id][f.cycle] = f
    records: dict[int, list[Record]] = defaultdict(list)
    for r in facts.records:
        records[r.account_id].append(r)

    found: list[Finding] = []
    for p in facts.projects:
        mine = accounts.get(p.project_id, [])
        specials = [a for a in mine if a.kind == "SPECIAL"]
        window = facts.cycles.get(p.pay_cycle, ())
        found += special_account_missing(p, specials, as_of)
        for a in specials:
            found += opening_unit(p, a, facts.parties)
            found += labour_cost(p, a, window, flows.get(a.account_id, {}), t, as_of)
            found += wage_outflow(p, a, window, flows.get(a.account_id, {}), t, as_of)
            found += abnormal_transactions(p, a, flows.get(a.account_id, {}).values(),
                                           records.get(a.account_id, []))
        for a in mine:
            found += not_marked(p, a)
        found += deposit(p, [a for a in mine if a.kind == "DEPOSIT"], t)
        found += discredited(p, specials, facts.parties)
    found += overdue_referrals(facts.referrals, today)
    return [
        _severity(f, t.severity) for f in found if f.kind not in t.disabled
    ]


def _severity(f: Finding, overrides: Mapping[str, str]) -> Finding:
    wanted = overrides.get(f.kind)
    if wanted is None or wanted == f.severity:
        return f
    return Finding(f.kind, wanted, f.project_id, f.district_code, f.subject, f.account_id,
                   f.summary, f.evidence)


def _finding(kind: str, severity: str, p: ProjectFacts, subject: str, account: int | None,
             summary: str, evidence: dict[str, Any]) -> Finding:
    return Finding(kind, severity, p.project_id, p.district_code, subject, account, summary,
                   {"project": p.code, **evidence})


def _judged(p: ProjectFacts, a: AccountFacts, window: Iterable[Cycle], due_days: int) -> list[Cycle]:
    """Cycles in which the account (and the project) existed by the labour-cost due day."""
    since = max(p.start_date, a.opened_on)
    return [c for c in window if since <= c.due(due_days)]


def special_account_missing(p: ProjectFacts, specials: Sequence[AccountFacts],
                            as_of: date) -> list[Finding]:
    deadline = p.start_date + timedelta(days=SPECIAL_ACCOUNT_WITHIN_DAYS)
    if specials or deadline > as_of:
        return []
    return [_finding("SPECIAL_ACCOUNT_MISSING", RED, p, "", None,
                     f"no wage special account, {SPECIAL_ACCOUNT_WITHIN_DAYS} days after the start",
                     {"startDate": p.start_date.isoformat(), "dueBy": deadline.isoformat()})]


def opening_unit(p: ProjectFacts, a: AccountFacts, parties: Mapping[int, Party]) -> list[Finding]:
    if a.opening_unit_id == p.general_contractor_id:
        return []
    opener, gc = parties.get(a.opening_unit_id), parties.get(p.general_contractor_id)
    return [_finding(
        "OPENING_UNIT_NOT_GENERAL_CONTRACTOR", YELLOW, p, f"account:{a.account_id}", a.account_id,
        f"special account opened by {opener.name if opener else '?'}, not by the general "
        f"contractor {gc.name if gc else '?'}",
        {"openingUnit": _party(opener), "generalContractor": _party(gc)},
    )]


def labour_cost(p: ProjectFacts, a: AccountFacts, window: Sequence[Cycle],
                flows: Mapping[str, CycleFlows], t: Thresholds, as_of: date) -> list[Finding]:
    missing, late = [], []
    for c in _judged(p, a, window, t.labour_cost_due_days):
        due = c.due(t.labour_cost_due_days)
        if due > as_of:
            continue
        f = flows.get(c.label)
        first = f.first_in_on if f else None
        if first is None or first > due:
            entry = {"cycle": c.label, "due": due.isoformat(),
                     "firstIn": first.isoformat() if first else None}
            (missing if first is None or first > as_of else late).append(entry)
    if not missing and not late:
        return []
    cycles_ = sorted(missing + late, key=lambda e: e["cycle"])
    return [_finding(
        "LABOUR_COST_NOT_PAID_IN", RED if missing else YELLOW, p, f"account:{a.account_id}",
        a.account_id,
        f"labour cost not in the special account by day {t.labour_cost_due_days} of "
        f"{len(cycles_)} pay cycle(s): {', '.join(e['cycle'] for e in cycles_)}",
        {"cycles": cycles_, "dueDays": t.labour_cost_due_days},
    )]


def wage_outflow(p: ProjectFacts, a: AccountFacts, window: Sequence[Cycle],
                 flows: Mapping[str, CycleFlows], t: Thresholds, as_of: date) -> list[Finding]:
    unpaid = []
    for c in _judged(p, a, window, t.labour_cost_due_days):
        if c.end > as_of:
            continue
        f = flows.get(c.label)
        if f is None or f.wage_outs == 0:
            unpaid.append({"cycle": c.label, "labourCostIn": bool(f and f.ins)})
    if not unpaid:
        return []
    return [_finding(
        "NO_WAGE_OUTFLOW", RED, p, f"account:{a.account_id}", a.account_id,
        f"no wages paid out of the special account in {len(unpaid)} pay cycle(s): "
        f"{', '.join(e['cycle'] for e in unpaid)}",
        {"cycles": unpaid},
    )]


def abnormal_transactions(p: ProjectFacts, a: AccountFacts, flows: Iterable[CycleFlows],
                          records: Sequence[Record]) -> list[Finding]:
    flows = list(flows)
    non_wage = sum(f.non_wage_outs for f in flows)
    to_company = sum(f.outs_to_company for f in flows)
    foreign = sum(f.foreign_ins for f in flows)
    if not (non_wage or to_company or foreign):
        return []
    parts = [f"{n} {what}" for n, what in ((non_wage, "non-wage outflow(s)"),
                                          (to_company, "wage payment(s) to a company"),
                                          (foreign, "inflow(s) from a third party")) if n]
    samples = sorted(records, key=lambda r: (r.occurred_on, r.reference))[:EVIDENCE_RECORDS]
    return [_finding(
        "ABNORMAL_TRANSACTIONS", RED, p, f"account:{a.account_id}", a.account_id,
        "abnormal in/out records: " + ", ".join(parts),
        {"nonWageOutflows": non_wage, "wagesToCompanies": to_company, "thirdPartyInflows": foreign,
         "cycles": sorted({f.cycle for f in flows
                           if f.non_wage_outs or f.outs_to_company or f.foreign_ins}),
         "records": [{"reference": r.reference, "date": r.occurred_on.isoformat(),
                      "direction": r.direction, "amount": str(r.amount),
                      "counterparty": r.counterparty, "summary": r.summary, "reason": r.reason}
                     for r in samples]},
    )]


def not_marked(p: ProjectFacts, a: AccountFacts) -> list[Finding]:
    if a.special_mark:
        return []
    what = "special" if a.kind == "SPECIAL" else "deposit"
    return [_finding("ACCOUNT_NOT_MARKED", YELLOW, p, f"account:{a.account_id}", a.account_id,
                     f"the wage {what} account carries no special mark at its bank",
                     {"accountKind": a.kind})]


def deposit(p: ProjectFacts, deposits: Sequence[AccountFacts], t: Thresholds) -> list[Finding]:
    value = p.contract_value
    if value is None or value < t.deposit_exempt_below:
        return []
    required = (value * t.deposit_rate).quantize(Decimal("0.01"))
    held = sum((a.balance for a in deposits), Decimal("0.00"))
    if deposits and held >= required:
        return []
    evidence = {"contractValue": str(value), "rate": str(t.deposit_rate),
                "required": str(required), "held": str(held)}
    if not deposits:
        return [_finding("DEPOSIT_SHORT", RED, p, "", None,
                         f"no wage deposit account; {required} required", evidence)]
    return [_finding("DEPOSIT_SHORT", YELLOW, p, "", None,
                     f"wage deposit {held} is short of the required {required}", evidence)]


def discredited(p: ProjectFacts, specials: Sequence[AccountFacts],
                parties: Mapping[int, Party]) -> list[Finding]:
    roles: dict[int, list[str]] = defaultdict(list)
    roles[p.general_contractor_id].append("GENERAL_CONTRACTOR")
    for a in specials:
        if "OPENING_UNIT" not in roles[a.opening_unit_id]:
            roles[a.opening_unit_id].append("OPENING_UNIT")
    found = []
    for enterprise_id, role in roles.items():
        party = parties.get(enterprise_id)
        if party is None:
            continue
        abnormal = party.status != "IN_OPERATION"
        if not (party.blacklisted or abnormal):
            continue
        reasons = (["on the wage-arrears blacklist"] if party.blacklisted else []) + (
            [f"registration status {party.status}"] if abnormal else [])
        found.append(_finding(
            "PARTY_DISCREDITED", RED if party.blacklisted else YELLOW, p,
            f"enterprise:{enterprise_id}", None,
            f"{' and '.join(r.lower().replace('_', ' ') for r in role)} {party.name}: "
            + "; ".join(reasons),
            {"party": _party(party), "roles": role, "blacklisted": party.blacklisted,
             "status": party.status},
        ))
    return found


def overdue_referrals(referrals: Sequence[OpenReferral], today: date) -> list[Finding]:
    found = []
    for r in referrals:
        if r.status == "CLOSED" or r.deadline >= today:
            continue
        days = (today - r.deadline).days
        found.append(Finding(
            "REFERRAL_OVERDUE", RED, r.project_id, r.district_code, f"referral:{r.referral_id}",
            None, f"referral to district {r.district_code} is {days} day(s) past its deadline "
                  f"{r.deadline.isoformat()} ({r.status})",
            {"project": r.project_code, "referralStatus": r.status, "deadline": r.deadline.isoformat(),
             "daysOverdue": days},
        ))
    return found


def _party(p: Party | None) -> dict[str, str] | None:
    return {"uscc": p.uscc, "name": p.name} if p else None
