"""All SQL of the importer: look-ups by natural key (in chunks, so a 100,000-row file costs a
few hundred small queries) and bulk writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.db.types import utcnow
from hub.domains.credit.models import CreditRecord
from hub.domains.enterprises.models import Enterprise
from hub.domains.monitoring.models import Anomaly, Investigation, InvestigationProject
from hub.domains.persons.models import Person
from hub.domains.projects.models import Project
from hub.domains.wages.models import AccountTransaction, WageAccount

IN_CHUNK = 2000  # values per IN list: well under SQLite's and asyncpg's parameter limits
WRITE_CHUNK = 5000
T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


async def _select_in(session: AsyncSession, columns: Sequence[Any], column: Any,
                     values: Iterable[Any], *where: Any) -> list[Sequence[Any]]:
    rows: list[Sequence[Any]] = []
    for chunk in chunks(sorted(set(values)), IN_CHUNK):
        stmt = select(*columns).where(column.in_(chunk), *where)
        rows += (await session.execute(stmt)).all()
    return rows


async def enterprise_ids(session: AsyncSession, usccs: Iterable[str]) -> dict[str, int]:
    rows = await _select_in(session, (Enterprise.uscc, Enterprise.id), Enterprise.uscc, usccs)
    return {uscc: id_ for uscc, id_ in rows}


async def persons(session: AsyncSession, keys: Iterable[tuple[Any, str]]
                  ) -> dict[tuple[Any, str], tuple[int, str, str | None]]:
    """``(id_type, id_number) -> (id, name, phone)``; one ID type at a time, so that the
    look-up uses the unique index on ``(id_type, id_number)``."""
    by_type: dict[Any, set[str]] = {}
    for id_type, number in keys:
        by_type.setdefault(id_type, set()).add(number)
    found = {}
    for id_type, numbers in by_type.items():
        rows = await _select_in(session, (Person.id_number, Person.id, Person.name, Person.phone),
                                Person.id_number, numbers, Person.id_type == id_type)
        found.update({(id_type, n): (i, name, phone) for n, i, name, phone in rows})
    return found


async def projects(session: AsyncSession, codes: Iterable[str]) -> dict[str, tuple[int, str]]:
    """``code -> (id, district_code)``."""
    rows = await _select_in(session, (Project.code, Project.id, Project.district_code),
                            Project.code, codes)
    return {code: (id_, district) for code, id_, district in rows}


async def accounts(session: AsyncSession, keys: Iterable[tuple[str, str]]
                   ) -> dict[tuple[str, str], int]:
    """``(bank_name, account_number) -> id``, bank by bank (the unique index's order)."""
    by_bank: dict[str, set[str]] = {}
    for bank, number in keys:
        by_bank.setdefault(bank, set()).add(number)
    found = {}
    for bank, numbers in by_bank.items():
        rows = await _select_in(session, (WageAccount.account_number, WageAccount.id),
                                WageAccount.account_number, numbers,
                                WageAccount.bank_name == bank)
        found.update({(bank, n): i for n, i in rows})
    return found


async def account_projects(session: AsyncSession, keys: Iterable[tuple[str, str]]
                           ) -> dict[tuple[str, str], tuple[int, int]]:
    """``(bank_name, account_number) -> (id, project_id)``."""
    by_bank: dict[str, set[str]] = {}
    for bank, number in keys:
        by_bank.setdefault(bank, set()).add(number)
    found = {}
    for bank, numbers in by_bank.items():
        rows = await _select_in(session, (WageAccount.account_number, WageAccount.id,
                                          WageAccount.project_id),
                                WageAccount.account_number, numbers,
                                WageAccount.bank_name == bank)
        found.update({(bank, n): (i, p) for n, i, p in rows})
    return found


async def investigations(session: AsyncSession, references: Iterable[str]
                         ) -> dict[str, tuple[int, Any]]:
    """``reference -> (id, status)``."""
    rows = await _select_in(session, (Investigation.reference, Investigation.id,
                                      Investigation.status), Investigation.reference, references)
    return {ref: (i, status) for ref, i, status in rows}


async def investigation_projects(session: AsyncSession, investigation_ids: Iterable[int]
                                 ) -> set[tuple[int, int]]:
    rows = await _select_in(session, (InvestigationProject.investigation_id,
                                      InvestigationProject.project_id),
                            InvestigationProject.investigation_id, investigation_ids)
    return {(i, p) for i, p in rows}


async def finding_keys(session: AsyncSession, investigation_ids: Iterable[int]
                       ) -> set[tuple[int, int, int | None, Any]]:
    rows = await _select_in(session, (Anomaly.investigation_id, Anomaly.project_id,
                                      Anomaly.account_id, Anomaly.kind),
                            Anomaly.investigation_id, investigation_ids)
    return {(i, p, a, k) for i, p, a, k in rows}


async def credit_record_keys(session: AsyncSession, enterprise_ids_: Iterable[int]
                             ) -> set[tuple[int, Any, str]]:
    rows = await _select_in(session, (CreditRecord.enterprise_id, CreditRecord.kind,
                                      CreditRecord.document_number),
                            CreditRecord.enterprise_id, enterprise_ids_)
    return {tuple(r) for r in rows}  # type: ignore[misc]


async def transaction_keys(session: AsyncSession, references: Iterable[str],
                           account_ids: Iterable[int]) -> set[tuple[int, str]]:
    wanted = set(references)
    rows = await _select_in(session, (AccountTransaction.account_id,
                                      AccountTransaction.bank_reference),
                            AccountTransaction.account_id, account_ids)
    return {(a, r) for a, r in rows if r in wanted}


async def insert_rows(session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]],
                      advance: Any = None) -> None:
    """Bulk INSERT in chunks; ``advance(n)`` after each chunk."""
    for chunk in chunks(rows, WRITE_CHUNK):
        await session.execute(insert(model.__table__), list(chunk))
        if advance:
            advance(len(chunk))


async def update_rows(session: AsyncSession, model: Any, rows: Sequence[dict[str, Any]],
                      advance: Any = None) -> None:
    """Bulk UPDATE by id of the given columns, bumping the optimistic-lock version.

    Rows are grouped by the set of columns they change: one executemany per group.
    """
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    now: datetime = utcnow()
    for columns, group in groups.items():
        values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
        values["updated_at"] = now
        if "version" in table.c:
            values["version"] = table.c.version + 1
        stmt = update(table).where(table.c.id == bindparam("v_id")).values(values)
        for chunk in chunks(group, WRITE_CHUNK):
            await session.execute(stmt, [{f"v_{k}": v for k, v in r.items()} for r in chunk])
            if advance:
                advance(len(chunk))
