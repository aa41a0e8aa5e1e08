"""Loading the demo: the counts the brief asks for, valid identifiers in the database, and a
second run that writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.models import metadata
from hub.demo import DemoSummary, load_demo
from hub.demo.rows import DemoData
from hub.domains import identifiers as ids
from hub.domains.blacklist.models import BlacklistStatus
from hub.domains.credit.models import CreditRecord, CreditRecordKind
from hub.domains.departments.models import Department, Profile
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.persons.models import Person
from hub.domains.wages.models import AccountTransaction, WageAccount
from tests.demo.conftest import fetch


async def _table_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    counts = {}
    async with sessions() as session:
        for table in metadata.sorted_tables:
            counts[table.name] = (await session.execute(
                select(func.count()).select_from(table))).scalar_one()
    return counts


async def test_counts(demo: DemoSummary, sessions: async_sessionmaker[AsyncSession],
                      demo_usccs: frozenset[str]) -> None:
    assert demo.rows["enterprises"] >= 2000
    assert demo.rows["blacklist_entries"] >= 100
    assert demo.extra == {"pilot_projects": 193, "problem_projects": 54}
    statuses = dict(await fetch(sessions, select(Enterprise.status, func.count())
                                .where(Enterprise.uscc.in_(demo_usccs))
                                .group_by(Enterprise.status)))
    assert sum(statuses.values()) == demo.rows["enterprises"]
    assert set(statuses) == set(EnterpriseStatus)
    kinds = {k for (k,) in await fetch(sessions, select(CreditRecord.kind).distinct())}
    assert kinds == set(CreditRecordKind)
    per_enterprise = await fetch(sessions, select(func.count()).select_from(CreditRecord)
                                 .group_by(CreditRecord.enterprise_id))
    assert max(n for (n,) in per_enterprise) <= 5
    profiles = {p for (p,) in await fetch(sessions, select(Department.profile))}
    assert profiles == set(Profile)
    assert {"DISTRICT-110115"} <= {c for (c,) in await fetch(sessions, select(Department.code))}


async def test_identifiers_in_the_database_are_valid(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession], demo_usccs: frozenset[str]
) -> None:
    rows = await fetch(sessions, select(Enterprise.uscc, Enterprise.district_code,
                                        Person.id_number)
                       .join(Person, Person.id == Enterprise.legal_representative_id)
                       .where(Enterprise.uscc.in_(demo_usccs)))
    assert len(rows) == demo.rows["enterprises"]  # every enterprise has a legal representative
    for uscc, district, id_number in rows:
        ids.validate_uscc(uscc)
        ids.validate_division_code(district)
        ids.validate_resident_id(id_number)
    for (number,) in await fetch(sessions, select(WageAccount.account_number)):
        ids.validate_account_number(number)
    for (number,) in await fetch(sessions, select(AccountTransaction.counterparty_account)
                                 .distinct()):
        ids.validate_account_number(number)


async def test_every_blacklist_state_is_present(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession]
) -> None:
    from hub.domains.blacklist.models import BlacklistEntry

    states = dict(await fetch(sessions, select(BlacklistEntry.status, func.count())
                              .group_by(BlacklistEntry.status)))
    assert set(states) == set(BlacklistStatus)
    assert sum(states.values()) >= 100


async def test_running_twice_duplicates_nothing(
    demo: DemoSummary, sessions: async_sessionmaker[AsyncSession], demo_data: DemoData
) -> None:
    before = await _table_counts(sessions)
    again = await load_demo(sessions, demo_data)
    assert again.total_inserted == 0
    assert again.rows == demo.rows
    assert await _table_counts(sessions) == before
