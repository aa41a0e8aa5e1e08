"""The early-warning rules on plain rows: no database, one rule at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hub.domains.monitoring import rules
from hub.domains.monitoring.rules import (
    AccountFacts,
    CycleFlows,
    Facts,
    OpenReferral,
    Party,
    ProjectFacts,
    Record,
    Thresholds,
)

AS_OF = date(2026, 10, 31)
T = Thresholds()
GC, CU, LABOUR = 1, 2, 3
MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def project(**kw: object) -> ProjectFacts:
    base = dict(project_id=10, code="P-10", district_code="110116", pay_cycle="MONTHLY",
                start_date=date(2026, 1, 5), contract_value=Decimal("1000000.00"),
                general_contractor_id=GC)
    return ProjectFacts(**(base | kw))  # type: ignore[arg-type]


def special(**kw: object) -> AccountFacts:
    base = dict(account_id=100, project_id=10, kind="SPECIAL", opening_unit_id=GC,
                opened_on=date(2026, 1, 20), special_mark=True, balance=Decimal("0"))
    return AccountFacts(**(base | kw))  # type: ignore[arg-type]


def paid(month: str, **kw: object) -> CycleFlows:
    y, m = map(int, month.split("-"))
    base = dict(account_id=100, cycle=month, ins=1, first_in_on=date(y, m, 5), wage_outs=30)
    return CycleFlows(**(base | kw))  # type: ignore[arg-type]


PARTIES = {GC: Party(GC, "91110000000000001X", "GC Co.", "IN_OPERATION", False),
           CU: Party(CU, "91110000000000002X", "CU Co.", "IN_OPERATION", False),
           LABOUR: Party(LABOUR, "91110000000000003X", "Labour Co.", "IN_OPERATION", False)}


def run(projects=None, accounts=None, flows=None, records=(), referrals=(), parties=PARTIES,
        t: Thresholds = T, today: date = date(2026, 11, 22)) -> list[rules.Finding]:
    facts = Facts(projects or [project()], accounts if accounts is not None else [special()],
                  parties, flows if flows is not None else [paid(m) for m in MONTHS],
                  list(records), list(referrals),
                  {"MONTHLY": rules.cycles("MONTHLY", AS_OF, t.lookback_cycles)})
    return rules.evaluate(facts, t, AS_OF, today)


def kinds(found: list[rules.Finding]) -> dict[str, str]:
    return {f.kind: f.severity for f in found}


def test_a_clean_project_raises_nothing() -> None:
    assert run() == []


def test_cycles_of_each_pay_cycle() -> None:
    assert [c.label for c in rules.cycles("MONTHLY", AS_OF, 6)] == MONTHS
    semi = rules.cycles("SEMI_MONTHLY", date(2026, 10, 20), 3)
    assert [(c.label, c.start.day, c.end.day) for c in semi] == [
        ("2026-09-2", 16, 30), ("2026-10-1", 1, 15), ("2026-10-2", 16, 31)]
    weekly = rules.cycles("WEEKLY", date(2026, 10, 21), 2)
    assert [(c.start, c.end) for c in weekly] == [(date(2026, 10, 12), date(2026, 10, 18)),
                                                  (date(2026, 10, 19), date(2026, 10, 25))]


def test_judged_as_of_never_passes_the_data() -> None:
    assert rules.data_as_of(date(2026, 11, 22), date(2026, 10, 27)) == date(2026, 10, 31)
    assert rules.data_as_of(date(2026, 11, 22), date(2026, 11, 21)) == date(2026, 11, 22)
    assert rules.data_as_of(date(2026, 11, 22), None) == date(2026, 11, 22)


def test_labour_cost_late_is_yellow_and_missing_is_red() -> None:
    late = [paid(m) for m in MONTHS[:-1]] + [paid("2026-10", first_in_on=date(2026, 10, 14))]
    found = run(flows=late)
    assert kinds(found) == {"LABOUR_COST_NOT_PAID_IN": "YELLOW"}
    assert found[0].evidence["cycles"] == [{"cycle": "2026-10", "due": "2026-10-10", "firstIn": "2026-10-14"}]
    missing = [paid(m) for m in MONTHS[:-1]] + [paid("2026-10", ins=0, first_in_on=None)]
    assert kinds(run(flows=missing)) == {"LABOUR_COST_NOT_PAID_IN": "RED"}


def test_a_cycle_without_wages_paid_out() -> None:
    flows = [paid(m) for m in MONTHS if m != "2026-08"] + [paid("2026-08", wage_outs=0)]
    found = run(flows=flows)
    assert kinds(found) == {"NO_WAGE_OUTFLOW": "RED"}
    assert found[0].evidence["cycles"] == [{"cycle": "2026-08", "labourCostIn": True}]


def test_cycles_before_the_account_existed_are_not_judged() -> None:
    opened_late = special(opened_on=date(2026, 9, 2))
    assert run(accounts=[opened_late], flows=[paid("2026-09"), paid("2026-10")]) == []


def test_opening_unit_abnormal_records_and_marks() -> None:
    records = [Record(100, "X1", date(2026, 7, 21), "OUT", Decimal("5000.00"), "Supplier Co.",
                      "材料款", "NON_WAGE_OUTFLOW")]
    flows = [paid(m) for m in MONTHS if m != "2026-07"] + [paid("2026-07", non_wage_outs=1)]
    found = run(accounts=[special(opening_unit_id=LABOUR, special_mark=False)], flows=flows,
                records=records)
    assert kinds(found) == {"OPENING_UNIT_NOT_GENERAL_CONTRACTOR": "YELLOW",
                            "ABNORMAL_TRANSACTIONS": "RED", "ACCOUNT_NOT_MARKED": "YELLOW"}
    abnormal = next(f for f in found if f.kind == "ABNORMAL_TRANSACTIONS")
    assert abnormal.evidence["records"][0]["reference"] == "X1"
    assert abnormal.evidence["cycles"] == ["2026-07"]


def test_deposit_short_or_missing_and_exemption() -> None:
    big = project(contract_value=Decimal("10000000.00"))
    deposit = AccountFacts(101, 10, "DEPOSIT", GC, date(2026, 1, 20), True, Decimal("50000.00"))
    assert kinds(run(projects=[big], accounts=[special(), deposit])) == {"DEPOSIT_SHORT": "YELLOW"}
    assert kinds(run(projects=[big])) == {"DEPOSIT_SHORT": "RED"}
    enough = AccountFacts(101, 10, "DEPOSIT", GC, date(2026, 1, 20), True, Decimal("100000.00"))
    assert run(projects=[big], accounts=[special(), enough]) == []
    assert run(projects=[project(contract_value=Decimal("2999999.00"))]) == []


def test_discredited_parties() -> None:
    parties = dict(PARTIES)
    parties[GC] = Party(GC, "91110000000000001X", "GC Co.", "IN_OPERATION", True)
    parties[LABOUR] = Party(LABOUR, "91110000000000003X", "Labour Co.", "ABNORMAL_OPERATION", False)
    found = run(accounts=[special(opening_unit_id=LABOUR)], parties=parties)
    discredited = {f.subject: f.severity for f in found if f.kind == "PARTY_DISCREDITED"}
    assert discredited == {f"enterprise:{GC}": "RED", f"enterprise:{LABOUR}": "YELLOW"}


def test_missing_special_account_and_overdue_referral() -> None:
    referral = OpenReferral(7, 10, "P-10", "110116", date(2026, 11, 1), "ASSIGNED")
    found = run(accounts=[], flows=[], referrals=[referral])
    assert kinds(found) == {"SPECIAL_ACCOUNT_MISSING": "RED", "REFERRAL_OVERDUE": "RED"}
    assert next(f for f in found if f.kind == "REFERRAL_OVERDUE").evidence["daysOverdue"] == 21
    assert run(referrals=[referral], today=date(2026, 11, 1)) == []


def test_settings_disable_kinds_and_override_severities() -> None:
    flows = [paid(m) for m in MONTHS if m != "2026-08"] + [paid("2026-08", wage_outs=0)]
    t = Thresholds(severity={"NO_WAGE_OUTFLOW": "YELLOW"})
    assert kinds(run(flows=flows, t=t)) == {"NO_WAGE_OUTFLOW": "YELLOW"}
    assert run(flows=flows, t=Thresholds(disabled=frozenset({"NO_WAGE_OUTFLOW"}))) == []
