"""Auditors' search and subject access reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.audit import keys
from hub.audit.errors import AuditQueryInvalid
from hub.audit.event import Outcome
from hub.audit.repository import search, subject_access_report
from hub.audit.store import append, load_keyring
from hub.db.types import utcnow
from hub.settings import Settings
from tests.audit.conftest import AuditDb, make_event

USCC_A = "91110000600037341L"
USCC_B = "91310000MA1FL0QX7E"
PERSON = "11010519491231002X"


@pytest.fixture
async def log(audit_db: AuditDb, settings: Settings) -> AuditDb:
    await load_keyring(audit_db.engine, settings=settings)
    person = keys.person_hash(PERSON)
    events = [
        make_event(1, client_id="hrss-app", subjects_uscc=[USCC_A], purpose="case 1"),
        make_event(
            2,
            client_id="bank-app",
            profile="BANK",
            subjects_uscc=[USCC_B],
            fields_masked=["Person.idNumber"],
            subjects_person=[person],
            purpose="case 2",
        ),
        make_event(
            3,
            client_id="drc-app",
            profile="DRC",
            outcome=Outcome.FORBIDDEN,
            subjects_uscc=[],
            fields_served=[],
            fields_refused=["Enterprise.uscc"],
        ),
        make_event(
            4,
            client_id="hrss-app",
            operation_name="Persons",
            subjects_uscc=[USCC_A],
            subjects_person=[person],
            fields_served=["Person.idNumber"],
            purpose="case 4",
        ),
    ]
    for event in events:
        await append(audit_db.engine, event, settings=settings)
    return audit_db


async def test_search_filters(log: AuditDb, settings: Settings) -> None:
    async with log.sessions() as session:

        async def seqs(**filters: object) -> list[int]:
            page = await search(session, settings=settings, **filters)  # type: ignore[arg-type]
            return [r.seq for r in page.items]

        assert await seqs() == [4, 3, 2, 1]
        assert await seqs(client_id="hrss-app") == [4, 1]
        assert await seqs(profile="BANK") == [2]
        assert await seqs(operation_name="Persons") == [4]
        assert await seqs(outcome="FORBIDDEN") == [3]
        assert await seqs(field="Enterprise.uscc") == [3]  # refused
        assert await seqs(field="Person.idNumber") == [4, 2]  # served or masked
        assert await seqs(subject=USCC_A.lower()) == [4, 1]
        assert await seqs(subject=PERSON) == [4, 2]  # by keyed hash
        assert await seqs(subject="nobody") == []
        assert await seqs(since=utcnow() + timedelta(hours=1)) == []
        assert await seqs(until=utcnow() + timedelta(hours=1), client_id="drc-app") == [3]


async def test_search_pages_with_a_cursor(log: AuditDb, settings: Settings) -> None:
    async with log.sessions() as session:
        first = await search(session, limit=3, settings=settings)
        assert [r.seq for r in first.items] == [4, 3, 2] and first.next_cursor
        second = await search(session, limit=3, cursor=first.next_cursor, settings=settings)
        assert [r.seq for r in second.items] == [1] and second.next_cursor is None
        with pytest.raises(AuditQueryInvalid):
            await search(session, cursor="not-a-cursor", settings=settings)
        with pytest.raises(AuditQueryInvalid):
            await search(session, limit=10_000, settings=settings)


async def test_subject_access_report_says_who_saw_what_when_and_why(
    log: AuditDb, settings: Settings
) -> None:
    async with log.sessions() as session:
        report = await subject_access_report(session, PERSON, settings=settings)
        assert [(a.seq, a.client_id, a.purpose) for a in report] == [
            (2, "bank-app", "case 2"),
            (4, "hrss-app", "case 4"),
        ]
        assert report[0].fields_masked == ["Person.idNumber"]
        assert report[1].fields_served == ["Person.idNumber"]
        assert report[1].recorded_at.tzinfo is not None
        assert [a.seq for a in await subject_access_report(session, USCC_B, settings=settings)] == [
            2
        ]
        empty = await subject_access_report(
            session, USCC_A, since=utcnow() + timedelta(hours=1), settings=settings
        )
        assert empty == []
