"""The five import kinds: what each checks against the database, and how it writes.

Each kind's :meth:`Kind.check` resolves the rows' references by natural key and reports
unknown references and keys already in the hub as row errors; :meth:`Kind.write` then writes
every row in bulk. Both run in the same transaction, so what was checked is what is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.credit.models import CreditRecord
from hub.domains.enterprises.models import Enterprise
from hub.domains.monitoring.models import Anomaly, AnomalyStatus, Investigation, InvestigationStatus
from hub.domains.persons.models import Person
from hub.domains.projects.models import Project
from hub.domains.wages.models import AccountTransaction, WageAccount
from hub.imports import repository as repo
from hub.imports.errors import ErrorCollector
from hub.imports.schemas import (
    AccountRow,
    CreditRecordRow,
    EnterpriseRow,
    ImportRow,
    InvestigationResultRow,
    ProjectRow,
    TransactionRow,
)

R = TypeVar("R", bound=ImportRow)
Advance = Callable[[int], None]


@dataclass(frozen=True)
class Parsed(Generic[R]):
    line: int
    row: R


class Kind(Generic[R]):
    name: ClassVar[str]
    schema: ClassVar[type[ImportRow]]

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[R]],
                    errors: ErrorCollector) -> None:
        """Report unknown references and keys already in the hub."""

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[R]],
                    advance: Advance) -> tuple[int, int]:
        """Write the rows; returns (inserted, updated)."""
        raise NotImplementedError


def _missing(errors: ErrorCollector, rows: Sequence[Parsed[Any]], field: str,
             found: dict[Any, Any], what: str) -> None:
    for p in rows:
        value = getattr(p.row, field)
        if value is not None and value not in found:
            errors.add(p.line, field, f"{what} {value} is not in the hub")


class EnterprisesKind(Kind[EnterpriseRow]):
    name = "enterprises"
    schema = EnterpriseRow
    _COLUMNS = ("uscc", "name", "status", "district_code", "address", "registered_capital",
                "contact_person", "contact_phone")

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[EnterpriseRow]],
                    errors: ErrorCollector) -> None:
        named: dict[tuple[Any, str], tuple[str | None, int]] = {}
        for p in rows:
            key = p.row.legal_rep_key
            if key is None:
                continue
            if key in named and named[key][0] != p.row.legal_rep_name:
                name, line = named[key]
                errors.add(p.line, "legal_rep_name",
                           f"ID number {key[1]} is given as {name} on line {line}")
            named.setdefault(key, (p.row.legal_rep_name, p.line))

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[EnterpriseRow]],
                    advance: Advance) -> tuple[int, int]:
        people = await self._persons(session, [p.row for p in rows])
        existing = await repo.enterprise_ids(session, (p.row.uscc for p in rows))
        new, changed = [], []
        for p in rows:
            row, given = p.row, p.row.model_fields_set
            values = {c: getattr(row, c) for c in self._COLUMNS}
            if row.legal_rep_key is not None:
                values["legal_representative_id"] = people[row.legal_rep_key]
            if row.uscc in existing:
                values = {c: v for c, v in values.items()
                          if c in given or c == "legal_representative_id"}
                changed.append(values | {"id": existing[row.uscc]})
            else:
                new.append(values)
        await repo.insert_rows(session, Enterprise, new, advance)
        await repo.update_rows(session, Enterprise, changed, advance)
        return len(new), len(changed)

    async def _persons(self, session: AsyncSession, rows: Sequence[EnterpriseRow]
                       ) -> dict[tuple[Any, str], int]:
        """Find or create every legal representative; returns their ids by key."""
        wanted = {r.legal_rep_key: r for r in rows if r.legal_rep_key is not None}
        found = await repo.persons(session, wanted)
        new, changed = [], []
        for key, r in wanted.items():
            if key not in found:
                new.append({"id_type": key[0], "id_number": key[1], "name": r.legal_rep_name,
                            "phone": r.legal_rep_phone})
                continue
            id_, name, phone = found[key]
            update = {"name": r.legal_rep_name} if r.legal_rep_name != name else {}
            if r.legal_rep_phone is not None and r.legal_rep_phone != phone:
                update["phone"] = r.legal_rep_phone
            if update:
                changed.append(update | {"id": id_})
        await repo.insert_rows(session, Person, new)
        await repo.update_rows(session, Person, changed)
        if new:
            found = await repo.persons(session, wanted)
        return {key: v[0] for key, v in found.items()}


class CreditRecordsKind(Kind[CreditRecordRow]):
    name = "credit-records"
    schema = CreditRecordRow

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[CreditRecordRow]],
                    errors: ErrorCollector) -> None:
        self.enterprises = await repo.enterprise_ids(session, (p.row.enterprise_uscc for p in rows))
        _missing(errors, rows, "enterprise_uscc", self.enterprises, "enterprise")
        taken = await repo.credit_record_keys(session, self.enterprises.values())
        for p in rows:
            ent = self.enterprises.get(p.row.enterprise_uscc)
            if (ent, p.row.kind, p.row.document_number) in taken:
                errors.add(p.line, "document_number",
                           f"{p.row.kind.value} record {p.row.document_number} of "
                           f"{p.row.enterprise_uscc} is already in the hub")

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[CreditRecordRow]],
                    advance: Advance) -> tuple[int, int]:
        values = [
            p.row.model_dump(exclude={"enterprise_uscc"})
            | {"enterprise_id": self.enterprises[p.row.enterprise_uscc]}
            for p in rows
        ]
        await repo.insert_rows(session, CreditRecord, values, advance)
        return len(values), 0


class ProjectsKind(Kind[ProjectRow]):
    name = "projects"
    schema = ProjectRow

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[ProjectRow]],
                    errors: ErrorCollector) -> None:
        usccs = {p.row.general_contractor_uscc for p in rows}
        usccs |= {p.row.construction_unit_uscc for p in rows if p.row.construction_unit_uscc}
        self.enterprises = await repo.enterprise_ids(session, usccs)
        _missing(errors, rows, "general_contractor_uscc", self.enterprises, "enterprise")
        _missing(errors, rows, "construction_unit_uscc", self.enterprises, "enterprise")
        taken = await repo.projects(session, (p.row.code for p in rows))
        for p in rows:
            if p.row.code in taken:
                errors.add(p.line, "code", f"project {p.row.code} is already in the hub")

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[ProjectRow]],
                    advance: Advance) -> tuple[int, int]:
        ents = self.enterprises
        values = [
            p.row.model_dump(exclude={"general_contractor_uscc", "construction_unit_uscc"})
            | {"general_contractor_id": ents[p.row.general_contractor_uscc],
               "construction_unit_id": ents.get(p.row.construction_unit_uscc or "")}
            for p in rows
        ]
        await repo.insert_rows(session, Project, values, advance)
        return len(values), 0


class AccountsKind(Kind[AccountRow]):
    name = "accounts"
    schema = AccountRow

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[AccountRow]],
                    errors: ErrorCollector) -> None:
        self.projects = await repo.projects(session, (p.row.project_code for p in rows))
        self.enterprises = await repo.enterprise_ids(session,
                                                     (p.row.opening_unit_uscc for p in rows))
        _missing(errors, rows, "project_code", self.projects, "project")
        _missing(errors, rows, "opening_unit_uscc", self.enterprises, "enterprise")
        taken = await repo.accounts(session, (p.row.key() for p in rows))
        for p in rows:
            if p.row.key() in taken:
                errors.add(p.line, "account_number",
                           f"account {p.row.account_number} at {p.row.bank_name} "
                           "is already in the hub")

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[AccountRow]],
                    advance: Advance) -> tuple[int, int]:
        values = []
        for p in rows:
            project_id, district = self.projects[p.row.project_code]
            values.append(
                p.row.model_dump(exclude={"project_code", "opening_unit_uscc", "control_status"})
                | {"project_id": project_id, "district_code": district,
                   "opening_unit_id": self.enterprises[p.row.opening_unit_uscc],
                   "control_status": p.row.effective_control}
            )
        await repo.insert_rows(session, WageAccount, values, advance)
        return len(values), 0


class TransactionsKind(Kind[TransactionRow]):
    name = "transactions"
    schema = TransactionRow

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[TransactionRow]],
                    errors: ErrorCollector) -> None:
        keys = {(p.row.bank_name, p.row.account_number) for p in rows}
        self.accounts = await repo.accounts(session, keys)
        for p in rows:
            if (p.row.bank_name, p.row.account_number) not in self.accounts:
                errors.add(p.line, "account_number",
                           f"account {p.row.account_number} at {p.row.bank_name} "
                           "is not in the hub")
        taken = await repo.transaction_keys(session, (p.row.bank_reference for p in rows),
                                            set(self.accounts.values()))
        for p in rows:
            account = self.accounts.get((p.row.bank_name, p.row.account_number))
            if (account, p.row.bank_reference) in taken:
                errors.add(p.line, "bank_reference",
                           f"record {p.row.bank_reference} of this account is already in the hub")

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[TransactionRow]],
                    advance: Advance) -> tuple[int, int]:
        values = [
            p.row.model_dump(exclude={"bank_name", "account_number"})
            | {"account_id": self.accounts[(p.row.bank_name, p.row.account_number)]}
            for p in rows
        ]
        await repo.insert_rows(session, AccountTransaction, values, advance)
        return len(values), 0


class InvestigationResultsKind(Kind[InvestigationResultRow]):
    name = "investigation-results"
    schema = InvestigationResultRow

    async def check(self, session: AsyncSession, rows: Sequence[Parsed[InvestigationResultRow]],
                    errors: ErrorCollector) -> None:
        self.investigations = await repo.investigations(
            session, (p.row.investigation_reference for p in rows))
        self.projects = await repo.projects(session, (p.row.project_code for p in rows))
        self.accounts = await repo.account_projects(
            session, (p.row.account_key for p in rows if p.row.account_key))
        ids = [i for i, _ in self.investigations.values()]
        members = await repo.investigation_projects(session, ids)
        taken = await repo.finding_keys(session, ids)
        for p in rows:
            row = p.row
            found = self.investigations.get(row.investigation_reference)
            if found is None:
                errors.add(p.line, "investigation_reference",
                           f"investigation {row.investigation_reference} is not in the hub")
                continue
            if found[1] is InvestigationStatus.COMPLETED:
                errors.add(p.line, "investigation_reference",
                           f"investigation {row.investigation_reference} is completed")
            project = self.projects.get(row.project_code)
            if project is None:
                errors.add(p.line, "project_code", f"project {row.project_code} is not in the hub")
                continue
            if (found[0], project[0]) not in members:
                errors.add(p.line, "project_code", f"project {row.project_code} is not one of "
                           f"investigation {row.investigation_reference}'s projects")
            account = self.accounts.get(row.account_key) if row.account_key else None
            if row.account_key and account is None:
                errors.add(p.line, "account_number",
                           f"account {row.account_number} at {row.bank_name} is not in the hub")
            elif account is not None and account[1] != project[0]:
                errors.add(p.line, "account_number",
                           f"account {row.account_number} is not one of project "
                           f"{row.project_code}'s accounts")
            key = (found[0], project[0], account[0] if account else None, row.kind)
            if key in taken:
                errors.add(p.line, "kind", f"this {row.kind.value} finding is already in the hub")

    async def write(self, session: AsyncSession, rows: Sequence[Parsed[InvestigationResultRow]],
                    advance: Advance) -> tuple[int, int]:
        values = []
        for p in rows:
            row = p.row
            project_id, district = self.projects[row.project_code]
            account = self.accounts.get(row.account_key) if row.account_key else None
            values.append({
                "project_id": project_id, "account_id": account[0] if account else None,
                "investigation_id": self.investigations[row.investigation_reference][0],
                "district_code": district, "kind": row.kind, "status": AnomalyStatus.OPEN,
                "detail": row.detail, "found_on": row.found_on, "recorded_by": "import",
            })
        await repo.insert_rows(session, Anomaly, values, advance)
        started = sorted({self.investigations[p.row.investigation_reference][0] for p in rows
                          if self.investigations[p.row.investigation_reference][1]
                          is InvestigationStatus.REQUESTED})
        await repo.update_rows(session, Investigation, [
            {"id": i, "status": InvestigationStatus.IN_PROGRESS} for i in started])
        return len(values), len(started)


KINDS: dict[str, type[Kind[Any]]] = {
    k.name: k
    for k in (EnterprisesKind, CreditRecordsKind, ProjectsKind, AccountsKind, TransactionsKind,
              InvestigationResultsKind)
}
