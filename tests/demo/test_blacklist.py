"""Every blacklist entry's decision history is consistent with its state and dates."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.demo import DEMO_TODAY, DemoSummary
from hub.demo.blacklist import add_months, add_years
from hub.demo.constants import CST
from hub.domains.blacklist.models import (
    BlacklistDecision,
    BlacklistEntry,
    BlacklistEntryPerson,
    BlacklistStatus,
    DecisionAction,
    PersonRole,
    Publication,
    PublicationAction,
)
from hub.domains.enterprises.models import Enterprise
from tests.demo.conftest import fetch

S, A = BlacklistStatus, DecisionAction
EXPECTED_ACTIONS = {
    S.NOTICE: [A.PROPOSE],
    S.DEFENCE_HEARD: [A.PROPOSE, A.RECORD_DEFENCE],
    S.LISTED: [A.PROPOSE, A.RECORD_DEFENCE, A.INCLUDE],
    S.EXPIRED: [A.PROPOSE, A.RECORD_DEFENCE, A.INCLUDE, A.REMOVE],
    S.REMOVED_EARLY: [A.PROPOSE, A.RECORD_DEFENCE, A.INCLUDE, A.REMOVE],
    S.REVOKED: [A.PROPOSE, A.RECORD_DEFENCE, A.INCLUDE, A.REMOVE],
}


async def test_histories_match_states_and_dates(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession], demo_usccs: frozenset[str]
) -> None:
    entries = [e for (e,) in await fetch(
        sessions, select(BlacklistEntry).join(Enterprise)
        .where(Enterprise.uscc.in_(demo_usccs)))]
    assert len(entries) == demo.rows["blacklist_entries"]
    decisions: dict[int, list[BlacklistDecision]] = defaultdict(list)
    for (d,) in await fetch(sessions, select(BlacklistDecision).order_by(BlacklistDecision.id)):
        decisions[d.entry_id].append(d)
    publications: dict[int, list[Publication]] = defaultdict(list)
    for (p,) in await fetch(sessions, select(Publication).order_by(Publication.id)):
        publications[p.entry_id].append(p)
    renewed = corrected = 0

    for e in entries:
        history = decisions[e.id]
        # The chain: each decision starts where the previous ended, in time order.
        assert history[0].action is A.PROPOSE and history[0].from_status is None
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status is before.to_status
            assert after.decided_at >= before.decided_at
        assert history[-1].to_status is e.status
        main = [d.action for d in history if d.action not in (A.RENEW, A.CORRECT)]
        assert main == EXPECTED_ACTIONS[e.status], e.id
        assert all(d.decided_at.date() <= DEMO_TODAY for d in history)
        assert history[0].decided_at.date() >= DEMO_TODAY.replace(year=2022, month=1, day=1)
        renewed += any(d.action is A.RENEW for d in history)
        corrected += any(d.action is A.CORRECT for d in history)

        if e.status is S.NOTICE:  # the defence period is still running
            assert e.defence_deadline > DEMO_TODAY
        if e.status in (S.NOTICE, S.DEFENCE_HEARD):
            assert e.included_on is e.expected_exit_on is e.decision_document_number is None
            assert not publications[e.id]
            continue
        include = next(d for d in history if d.action is A.INCLUDE)
        assert include.document_number == e.decision_document_number
        assert e.expected_exit_on == add_years(e.included_on, 3)
        renew = [d for d in history if d.action is A.RENEW]
        if renew:
            assert renew[-1].decided_at.astimezone(CST).date() == e.included_on
            assert renew[-1].changes["expected_exit_on"]["to"] == str(e.expected_exit_on)
        else:
            assert include.decided_at.astimezone(CST).date() == e.included_on
        if e.status is S.LISTED:
            assert e.expected_exit_on > DEMO_TODAY and e.removed_on is None
            continue
        remove = history[-1]
        assert remove.action is A.REMOVE
        assert remove.decided_at.astimezone(CST).date() == e.removed_on <= DEMO_TODAY
        assert e.removal_reason
        if e.status is S.EXPIRED:
            assert e.removed_on == e.expected_exit_on
        elif e.status is S.REMOVED_EARLY:
            assert e.included_on <= e.arrears_corrected_on
            assert add_months(e.arrears_corrected_on, 6) <= e.removed_on < e.expected_exit_on
            assert e.arrears_corrected_on <= e.credit_commitment_on <= e.removed_on
        # Withdrawn wherever it had been published, after the removal.
        published = {p.platform for p in publications[e.id]
                     if p.action is PublicationAction.PUBLISHED}
        withdrawn = {p.platform for p in publications[e.id]
                     if p.action is PublicationAction.WITHDRAWN}
        assert withdrawn == published
        assert all(p.decision_id == remove.id for p in publications[e.id]
                   if p.action is PublicationAction.WITHDRAWN)
    assert renewed and corrected
    listed_published = [e for e in entries if e.status is S.LISTED and publications[e.id]]
    assert listed_published


async def test_every_entry_names_the_legal_representative(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession], demo_usccs: frozenset[str]
) -> None:
    rows = await fetch(sessions, select(BlacklistEntry.id, Enterprise.legal_representative_id,
                                        BlacklistEntryPerson.person_id, BlacklistEntryPerson.role)
                       .join(Enterprise).join(BlacklistEntryPerson)
                       .where(Enterprise.uscc.in_(demo_usccs)))
    by_entry: dict[int, list[tuple[int, PersonRole]]] = defaultdict(list)
    legal = {}
    for entry, rep, person, role in rows:
        by_entry[entry].append((person, role))
        legal[entry] = rep
    assert len(by_entry) == demo.rows["blacklist_entries"]
    for entry, people in by_entry.items():
        assert (legal[entry], PersonRole.LEGAL_REPRESENTATIVE) in people
        assert 1 <= len(people) <= 3
    assert any(len(p) == 3 for p in by_entry.values())

