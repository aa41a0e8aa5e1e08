"""All SQL of the blacklist domain: entries, their persons and decisions, publications and
joint-discipline measures. Row predicates (the caller's policy) are passed in, never built
here; nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select

from hub.db.serial import SerialSession
from hub.domains.blacklist.models import (
    BlacklistDecision,
    BlacklistEntry,
    BlacklistEntryPerson,
    BlacklistStatus,
    DisciplinaryMeasure,
    Publication,
)
from hub.domains.departments.models import Department
from hub.domains.persons.models import IdType, Person

Rows = Sequence[ColumnElement[bool]]
LIVE_STATUSES = (BlacklistStatus.NOTICE, BlacklistStatus.DEFENCE_HEARD, BlacklistStatus.LISTED)


async def entry(db: SerialSession, entry_id: int, rows: Sequence[ColumnElement[bool]] = ()) -> BlacklistEntry | None:
    """The entry, or None when it does not exist or the caller's row rules hide it."""
    stmt = select(BlacklistEntry).where(BlacklistEntry.id == entry_id, *rows)
    return (await db.scalars(stmt)).first()  # type: ignore[no-any-return]


async def live_entry_of(db: SerialSession, enterprise_id: int) -> BlacklistEntry | None:
    stmt = select(BlacklistEntry).where(
        BlacklistEntry.enterprise_id == enterprise_id, BlacklistEntry.status.in_(LIVE_STATUSES)
    )
    return (await db.scalars(stmt)).first()  # type: ignore[no-any-return]


async def person(db: SerialSession, id_type: IdType, id_number: str) -> Person | None:
    stmt = select(Person).where(Person.id_type == id_type, Person.id_number == id_number)
    return (await db.scalars(stmt)).first()  # type: ignore[no-any-return]


async def person_links(db: SerialSession, entry_id: int) -> list[BlacklistEntryPerson]:
    stmt = select(BlacklistEntryPerson).where(BlacklistEntryPerson.entry_id == entry_id)
    return list((await db.scalars(stmt)).all())


async def decisions(db: SerialSession, entry_id: int) -> list[BlacklistDecision]:
    stmt = select(BlacklistDecision).where(BlacklistDecision.entry_id == entry_id).order_by(BlacklistDecision.id)
    return list((await db.scalars(stmt)).all())


async def publications(db: SerialSession, entry_id: int) -> list[Publication]:
    stmt = select(Publication).where(Publication.entry_id == entry_id).order_by(Publication.id)
    return list((await db.scalars(stmt)).all())


async def department(db: SerialSession, code: str) -> Department | None:
    return (await db.scalars(select(Department).where(Department.code == code))).first()  # type: ignore[no-any-return]


async def due_for_expiry(db: SerialSession, today: date, limit: int) -> list[BlacklistEntry]:
    """LISTED entries whose three years are up on or before ``today``, oldest first."""
    stmt = (
        select(BlacklistEntry)
        .where(BlacklistEntry.status == BlacklistStatus.LISTED, BlacklistEntry.expected_exit_on <= today)
        .order_by(BlacklistEntry.id)
        .limit(limit)
    )
    return list((await db.scalars(stmt)).all())


async def measures_of(db: SerialSession, entry_id: int, rows: Rows = ()) -> list[DisciplinaryMeasure]:
    stmt = select(DisciplinaryMeasure).where(DisciplinaryMeasure.entry_id == entry_id, *rows)
    return list((await db.scalars(stmt)).all())


def measure_predicates(
    entry_id: int | None, department_code: str | None, area: Any
) -> list[ColumnElement[bool]]:
    preds: list[ColumnElement[bool]] = []
    if entry_id is not None:
        preds.append(DisciplinaryMeasure.entry_id == entry_id)
    if department_code is not None:
        preds.append(DisciplinaryMeasure.department_code == department_code)
    if area is not None:
        preds.append(DisciplinaryMeasure.area == area)
    return preds


async def add(db: SerialSession, *rows: Any) -> None:
    for row in rows:
        db.add(row)
    await db.flush()
