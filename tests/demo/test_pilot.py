"""The Daxing pilot, checked from the data with SQL: a detector written from the patterns in
``hub.demo.pilot``'s docstring flags exactly the 54 projects the bank reported, and the other
projects pass every positive check of a clean project."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from hub.demo import DemoSummary
from hub.domains.blacklist.models import BlacklistEntry
from hub.domains.credit.models import CreditRecord
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.monitoring.models import (
    Anomaly,
    AnomalyKind,
    AnomalyStatus,
    Investigation,
    InvestigationProject,
)
from hub.domains.projects.models import Project, ProjectStatus
from hub.domains.wages.models import AccountKind, AccountTransaction, Direction, WageAccount
from tests.demo.conftest import fetch

DEMO_PROJECT = Project.code.like("PRJ-%")
WINDOW = [(2026, m) for m in range(5, 11)]
special = aliased(WageAccount)
T = AccountTransaction


def _month(y: int, m: int) -> tuple[datetime, datetime]:
    # Month boundaries in UTC; every record is at a Beijing office hour mid-month.
    return datetime(y, m, 1, tzinfo=UTC), datetime(y + m // 12, m % 12 + 1, 1, tzinfo=UTC)


async def _detect(sessions: async_sessionmaker[AsyncSession]) -> dict[str, set[str]]:
    """The documented patterns, as queries: pattern -> project codes."""
    base = (select(Project.code).join(special, and_(special.project_id == Project.id,
                                                     special.kind == AccountKind.SPECIAL))
            .where(DEMO_PROJECT))
    out_rec = base.join(T, and_(T.account_id == special.id, T.direction == Direction.OUT))
    found = {
        "A": base.where(special.opening_unit_id != Project.general_contractor_id),
        "B": out_rec.where(T.summary.like("代发工资%"),
                           T.counterparty_name.in_(select(Enterprise.name))),
        "C": out_rec.where(not_(T.summary.like("代发工资%"))),
        "not_personal": out_rec.where(or_(not_(T.counterparty_account.like("62%")),
                                          func.length(T.counterparty_account) != 19)),
    }
    result = {k: {c for (c,) in await fetch(sessions, q.distinct())} for k, q in found.items()}
    result["D"] = set()
    for y, m in WINDOW:
        start, end = _month(y, m)
        paid = (select(T.id).where(T.account_id == special.id, T.direction == Direction.OUT,
                                   T.occurred_at >= start, T.occurred_at < end).exists())
        result["D"] |= {c for (c,) in await fetch(sessions, base.where(~paid))}
    return result


@pytest.fixture(scope="module")
async def detected(demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
                   ) -> dict[str, set[str]]:
    return await _detect(sessions)


async def _pilot(sessions: async_sessionmaker[AsyncSession]) -> set[str]:
    return {c for (c,) in await fetch(
        sessions, select(Project.code).join(InvestigationProject,
                                            InvestigationProject.project_id == Project.id)
        .join(Investigation, Investigation.id == InvestigationProject.investigation_id)
        .where(Investigation.reference == "INV-2026-110115-PILOT"))}


async def test_pilot_has_193_projects_under_construction_in_daxing(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
) -> None:
    pilot = await _pilot(sessions)
    assert len(pilot) == 193
    rows = await fetch(sessions, select(Project.code, Project.district_code, Project.status)
                       .where(Project.code.in_(pilot)))
    assert {(d, s) for _, d, s in rows} == {("110115", ProjectStatus.UNDER_CONSTRUCTION)}
    in_daxing = await fetch(sessions, select(func.count()).select_from(Project)
                            .where(DEMO_PROJECT, Project.district_code == "110115"))
    assert in_daxing[0][0] == 193
    others = await fetch(sessions, select(Project.district_code).where(
        DEMO_PROJECT, Project.district_code != "110115"))
    assert len(others) >= 5 and len({d for (d,) in others}) >= 3


async def test_each_project_has_one_marked_special_account(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
) -> None:
    rows = await fetch(sessions, select(Project.code, WageAccount.kind, WageAccount.special_mark)
                       .join(WageAccount, WageAccount.project_id == Project.id)
                       .where(DEMO_PROJECT))
    kinds = Counter((code, kind) for code, kind, _ in rows)
    codes = {code for code, _ in kinds}
    assert all(kinds[(c, AccountKind.SPECIAL)] == 1 for c in codes)
    assert all(kinds[(c, AccountKind.DEPOSIT)] <= 1 for c in codes)
    assert sum(kinds[(c, AccountKind.DEPOSIT)] for c in codes) > len(codes) * 0.7  # "most"
    assert all(mark for _, _, mark in rows)


async def test_detector_flags_exactly_the_54_the_bank_reported(
    detected: dict[str, set[str]], sessions: async_sessionmaker[AsyncSession]
) -> None:
    flagged = detected["A"] | detected["B"] | detected["C"] | detected["D"]
    assert len(flagged) == 54
    assert flagged <= await _pilot(sessions)
    # The one-line rule "OUT to something that is not a personal card" sees B and C exactly.
    assert detected["not_personal"] == detected["B"] | detected["C"]
    assert all(detected[p] for p in "ABCD")

    anomalies = await fetch(sessions, select(Project.code, Anomaly.kind, Anomaly.status,
                                             Anomaly.district_code)
                            .join(Project, Project.id == Anomaly.project_id)
                            .join(Investigation, Investigation.id == Anomaly.investigation_id)
                            .where(Investigation.reference == "INV-2026-110115-PILOT"))
    by_kind: dict[AnomalyKind, set[str]] = defaultdict(set)
    for code, kind, status, district in anomalies:
        assert status is AnomalyStatus.OPEN and district == "110115"
        by_kind[kind].add(code)
    assert by_kind[AnomalyKind.OPENING_UNIT_NOT_GENERAL_CONTRACTOR] == detected["A"]
    assert by_kind[AnomalyKind.ABNORMAL_TRANSACTIONS] == (
        detected["B"] | detected["C"] | detected["D"])
    assert len(anomalies) == len(detected["A"]) + len(detected["B"] | detected["C"]
                                                      | detected["D"])


async def test_clean_projects_are_clean_under_positive_rules(
    detected: dict[str, set[str]], sessions: async_sessionmaker[AsyncSession]
) -> None:
    flagged = detected["A"] | detected["B"] | detected["C"] | detected["D"]
    cu = aliased(Enterprise)
    rows = await fetch(sessions, select(Project.code, Project.workers, cu.name, special.id)
                       .join(cu, cu.id == Project.construction_unit_id)
                       .join(special, and_(special.project_id == Project.id,
                                           special.kind == AccountKind.SPECIAL))
                       .where(DEMO_PROJECT))
    clean = [r for r in rows if r[0] not in flagged]
    assert len(clean) == len(rows) - 54 and len(clean) >= 139 + 5
    records = await fetch(sessions, select(T.account_id, T.direction, T.occurred_at,
                                           T.counterparty_name, T.counterparty_account)
                          .where(T.account_id.in_([r[3] for r in clean])))
    by_account: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for account_id, *rest in records:
        by_account[account_id].append(tuple(rest))
    for code, workers, cu_name, account_id in clean:
        ins = Counter((t.year, t.month) for d, t, *_ in by_account[account_id]
                      if d is Direction.IN)
        outs = Counter((t.year, t.month) for d, t, *_ in by_account[account_id]
                       if d is Direction.OUT)
        assert ins == Counter({m: 1 for m in WINDOW}), code
        assert outs == Counter({m: workers for m in WINDOW}), code
        assert {n for d, _, n, _ in by_account[account_id] if d is Direction.IN} == {cu_name}
        cards = {a for d, _, _, a in by_account[account_id] if d is Direction.OUT}
        assert len(cards) == workers and all(a.startswith("62") and len(a) == 19 for a in cards)


async def test_parties_of_every_project_are_in_good_standing(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
) -> None:
    parties = select(Project.general_contractor_id).where(DEMO_PROJECT).union(
        select(Project.construction_unit_id).where(DEMO_PROJECT))
    ids = {i for (i,) in await fetch(sessions, parties)}
    statuses = {s for (s,) in await fetch(sessions, select(Enterprise.status)
                                          .where(Enterprise.id.in_(ids)))}
    assert statuses == {EnterpriseStatus.IN_OPERATION}
    assert not await fetch(sessions, select(BlacklistEntry.id)
                           .where(BlacklistEntry.enterprise_id.in_(ids)))
    assert not await fetch(sessions, select(CreditRecord.id)
                           .where(CreditRecord.enterprise_id.in_(ids)))


async def test_deposits_and_balances(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
) -> None:
    deposit = aliased(WageAccount)
    rows = await fetch(sessions, select(Project.code, Project.contract_value, deposit.balance)
                       .outerjoin(deposit, and_(deposit.project_id == Project.id,
                                                deposit.kind == AccountKind.DEPOSIT))
                       .where(DEMO_PROJECT))
    for code, value, balance in rows:
        if balance is None:
            assert value < Decimal(3_000_000), code
        else:
            assert value * Decimal("0.01") <= balance <= value * Decimal("0.03"), code
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for account_id, direction, amount in await fetch(
            sessions, select(T.account_id, T.direction, T.amount)):
        totals[account_id] += amount if direction is Direction.IN else -amount
    for account_id, balance in await fetch(sessions, select(WageAccount.id, WageAccount.balance)
                                           .join(Project).where(DEMO_PROJECT)):
        assert totals[account_id] == balance
