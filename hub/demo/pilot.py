"""Projects, wage accounts and their in/out records: the Daxing pilot and a few other districts.

The pilot (``shared/seeds/001_*``): division code ``110115`` (Daxing), exactly 193 projects,
all UNDER_CONSTRUCTION, checked by the banking regulator in investigation
``INV-2026-110115-PILOT``; exactly **54** of them carry the problems the seed names. Twelve
more projects in other districts of Beijing and Sichuan are all clean.

What every project looks like (clean or not)
--------------------------------------------
* Pay cycle MONTHLY. The banks' extract of in/out records covers the six calendar months
  2026-05 .. 2026-10 (the "window"; the demo's today is 2026-11-01). Accounts were opened
  before the window; their ``balance`` equals the sum of IN minus the sum of OUT records.
* One SPECIAL account, marked (``special_mark`` true, ``control_status`` MARKED, an ACTIVE
  SPECIAL_MARK control). Every window month has exactly one IN record, from the
  construction unit (``counterparty_name`` = its name, a corporate account), summary
  ``人工费用拨付 YYYY-MM``, on day 3-8, covering at least that month's outflows.
* A DEPOSIT account when the contract value is 3,000,000 or more (smaller contracts are
  exempt), opened by the general contractor, marked, holding one IN record and a balance of
  1 %-2.9 % of the contract value (rounded up to 100 yuan, so never below 1 %).
* General contractors and construction units are IN_OPERATION enterprises with no credit
  record and no blacklist entry.

A clean project, additionally
-----------------------------
* its special account's ``opening_unit_id`` is the project's ``general_contractor_id`` and
  its name is ``<general contractor><project>农民工工资专用账户``;
* every window month has exactly ``projects.workers`` OUT records, on one day between the
  12th and 18th, one to each worker's personal debit card (``counterparty_account`` is 19
  digits starting with ``62``; ``counterparty_name`` a person's name, never an
  enterprise's), each with summary ``代发工资 YYYY-MM``; no other OUT record exists.

The problem projects: a project is a problem project if and only if at least one holds
-----------------------------------------------------------------------------------------
(A) **Opening unit** — its SPECIAL account's ``opening_unit_id`` differs from the project's
    ``general_contractor_id`` (the account was opened by a labour subcontractor or by the
    construction unit, and is named after that unit).
(B) **Wages to a company** — an OUT record of the special account with a wage summary
    (``代发工资 ...``) whose counterparty is a company: ``counterparty_account`` is not a
    19-digit number starting with ``62`` and ``counterparty_name`` is the name of an
    enterprise in ``enterprises`` (a labour-service company collects the month's payroll
    instead of the workers).
(C) **Non-wage outflow** — an OUT record of the special account whose ``summary`` does not
    start with ``代发工资`` (材料款, 设备租赁费, 往来款, 管理费 to a supplier's corporate
    account; the construction unit's IN for that month was raised by the same amount).
(D) **Missing payroll** — a window month (2026-05 .. 2026-10) in which the special account
    has no OUT record at all, although the month's IN arrived.

Equivalently for a detector: flag a project when (A), or when its special account has an OUT
whose counterparty account is not a personal card (``NOT LIKE '62%'`` or length <> 19), or an
OUT whose summary does not start with ``代发工资``, or a window month without OUT. The mix:
A only 16, A+C 6, A+D 4, B 10, C 10, D 8 (= 54). Each problem project has one OPEN
``Anomaly`` from the pilot investigation per kind that applies: OPENING_UNIT_NOT_GENERAL_
CONTRACTOR for (A), ABNORMAL_TRANSACTIONS for (B), (C) or (D) (26 + 38 = 64 rows).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hub.demo.blacklist import at
from hub.demo.constants import (
    DEPOSIT_EXEMPT_BELOW,
    PILOT_DISTRICT,
    PILOT_INVESTIGATION,
    PILOT_PROBLEM_PROJECTS,
    PILOT_PROJECTS,
    WAGE_SUMMARY_PREFIX,
    WINDOW_MONTHS,
)
from hub.demo.fake import BANKS, DISTRICTS, PLACES, PROJECT_KINDS, District, Faker
from hub.demo.registry import Company
from hub.demo.rows import DemoData, Row
from hub.domains.monitoring.models import AnomalyKind, AnomalyStatus, InvestigationStatus
from hub.domains.projects.models import PayCycle, ProjectStatus
from hub.domains.wages.models import (
    AccountKind,
    ControlKind,
    ControlState,
    ControlStatus,
    Direction,
)


class Pattern(enum.Enum):
    OPENING_UNIT = "A"
    WAGES_TO_COMPANY = "B"
    NON_WAGE_OUTFLOW = "C"
    MISSING_PAYROLL = "D"


_P = Pattern
PROBLEM_MIX: tuple[tuple[frozenset[Pattern], int], ...] = (
    (frozenset({_P.OPENING_UNIT}), 16),
    (frozenset({_P.OPENING_UNIT, _P.NON_WAGE_OUTFLOW}), 6),
    (frozenset({_P.OPENING_UNIT, _P.MISSING_PAYROLL}), 4),
    (frozenset({_P.WAGES_TO_COMPANY}), 10),
    (frozenset({_P.NON_WAGE_OUTFLOW}), 10),
    (frozenset({_P.MISSING_PAYROLL}), 8),
)
assert sum(n for _, n in PROBLEM_MIX) == PILOT_PROBLEM_PROJECTS

#: Projects outside the pilot, all clean: (district, how many).
OTHER_PROJECTS = (("110105", 3), ("110108", 2), ("110112", 2), ("510107", 3), ("510104", 1),
                  ("510112", 1))
_NON_WAGE = ("材料款", "设备租赁费", "往来款", "管理费")
CENT = Decimal("0.01")


@dataclass
class _Pool:
    contractors: list[Company]
    developers: list[Company]
    labour: list[Company]
    suppliers: list[Company]


def _pool(companies: Sequence[Company], beijing: bool) -> _Pool:
    def pick(role: str) -> list[Company]:
        return [c for c in companies if c.role == role and c.district.in_beijing == beijing]

    return _Pool(pick("contractor"), pick("developer"), pick("labour"), pick("supplier"))


def projects(faker: Faker, companies: Sequence[Company], data: DemoData) -> None:
    """Append the pilot's and the other districts' projects, accounts, records, controls,
    the pilot investigation and its anomalies to ``data``."""
    rng = faker.rng
    plan: list[frozenset[Pattern]] = [p for p, n in PROBLEM_MIX for _ in range(n)]
    plan += [frozenset()] * (PILOT_PROJECTS - len(plan))
    rng.shuffle(plan)
    builder = _ProjectBuilder(faker, data)
    beijing, sichuan = _pool(companies, True), _pool(companies, False)
    pilot_codes = []
    for seq, patterns in enumerate(plan, start=1):
        code = builder.build(DISTRICTS[PILOT_DISTRICT], seq, beijing, patterns)
        pilot_codes.append(code)
    for district, count in OTHER_PROJECTS:
        pool = beijing if district.startswith("11") else sichuan
        for seq in range(1, count + 1):
            builder.build(DISTRICTS[district], seq, pool, frozenset())
    data.investigations.append({
        "reference": PILOT_INVESTIGATION,
        "reason": "大兴区在建工程项目农民工工资专用账户和工资保证金账户核查试点："
                  "经北京金融综合服务网比对开户单位与施工总承包单位、账户进出记录",
        "status": InvestigationStatus.COMPLETED,
        "requested_by": "HRSS-BJ",
        "completed_at": at(date(2026, 10, 25), 17),
        "projects": pilot_codes,
    })


class _ProjectBuilder:
    def __init__(self, faker: Faker, data: DemoData) -> None:
        self.faker, self.rng, self.data = faker, faker.rng, data
        self._names: set[str] = set()

    def _name(self, district: District) -> str:
        while True:
            name = (f"{district.name}{self.rng.choice(district.towns)}"
                    f"{self.rng.choice(PLACES)}{self.rng.choice(PROJECT_KINDS)}")
            if name not in self._names:
                self._names.add(name)
                return name

    def build(self, district: District, seq: int, pool: _Pool,
              patterns: frozenset[Pattern]) -> str:
        rng, faker = self.rng, self.faker
        gc, cu = rng.choice(pool.contractors), rng.choice(pool.developers)
        name = self._name(district)
        code = f"PRJ-{district.code}-{seq:04d}"
        small = rng.random() < 0.12
        value = Decimal(rng.randrange(1_200, 2_990) if small else rng.randrange(5_000, 600_000))
        value = (value * 1000).quantize(CENT)
        start = faker.day_between(date(2025, 3, 1), date(2026, 4, 10))
        n_workers = rng.randint(15, 60)
        self.data.projects.append({
            "code": code, "name": name, "district_code": district.code,
            "status": ProjectStatus.UNDER_CONSTRUCTION, "construction_unit": cu.uscc,
            "general_contractor": gc.uscc, "contract_value": value, "start_date": start,
            "workers": n_workers, "pay_cycle": PayCycle.MONTHLY,
        })

        opener = gc
        if _P.OPENING_UNIT in patterns:
            opener = rng.choice(pool.labour) if rng.random() < 0.67 else cu
        banks = BANKS if district.in_beijing else BANKS[:5]
        special = self._account(code, district, AccountKind.SPECIAL, rng.choice(banks),
                                f"{opener.name}{name}农民工工资专用账户", opener,
                                start + timedelta(days=rng.randint(0, 25)))
        findings = self._records(special, n_workers, cu, pool, patterns)
        if value >= DEPOSIT_EXEMPT_BELOW:
            deposit = self._account(code, district, AccountKind.DEPOSIT, rng.choice(banks),
                                    f"{gc.name}{name}农民工工资保证金账户", gc,
                                    start + timedelta(days=rng.randint(0, 25)))
            rate = Decimal(rng.randint(100, 290)) / 10000
            amount = Decimal(math.ceil(value * rate / 100) * 100).quantize(CENT)
            self._txn(deposit, "D0001", Direction.IN, amount, deposit["opened_on"], 10, 0,
                      gc.name, gc.corporate_account, "农民工工资保证金存入")

        if _P.OPENING_UNIT in patterns:
            self._anomaly(code, special, AnomalyKind.OPENING_UNIT_NOT_GENERAL_CONTRACTOR,
                          f"农民工工资专用账户开户单位为{opener.name}，"
                          f"与施工总承包单位{gc.name}不一致")
        if findings:
            self._anomaly(code, special, AnomalyKind.ABNORMAL_TRANSACTIONS, "；".join(findings))
        return code

    def _account(self, code: str, district: District, kind: AccountKind, bank: str,
                 name: str, opener: Company, opened: date) -> Row:
        row = {
            "project": code, "district_code": district.code, "kind": kind, "bank_name": bank,
            "account_number": self.faker.wage_account_number(), "account_name": name,
            "opening_unit": opener.uscc, "opened_on": opened, "balance": Decimal("0.00"),
            "special_mark": True, "control_status": ControlStatus.MARKED,
        }
        self.data.accounts.append(row)
        self.data.controls.append({
            "account": (bank, row["account_number"]), "district_code": district.code,
            "kind": ControlKind.SPECIAL_MARK,
            "state": ControlState.ACTIVE,
            "effective_on": opened + timedelta(days=self.rng.randint(0, 3)),
            "purpose": "农民工工资专用账户专门标识" if kind is AccountKind.SPECIAL
            else "农民工工资保证金账户专门标识",
            "authority": bank,
        })
        return row

    def _txn(self, account: Row, ref: str, direction: Direction, amount: Decimal, day: date,
             hour: int, minute: int, who: str, where: str, summary: str) -> None:
        self.data.transactions.append({
            "account": (account["bank_name"], account["account_number"]),
            "bank_reference": ref, "direction": direction, "amount": amount,
            "occurred_at": at(day, hour, minute), "counterparty_name": who,
            "counterparty_account": where, "summary": summary,
        })
        account["balance"] += amount if direction is Direction.IN else -amount

    def _records(self, account: Row, n_workers: int, cu: Company, pool: _Pool,
                 patterns: frozenset[Pattern]) -> list[str]:
        """Six months of records; returns the bank's findings for the abnormal ones."""
        rng, faker = self.rng, self.faker
        workers = [(faker.person_name(), faker.personal_card(),
                    Decimal(rng.randrange(45, 110) * 100)) for _ in range(n_workers)]
        months = list(WINDOW_MONTHS)
        no_pay = {rng.choice(months[1:])} if _P.MISSING_PAYROLL in patterns else set()
        to_company = (set(rng.sample([m for m in months if m not in no_pay], rng.randint(1, 2)))
                      if _P.WAGES_TO_COMPANY in patterns else set())
        diverted: dict[tuple[int, int], list[tuple[str, Company, Decimal]]] = {}
        if _P.NON_WAGE_OUTFLOW in patterns:
            for _ in range(rng.randint(1, 3)):
                diverted.setdefault(rng.choice(months), []).append((
                    rng.choice(_NON_WAGE), rng.choice(pool.suppliers),
                    Decimal(rng.randrange(200, 3000) * 100).quantize(CENT)))
        labour = rng.choice(pool.labour) if to_company else None
        findings: list[str] = []
        for y, m in months:
            label = f"{y}-{m:02d}"
            pay = [(w, (w[2] * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal(1)))
                   for w in workers]
            payroll = sum((p for _, p in pay), Decimal(0))
            extra = sum((a for _, _, a in diverted.get((y, m), ())), Decimal(0))
            buffer = (payroll * Decimal(rng.randint(0, 20)) / 1000).quantize(Decimal(1))
            self._txn(account, f"{y}{m:02d}I01", Direction.IN,
                      (payroll + extra + buffer).quantize(CENT), date(y, m, rng.randint(3, 8)),
                      10, rng.randint(0, 59), cu.name, cu.corporate_account,
                      f"人工费用拨付 {label}")
            pay_day = date(y, m, rng.randint(12, 18))
            if (y, m) in no_pay:
                findings.append(f"{label}无工资支出记录，当月人工费已到账")
            elif (y, m) in to_company and labour is not None:
                self._txn(account, f"{y}{m:02d}W0001", Direction.OUT, payroll.quantize(CENT),
                          pay_day, 14, 0, labour.name, labour.corporate_account,
                          f"{WAGE_SUMMARY_PREFIX} {label}")
                findings.append(f"{label}工资{payroll}元转入{labour.name}对公账户，"
                                "未直接发放至农民工本人账户")
            else:
                for i, ((who, card, _), amount) in enumerate(pay, start=1):
                    self._txn(account, f"{y}{m:02d}W{i:04d}", Direction.OUT,
                              amount.quantize(CENT), pay_day, 14, i % 60, who, card,
                              f"{WAGE_SUMMARY_PREFIX} {label}")
            for i, (summary, supplier, amount) in enumerate(diverted.get((y, m), ()), start=1):
                self._txn(account, f"{y}{m:02d}X{i:02d}", Direction.OUT, amount,
                          date(y, m, rng.randint(20, 27)), 15, i, supplier.name,
                          supplier.corporate_account, summary)
                findings.append(f"{label}支出{summary}{amount}元至{supplier.name}，非工资用途")
        return findings

    def _anomaly(self, code: str, account: Row, kind: AnomalyKind, detail: str) -> None:
        self.data.anomalies.append({
            "project": code, "account": (account["bank_name"], account["account_number"]),
            "investigation": PILOT_INVESTIGATION, "district_code": account["district_code"],
            "kind": kind, "status": AnomalyStatus.OPEN, "detail": detail,
            "found_on": date(2026, 10, 25),
        })
