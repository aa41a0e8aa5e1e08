"""Writing the demo's rows into the database, idempotently, in one transaction.

Each row is inserted only when its natural key is not there yet, so running the demo twice
(or over a database that already holds part of it) duplicates nothing:

==========================  ===============================================================
table                       natural key
==========================  ===============================================================
departments                 ``code``
persons                     ``(id_type, id_number)``
enterprises                 ``uscc``
credit_records              ``(enterprise, kind, document_number)``
projects                    ``code``
wage_accounts               ``(bank_name, account_number)``
account_transactions        ``(account, bank_reference)``
account_controls            ``(account, kind)``
blacklist_entries           the enterprise: the demo gives an enterprise at most one entry,
                            and none to an enterprise that already has one; the entry's
                            persons, decisions, publications and measures come with it
investigations              ``reference`` (and its projects by ``(investigation, project)``)
anomalies                   ``(project, kind, investigation)``
==========================  ===============================================================

Rows are written with bulk ``INSERT``s of :data:`CHUNK` rows; ids are read back by natural
key. Nothing here commits: :func:`hub.db.engine.unit_of_work` does, once, at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.demo.constants import DEMO_SEED, DEMO_TODAY
from hub.demo.generator import generate_demo
from hub.demo.rows import DemoData, Row
from hub.domains.blacklist.models import (
    BlacklistDecision,
    BlacklistEntry,
    BlacklistEntryPerson,
    DisciplinaryMeasure,
    Publication,
)
from hub.domains.credit.models import CreditRecord
from hub.domains.departments.models import Department
from hub.domains.enterprises.models import Enterprise
from hub.domains.monitoring.models import Anomaly, Investigation, InvestigationProject
from hub.domains.persons.models import IdType, Person
from hub.domains.projects.models import Project
from hub.domains.wages.models import AccountControl, AccountTransaction, WageAccount

CHUNK = 2000
IN_CHUNK = 500
T = TypeVar("T")
Key = tuple[Any, ...]


@dataclass(frozen=True)
class DemoSummary:
    """What the demo holds (``rows``, per table) and what this run wrote (``inserted``)."""

    rows: dict[str, int]
    inserted: dict[str, int]
    seconds: float
    seed: int = DEMO_SEED
    today: str = DEMO_TODAY.isoformat()
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def total_inserted(self) -> int:
        return sum(self.inserted.values())


async def load_demo(
    sessions: async_sessionmaker[AsyncSession], data: DemoData | None = None
) -> DemoSummary:
    """Generate (unless given) and load the demo data set; returns the counts."""
    started = perf_counter()
    data = data if data is not None else generate_demo()
    async with unit_of_work(sessions, write=True) as session:
        inserted = await _Loader(session).load(data)
    return DemoSummary(
        rows=data.counts(),
        inserted=inserted,
        seconds=perf_counter() - started,
        extra={
            "pilot_projects": len(data.investigations[0]["projects"]) if data.investigations else 0,
            "problem_projects": len({a["project"] for a in data.anomalies}),
        },
    )


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _strip(row: Row, *refs: str) -> Row:
    return {k: v for k, v in row.items() if k not in refs}


class _Loader:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self.inserted: dict[str, int] = {}

    async def _ids(self, model: Any, key: tuple[str, ...], keys: Iterable[Key]) -> dict[Key, int]:
        """Ids of ``model`` rows by ``key``: grouped by the key's leading columns, the last
        one looked up with IN, so that composite unique indexes serve the look-up."""
        cols = [getattr(model, c) for c in key]
        groups: dict[Key, set[Any]] = defaultdict(set)
        for k in keys:
            groups[k[:-1]].add(k[-1])
        found: dict[Key, int] = {}
        for lead, values in groups.items():
            fixed = [c == v for c, v in zip(cols, lead, strict=False)]
            for chunk in _chunks(sorted(values), IN_CHUNK):
                result = await self.s.execute(
                    select(model.id, *cols).where(cols[-1].in_(chunk), *fixed))
                for id_, *k in result:
                    found[tuple(k)] = id_
        return found

    async def _keys(self, model: Any, key: tuple[str, ...], parent: str,
                    parent_ids: Iterable[int]) -> set[Key]:
        """The existing ``key`` tuples of ``model`` rows that belong to the given parents."""
        cols = [getattr(model, c) for c in key]
        found: set[Key] = set()
        for chunk in _chunks(sorted(set(parent_ids)), IN_CHUNK):
            result = await self.s.execute(select(*cols).where(getattr(model, parent).in_(chunk)))
            found.update(tuple(r) for r in result)
        return found

    async def _insert(self, name: str, model: Any, rows: Sequence[Row]) -> None:
        for chunk in _chunks(rows, CHUNK):
            await self.s.execute(insert(model), list(chunk))
        self.inserted[name] = self.inserted.get(name, 0) + len(rows)

    async def _by_key(self, name: str, model: Any, key: tuple[str, ...], rows: Sequence[Row],
                      convert: Any = None) -> dict[Key, int]:
        """Insert the rows whose key is new; return the ids of all of them by key."""
        keys = [tuple(r[k] for k in key) for r in rows]
        existing = await self._ids(model, key, keys)
        new = [r for r, k in zip(rows, keys, strict=True) if k not in existing]
        await self._insert(name, model, [convert(r) if convert else r for r in new])
        if not new:
            return existing
        return await self._ids(model, key, keys)

    async def load(self, data: DemoData) -> dict[str, int]:
        departments = await self._by_key("departments", Department, ("code",), data.departments)
        persons = await self._by_key("persons", Person, ("id_type", "id_number"), data.persons)

        def person(id_number: str) -> int:
            return persons[(IdType.RESIDENT_ID, id_number)]

        enterprises = await self._by_key(
            "enterprises", Enterprise, ("uscc",), data.enterprises,
            lambda r: _strip(r, "legal_representative")
            | {"legal_representative_id": person(r["legal_representative"])},
        )

        def ent(uscc: str) -> int:
            return enterprises[(uscc,)]

        await self._children(
            "credit_records", CreditRecord, ("enterprise_id", "kind", "document_number"),
            "enterprise_id",
            [_strip(r, "enterprise") | {"enterprise_id": ent(r["enterprise"])}
             for r in data.credit_records],
        )
        projects = await self._by_key(
            "projects", Project, ("code",), data.projects,
            lambda r: _strip(r, "construction_unit", "general_contractor")
            | {"construction_unit_id": ent(r["construction_unit"]),
               "general_contractor_id": ent(r["general_contractor"])},
        )
        accounts = await self._by_key(
            "wage_accounts", WageAccount, ("bank_name", "account_number"), data.accounts,
            lambda r: _strip(r, "project", "opening_unit")
            | {"project_id": projects[(r["project"],)], "opening_unit_id": ent(r["opening_unit"])},
        )
        await self._children(
            "account_transactions", AccountTransaction, ("account_id", "bank_reference"),
            "account_id",
            [_strip(r, "account") | {"account_id": accounts[r["account"]]}
             for r in data.transactions],
        )
        await self._children(
            "account_controls", AccountControl, ("account_id", "kind"), "account_id",
            [_strip(r, "account") | {"account_id": accounts[r["account"]]} for r in data.controls],
        )
        await self._blacklist(data, person, ent, departments)
        investigations = await self._by_key(
            "investigations", Investigation, ("reference",), data.investigations,
            lambda r: _strip(r, "projects"),
        )
        await self._children(
            "investigation_projects", InvestigationProject, ("investigation_id", "project_id"),
            "investigation_id",
            [{"investigation_id": investigations[(i["reference"],)],
              "project_id": projects[(code,)]}
             for i in data.investigations for code in i["projects"]],
        )
        await self._children(
            "anomalies", Anomaly, ("project_id", "kind", "investigation_id"), "investigation_id",
            [_strip(r, "project", "account", "investigation")
             | {"project_id": projects[(r["project"],)], "account_id": accounts[r["account"]],
                "investigation_id": investigations[(r["investigation"],)]}
             for r in data.anomalies],
        )
        return {name: self.inserted.get(name, 0) for name in data.counts()}

    async def _children(self, name: str, model: Any, key: tuple[str, ...], parent: str,
                        rows: list[Row]) -> None:
        existing = await self._keys(model, key, parent, (r[parent] for r in rows))
        await self._insert(name, model, [r for r in rows
                                         if tuple(r[k] for k in key) not in existing])

    async def _blacklist(self, data: DemoData, person: Any, ent: Any,
                         departments: dict[Key, int]) -> None:
        cases = {ent(c.entry["enterprise"]): c for c in data.blacklist}
        taken = await self._keys(BlacklistEntry, ("enterprise_id",), "enterprise_id", cases)
        new = {e: c for e, c in cases.items() if (e,) not in taken}
        await self._insert("blacklist_entries", BlacklistEntry, [
            _strip(c.entry, "enterprise") | {"enterprise_id": e} for e, c in new.items()
        ])
        entry_ids = {k[0]: v for k, v in (await self._ids(
            BlacklistEntry, ("enterprise_id",), [(e,) for e in new])).items()}
        persons, decisions = [], []
        for e, case in new.items():
            entry = entry_ids[e]
            persons += [{"entry_id": entry, "person_id": person(n), "role": role}
                        for n, role in case.persons]
            decisions += [d | {"entry_id": entry} for d in case.decisions]
        await self._insert("blacklist_entry_persons", BlacklistEntryPerson, persons)
        await self._insert("blacklist_decisions", BlacklistDecision, decisions)

        # Decisions of one entry were inserted in order: their ids sort the same way.
        by_entry: dict[int, list[int]] = defaultdict(list)
        for chunk in _chunks(sorted(entry_ids.values()), IN_CHUNK):
            result = await self.s.execute(
                select(BlacklistDecision.entry_id, BlacklistDecision.id)
                .where(BlacklistDecision.entry_id.in_(chunk))
                .order_by(BlacklistDecision.id)
            )
            for entry, decision in result:
                by_entry[entry].append(decision)
        publications, measures = [], []
        for e, case in new.items():
            entry = entry_ids[e]
            publications += [
                _strip(p, "decision") | {"entry_id": entry,
                                         "decision_id": by_entry[entry][p["decision"]]}
                for p in case.publications
            ]
            measures += [
                _strip(m, "department") | {"entry_id": entry,
                                           "department_id": departments[(m["department"],)]}
                for m in case.measures
            ]
        await self._insert("blacklist_publications", Publication, publications)
        await self._insert("disciplinary_measures", DisciplinaryMeasure, measures)
