"""import_file on a real database: good files of every kind in both formats, and every way a
file can be refused without writing anything."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.domains.credit.models import CreditRecord, CreditRecordKind, SourcePlatform
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.persons.models import Person
from hub.domains.projects.models import Project
from hub.domains.wages.models import AccountTransaction, ControlStatus, WageAccount
from hub.errors import InvalidInput
from hub.imports import ImportFailed, import_file
from tests.imports.conftest import (
    WriteFile,
    bad_uscc,
    count,
    enterprise,
    new_account,
    new_code,
    new_resident_id,
    new_uscc,
)

Sessions = async_sessionmaker[AsyncSession]
FORMATS = ["csv", "jsonl"]


async def _one(sessions: Sessions, stmt: Any) -> Any:
    async with sessions() as session:
        return (await session.execute(stmt)).scalar_one()


async def _failure(sessions: Sessions, kind: str, path: Path, **kw: Any) -> ImportFailed:
    with pytest.raises(ImportFailed) as info:
        await import_file(sessions, kind, path, **kw)
    return info.value


@pytest.fixture
async def world(sessions: Sessions, write_file: WriteFile) -> dict[str, str]:
    """Two enterprises, a project and its special account, imported the ordinary way."""
    gc, cu = enterprise(), enterprise()
    await import_file(sessions, "enterprises", write_file("e.csv", [gc, cu]))
    project = new_code()
    await import_file(sessions, "projects", write_file("p.csv", [{
        "code": project, "name": "绵阳测试项目", "district_code": "510703",
        "general_contractor_uscc": gc["uscc"], "construction_unit_uscc": cu["uscc"],
        "contract_value": "5000000", "start_date": "2026-03-01", "workers": "30"}]))
    account = new_account()
    await import_file(sessions, "accounts", write_file("a.csv", [{
        "project_code": project, "kind": "SPECIAL", "bank_name": "中国银行",
        "account_number": account, "account_name": "专用账户", "opening_unit_uscc": gc["uscc"],
        "opened_on": "2026-03-05", "special_mark": "true"}]))
    return {"gc": gc["uscc"], "cu": cu["uscc"], "project": project, "account": account}


@pytest.mark.parametrize("fmt", FORMATS)
async def test_enterprises(sessions: Sessions, write_file: WriteFile, fmt: str) -> None:
    rows = [enterprise(), enterprise(status="abnormal_operation", registered_capital="12.5")]
    result = await import_file(sessions, "enterprises", write_file(f"e.{fmt}", rows))
    assert (result.rows, result.inserted, result.updated) == (2, 2, 0)
    ent = await _one(sessions, select(Enterprise).where(Enterprise.uscc == rows[1]["uscc"]))
    assert ent.status is EnterpriseStatus.ABNORMAL_OPERATION
    assert ent.registered_capital == Decimal("12.50")
    rep = await _one(sessions, select(Person).where(Person.id == ent.legal_representative_id))
    assert (rep.name, rep.id_number) == ("张伟", rows[1]["legal_rep_id_number"])


async def test_enterprises_upsert_changes_only_given_columns(
    sessions: Sessions, write_file: WriteFile
) -> None:
    row = enterprise(status="REVOKED", address="四川省绵阳市涪城区城厢街道1号")
    await import_file(sessions, "enterprises", write_file("e.csv", [row]))
    again = {"uscc": row["uscc"], "name": "改名后的公司", "district_code": "510703"}
    result = await import_file(sessions, "enterprises", write_file("e2.jsonl", [again]))
    assert (result.inserted, result.updated) == (0, 1)
    ent = await _one(sessions, select(Enterprise).where(Enterprise.uscc == row["uscc"]))
    assert ent.name == "改名后的公司" and ent.version == 2
    assert ent.status is EnterpriseStatus.REVOKED and ent.address == row["address"]
    assert await count(sessions, Person.id, Person.id_number == row["legal_rep_id_number"]) == 1


@pytest.mark.parametrize("fmt", FORMATS)
async def test_credit_records(sessions: Sessions, write_file: WriteFile, world: dict[str, str],
                              fmt: str) -> None:
    rows = [{"enterprise_uscc": world["gc"], "kind": kind, "authority": "绵阳市市场监督管理局",
             "document_number": new_code("绵市监罚"), "decided_on": "2025-06-30",
             "summary": "罚款", "source_platform": "NECIPS"}
            for kind in ("ADMINISTRATIVE_PENALTY", "serious_dishonesty")]
    result = await import_file(sessions, "credit-records", write_file(f"c.{fmt}", rows))
    assert result.inserted == 2
    rec = await _one(sessions, select(CreditRecord).where(
        CreditRecord.document_number == rows[1]["document_number"]))
    assert rec.kind is CreditRecordKind.SERIOUS_DISHONESTY
    assert rec.source_platform is SourcePlatform.NECIPS
    assert rec.decided_on.isoformat() == "2025-06-30"


@pytest.mark.parametrize("fmt", FORMATS)
async def test_projects(sessions: Sessions, write_file: WriteFile, world: dict[str, str],
                        fmt: str) -> None:
    code = new_code()
    row = {"code": code, "name": "测试项目", "district_code": "510703",
           "general_contractor_uscc": world["gc"], "start_date": "2026-01-10", "workers": 12,
           "contract_value": "2999999.99", "pay_cycle": "weekly"}
    assert (await import_file(sessions, "projects", write_file(f"p.{fmt}", [row]))).inserted == 1
    project = await _one(sessions, select(Project).where(Project.code == code))
    assert project.contract_value == Decimal("2999999.99") and project.construction_unit_id is None


@pytest.mark.parametrize("fmt", FORMATS)
async def test_accounts(sessions: Sessions, write_file: WriteFile, world: dict[str, str],
                        fmt: str) -> None:
    number = new_account()
    row = {"project_code": world["project"], "kind": "DEPOSIT", "bank_name": "中国银行",
           "account_number": number, "account_name": "保证金账户",
           "opening_unit_uscc": world["cu"], "opened_on": "2026-03-02", "balance": "150000.00"}
    assert (await import_file(sessions, "accounts", write_file(f"a.{fmt}", [row]))).inserted == 1
    account = await _one(sessions, select(WageAccount).where(WageAccount.account_number == number))
    assert account.district_code == "510703" and account.balance == Decimal("150000.00")
    assert account.control_status is ControlStatus.NONE and not account.special_mark


@pytest.mark.parametrize("fmt", FORMATS)
async def test_transactions(sessions: Sessions, write_file: WriteFile, world: dict[str, str],
                            fmt: str) -> None:
    ref = new_code("T")
    rows = [{"bank_name": "中国银行", "account_number": world["account"], "bank_reference": ref,
             "direction": "in", "amount": "300000", "occurred_at": "2026-05-06T10:00:00+08:00",
             "counterparty_name": "测试公司", "counterparty_account": "11000000000000001",
             "summary": "人工费用拨付"},
            {"bank_name": "中国银行", "account_number": world["account"],
             "bank_reference": ref + "-2", "direction": "OUT", "amount": "5400.5",
             "occurred_at": "2026-05-15T06:00:00Z"}]
    assert (await import_file(sessions, "transactions",
                              write_file(f"t.{fmt}", rows))).inserted == 2
    first = await _one(sessions, select(AccountTransaction)
                       .where(AccountTransaction.bank_reference == ref))
    assert first.occurred_at == datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
    second = await _one(sessions, select(AccountTransaction.amount)
                        .where(AccountTransaction.bank_reference == ref + "-2"))
    assert second == Decimal("5400.50")


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_bad_row_names_line_and_field_and_nothing_is_written(
    sessions: Sessions, write_file: WriteFile, fmt: str
) -> None:
    rows = [enterprise(), enterprise(), enterprise(uscc=bad_uscc()), enterprise()]
    failure = await _failure(sessions, "enterprises", write_file(f"e.{fmt}", rows))
    line = 4 if fmt == "csv" else 3  # CSV line 1 is the header
    assert [(e.line, e.field) for e in failure.errors] == [(line, "uscc")]
    assert "check character" in failure.errors[0].reason
    for row in rows:
        assert await count(sessions, Enterprise.id, Enterprise.uscc == row["uscc"]) == 0
        assert await count(sessions, Person.id, Person.id_number == row["legal_rep_id_number"]) == 0


async def test_every_error_of_the_file_is_reported(sessions: Sessions,
                                                   write_file: WriteFile) -> None:
    rows = [enterprise(district_code="0123"), enterprise(name=""),
            enterprise(legal_rep_id_number="51070319800101001X"), enterprise(colour="red"),
            enterprise(registered_capital="-5"), enterprise(status="BANKRUPT")]
    failure = await _failure(sessions, "enterprises", write_file("e.jsonl", rows))
    assert [(e.line, e.field) for e in failure.errors] == [
        (1, "district_code"), (2, "name"), (3, "legal_rep_id_number"), (4, "colour"),
        (5, "registered_capital"), (6, "status")]
    assert failure.errors[3].reason == "unknown column"


async def test_errors_beyond_the_limit_are_counted(sessions: Sessions,
                                                   write_file: WriteFile) -> None:
    rows = [enterprise(uscc=bad_uscc()) for _ in range(15)]
    failure = await _failure(sessions, "enterprises", write_file("e.csv", rows), error_limit=10)
    assert (len(failure.errors), failure.total, failure.more) == (10, 15, 5)
    assert list(failure.lines())[-1] == "... and 5 more"


async def test_duplicate_key_in_the_file(sessions: Sessions, write_file: WriteFile,
                                         world: dict[str, str]) -> None:
    row = {"code": new_code(), "name": "重复", "district_code": "510703",
           "general_contractor_uscc": world["gc"], "start_date": "2026-01-10", "workers": "1"}
    failure = await _failure(sessions, "projects", write_file("p.csv", [row, row]))
    assert [(e.line, e.field) for e in failure.errors] == [(3, "code")]
    assert "duplicate of line 2" in failure.errors[0].reason
    assert await count(sessions, Project.id, Project.code == row["code"]) == 0


async def test_key_already_in_the_hub(sessions: Sessions, write_file: WriteFile,
                                      world: dict[str, str]) -> None:
    row = {"code": world["project"], "name": "又一次", "district_code": "510703",
           "general_contractor_uscc": world["gc"], "start_date": "2026-01-10", "workers": "1"}
    failure = await _failure(sessions, "projects", write_file("p.csv", [row]))
    assert [(e.line, e.field) for e in failure.errors] == [(2, "code")]
    assert "already in the hub" in failure.errors[0].reason


async def test_unknown_references(sessions: Sessions, write_file: WriteFile,
                                  world: dict[str, str]) -> None:
    stranger = new_uscc()
    credit = [{"enterprise_uscc": stranger, "kind": "ADMINISTRATIVE_PENALTY", "authority": "x",
               "document_number": "1", "decided_on": "2025-01-01", "summary": "x"}]
    failure = await _failure(sessions, "credit-records", write_file("c.csv", credit))
    assert [(e.line, e.field) for e in failure.errors] == [(2, "enterprise_uscc")]
    assert stranger in failure.errors[0].reason

    txn = [{"bank_name": "中国银行", "account_number": world["account"], "bank_reference": "a",
            "direction": "IN", "amount": "1", "occurred_at": "2026-05-06T10:00:00+08:00"},
           {"bank_name": "中国工商银行", "account_number": world["account"],
            "bank_reference": "b", "direction": "IN", "amount": "1",
            "occurred_at": "2026-05-06T10:00:00+08:00"}]
    failure = await _failure(sessions, "transactions", write_file("t.jsonl", txn))
    assert [(e.line, e.field) for e in failure.errors] == [(2, "account_number")]
    assert await count(sessions, AccountTransaction.id,
                       AccountTransaction.bank_reference == "a") == 0


@pytest.mark.parametrize(("amount", "ok"), [
    ("1234.5", True), ("1234", True), ("0.01", True), ("12.345", False), ("1e3", True),
    ("abc", False), ("-1.00", False),
])
async def test_money_as_text(sessions: Sessions, write_file: WriteFile, world: dict[str, str],
                             amount: str, ok: bool) -> None:
    row = {"bank_name": "中国银行", "account_number": world["account"],
           "bank_reference": new_code("M"), "direction": "IN", "amount": amount,
           "occurred_at": "2026-05-06T10:00:00+08:00"}
    path = write_file("t.csv", [row])
    if ok:
        await import_file(sessions, "transactions", path)
        stored = await _one(sessions, select(AccountTransaction.amount).where(
            AccountTransaction.bank_reference == row["bank_reference"]))
        assert stored == Decimal(amount).quantize(Decimal("0.01"))
    else:
        failure = await _failure(sessions, "transactions", path)
        assert [(e.line, e.field) for e in failure.errors] == [(2, "amount")]


async def test_json_numbers_are_read_exactly(sessions: Sessions, tmp_path: Path,
                                             world: dict[str, str]) -> None:
    def line(ref: str, amount: str) -> str:
        return (f'{{"bank_name": "中国银行", "account_number": "{world["account"]}", '
                f'"bank_reference": "{ref}", "direction": "OUT", "amount": {amount}, '
                f'"occurred_at": "2026-05-06T10:00:00+08:00"}}\n')

    good, bad = new_code("J"), new_code("J")
    path = tmp_path / "n.jsonl"
    path.write_text(line(good, "0.1") + line(bad, "19.999"), encoding="utf-8")
    failure = await _failure(sessions, "transactions", path)
    assert [(e.line, e.field) for e in failure.errors] == [(2, "amount")]
    assert "more than two decimal places" in failure.errors[0].reason
    path.write_text(line(good, "0.1"), encoding="utf-8")
    await import_file(sessions, "transactions", path)
    assert await _one(sessions, select(AccountTransaction.amount).where(
        AccountTransaction.bank_reference == good)) == Decimal("0.10")


@pytest.mark.parametrize(("value", "field"), [
    ("2026-05-06T10:00:00", "occurred_at"),  # no offset
    ("2026-05-06", "occurred_at"),
    ("yesterday", "occurred_at"),
])
async def test_datetimes_need_an_offset(sessions: Sessions, write_file: WriteFile,
                                        world: dict[str, str], value: str, field: str) -> None:
    row = {"bank_name": "中国银行", "account_number": world["account"], "bank_reference": "z",
           "direction": "IN", "amount": "1", "occurred_at": value}
    failure = await _failure(sessions, "transactions", write_file("t.csv", [row]))
    assert [(e.line, e.field) for e in failure.errors] == [(2, field)]


async def test_dates_are_iso(sessions: Sessions, write_file: WriteFile,
                             world: dict[str, str]) -> None:
    rows = [{"code": new_code(), "name": "x", "district_code": "510703",
             "general_contractor_uscc": world["gc"], "start_date": d, "workers": "1"}
            for d in ("2026/01/10", "2026-02-30", "10-01-2026")]
    failure = await _failure(sessions, "projects", write_file("p.csv", rows))
    assert [(e.line, e.field) for e in failure.errors] == [
        (2, "start_date"), (3, "start_date"), (4, "start_date")]


async def test_csv_header_is_checked(sessions: Sessions, write_file: WriteFile) -> None:
    rows = [{"uscc": new_uscc(), "nmae": "typo", "district_code": "510703"}]
    failure = await _failure(sessions, "enterprises", write_file("e.csv", rows))
    assert {(e.line, e.field) for e in failure.errors} == {(1, "nmae"), (1, "name")}


async def test_unreadable_lines(sessions: Sessions, tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text('{"uscc": \n[1, 2]\n', encoding="utf-8")
    failure = await _failure(sessions, "enterprises", path)
    assert [e.line for e in failure.errors] == [1, 2]
    csv_path = tmp_path / "e.csv"
    csv_path.write_text("uscc,name,district_code\na,b\n", encoding="utf-8")
    failure = await _failure(sessions, "enterprises", csv_path)
    assert "header has 3 columns" in failure.errors[0].reason


async def test_one_id_number_two_names(sessions: Sessions, write_file: WriteFile) -> None:
    person = new_resident_id()
    rows = [enterprise(legal_rep_id_number=person),
            enterprise(legal_rep_id_number=person, legal_rep_name="李娜")]
    failure = await _failure(sessions, "enterprises", write_file("e.csv", rows))
    assert [(e.line, e.field) for e in failure.errors] == [(3, "legal_rep_name")]


async def test_format_from_extension_or_option(sessions: Sessions, write_file: WriteFile) -> None:
    path = write_file("e.csv", [enterprise()])
    renamed = path.rename(path.with_suffix(".txt"))
    with pytest.raises(InvalidInput, match="format"):
        await import_file(sessions, "enterprises", renamed)
    assert (await import_file(sessions, "enterprises", renamed, fmt="csv")).inserted == 1
    with pytest.raises(InvalidInput, match="unknown import kind"):
        await import_file(sessions, "employers", renamed, fmt="csv")


async def test_progress_is_reported(sessions: Sessions, write_file: WriteFile) -> None:
    events: list[tuple[str, int]] = []

    class Recorder:
        def start(self, phase: str, total: int) -> None:
            events.append((phase, total))

        def advance(self, n: int) -> None:
            events.append(("advance", n))

    await import_file(sessions, "enterprises", write_file("e.csv", [enterprise(), enterprise()]),
                      progress=Recorder())
    assert events[0] == ("validating", 2) and ("writing", 2) in events
    assert sum(n for phase, n in events if phase == "advance") >= 4
