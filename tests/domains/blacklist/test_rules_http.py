"""The rules the lifecycle test does not walk through: early removal, expiry (command and
job), publication deadlines, and who may report joint discipline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from hub.db.engine import unit_of_work
from hub.domains.blacklist.jobs import expire_listings
from hub.domains.blacklist.lifecycle import BlacklistStatus, DecisionAction
from hub.domains.blacklist.models import BlacklistDecision, BlacklistEntry
from hub.domains.blacklist.publication import (
    DecisionFact,
    Platform,
    PublicationAction,
    PublicationFact,
    platform_states,
)
from hub.graphql.relay import to_global_id
from hub.push.models import OutboxEvent
from hub.settings import Settings
from tests.domains.blacklist.conftest import Parties, codes, party
from tests.support.factories import Factory
from tests.support.processes import hub

REMOVE = """mutation Remove($input: RemoveFromBlacklistInput!) { removeFromBlacklist(input: $input) {
  entry { status removedOn arrearsCorrectedOn creditCommitmentOn } decision { action toStatus } } }"""
DISCIPLINE = """mutation Discipline($input: ReportDisciplinaryMeasureInput!) {
  reportDisciplinaryMeasure(input: $input) { measure { departmentCode } } }"""


async def listed(sessions, **kw) -> BlacklistEntry:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        entry = await f.blacklist_entry(await f.enterprise(district="510104"), BlacklistStatus.LISTED)
        for name, value in kw.items():
            setattr(entry, name, value)
        await s.flush()
        return entry


async def test_early_removal_over_http(client, sessions, parties: Parties, today) -> None:
    entry = await listed(sessions)  # included 2025-01-10
    gid = to_global_id("BlacklistEntry", entry.id)
    base = {"entry": gid, "version": entry.version, "removal": "EARLY_REMOVAL", "reason": "paid in full"}
    body = await parties.hrss.call(client, REMOVE, {"input": {**base, "arrearsCorrectedOn": today.isoformat(),
                                                              "creditCommitmentOn": today.isoformat()}})
    assert codes(body) == ["ILLEGAL_TRANSITION"] and "six months" in body["errors"][0]["message"]
    data = await parties.hrss.ok(client, REMOVE, {"input": {**base, "arrearsCorrectedOn": "2025-03-01",
                                                            "creditCommitmentOn": "2025-04-01"}})
    assert data["removeFromBlacklist"]["entry"] == {"status": "REMOVED_EARLY", "removedOn": today.isoformat(),
                                                    "arrearsCorrectedOn": "2025-03-01", "creditCommitmentOn": "2025-04-01"}


async def test_expiry_removes_entries_whose_three_years_are_up_and_pushes_the_decision(sessions) -> None:
    due = await listed(sessions, included_on=date(2022, 6, 1), expected_exit_on=date(2025, 6, 1))
    later = await listed(sessions, included_on=date(2025, 6, 1), expected_exit_on=date(2028, 6, 1))
    summary = await expire_listings(sessions, Settings(), today=date(2026, 1, 5))
    assert summary.startswith("expired ")
    async with sessions() as s:
        rows = {e.id: e for e in (await s.execute(select(BlacklistEntry).where(BlacklistEntry.id.in_([due.id, later.id])))).scalars()}
        decision = (await s.execute(select(BlacklistDecision).where(BlacklistDecision.entry_id == due.id)
                                    .order_by(BlacklistDecision.id.desc()))).scalars().first()
        event = (await s.execute(select(OutboxEvent).where(OutboxEvent.entry_id == due.id))).scalars().one()
    assert rows[due.id].status is BlacklistStatus.EXPIRED and rows[due.id].removed_on == date(2025, 6, 1)
    assert rows[later.id].status is BlacklistStatus.LISTED
    assert decision.action is DecisionAction.REMOVE and decision.actor == "hub:expiry"
    assert event.decision_id == decision.id


def test_hub_blacklist_expire_command(database_url, engine) -> None:
    result = hub("blacklist", "expire", "--today", "2026-01-05", database_url=database_url)
    assert result.returncode == 0, result.stderr
    assert "expired" in result.stdout


async def test_only_a_client_bound_to_a_department_reports_discipline(client, sessions, parties: Parties, today) -> None:
    entry = await listed(sessions)
    gid = to_global_id("BlacklistEntry", entry.id)
    unbound = await party(client, sessions, "DRC")  # no --department
    measure = {"entry": gid, "area": "FINANCING", "measure": "限制申请政府资金支持", "takenOn": today.isoformat()}
    assert codes(await unbound.call(client, DISCIPLINE, {"input": measure})) == ["FORBIDDEN"]
    body = await parties.drc.call(client, DISCIPLINE, {"input": {**measure, "takenOn": "2024-01-01"}})
    assert codes(body) == ["BAD_USER_INPUT"] and body["errors"][0]["extensions"]["field"] == "takenOn"
    async with unit_of_work(sessions, write=True) as s:
        notice = await Factory(s).blacklist_entry(await Factory(s).enterprise(district="510104"), BlacklistStatus.NOTICE)
    body = await parties.drc.call(client, DISCIPLINE, {"input": {**measure, "entry": to_global_id("BlacklistEntry", notice.id)}})
    assert codes(body) == ["NOT_FOUND"]  # DRC may not see an entry at the notice stage
    ok = await parties.drc.ok(client, DISCIPLINE, {"input": measure})
    assert ok["reportDisciplinaryMeasure"]["measure"]["departmentCode"] == parties.drc.department
    mine = await parties.msb.ok(client, "{ disciplinaryMeasures(first: 500) { nodes { departmentCode } } }")
    assert {m["departmentCode"] for m in mine["disciplinaryMeasures"]["nodes"]} <= {parties.msb.department}
    everyone = await parties.hrss.ok(client, "{ disciplinaryMeasures(first: 500) { totalCount } }")
    assert everyone["disciplinaryMeasures"]["totalCount"] >= 1


def test_platforms_that_fall_behind_are_late_and_removed_entries_still_shown_are_flagged() -> None:
    at = datetime(2026, 3, 2, 3, tzinfo=UTC)
    include = DecisionFact(1, DecisionAction.INCLUDE, date(2026, 3, 2))
    published = [PublicationFact(Platform.CREDIT_CHINA, PublicationAction.PUBLISHED, 1, at, "https://c/1")]
    states = {s.platform: s for s in platform_states(BlacklistStatus.LISTED, [include], published, date(2026, 3, 6), 5)}
    assert states[Platform.CREDIT_CHINA].shows_latest_decision and not states[Platform.CREDIT_CHINA].late
    assert states[Platform.NECIPS].due_on == date(2026, 3, 9) and not states[Platform.NECIPS].late
    late = {s.platform: s for s in platform_states(BlacklistStatus.LISTED, [include], published, date(2026, 3, 10), 5)}
    assert late[Platform.NECIPS].late and late[Platform.HRSS_PORTAL].late and not late[Platform.CREDIT_CHINA].late
    internal_fix = DecisionFact(2, DecisionAction.CORRECT, date(2026, 3, 3), frozenset({"clues"}))
    same = {s.platform: s for s in platform_states(BlacklistStatus.LISTED, [include, internal_fix], published, date(2026, 3, 4), 5)}
    assert same[Platform.CREDIT_CHINA].shows_latest_decision  # an internal correction needs no republication
    removal = DecisionFact(3, DecisionAction.REMOVE, date(2026, 4, 1))
    gone = {s.platform: s for s in platform_states(BlacklistStatus.REVOKED, [include, removal], published, date(2026, 4, 20), 5)}
    assert gone[Platform.CREDIT_CHINA].shows_removed_entry and gone[Platform.CREDIT_CHINA].late
    assert not gone[Platform.NECIPS].shows_removed_entry and not gone[Platform.NECIPS].late
    withdrawn = [*published, PublicationFact(Platform.CREDIT_CHINA, PublicationAction.WITHDRAWN, 3, at + timedelta(days=31), None)]
    done = {s.platform: s for s in platform_states(BlacklistStatus.REVOKED, [include, removal], withdrawn, date(2026, 4, 20), 5)}
    assert not done[Platform.CREDIT_CHINA].showing and not done[Platform.CREDIT_CHINA].late
