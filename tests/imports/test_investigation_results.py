"""``hub import investigation-results``: the banking regulator's findings as a file, validated
all-or-nothing with line-numbered errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.engine import unit_of_work
from hub.domains.monitoring import repository
from hub.domains.monitoring.models import Anomaly, AnomalyKind, Investigation, InvestigationStatus
from hub.domains.projects.models import Project
from hub.imports import ImportFailed, import_file
from tests.imports.conftest import WriteFile, count, enterprise, new_account, new_code

Sessions = async_sessionmaker[AsyncSession]
BANK = "中国建设银行"


@pytest.fixture
async def investigated(sessions: Sessions, write_file: WriteFile) -> dict[str, Any]:
    """Two projects, one in an investigation with its special account, one outside it."""
    gc = enterprise()
    await import_file(sessions, "enterprises", write_file("e.csv", [gc]))
    inside, outside = new_code(), new_code()
    await import_file(sessions, "projects", write_file("p.csv", [
        {"code": code, "name": "核查项目", "district_code": "510703",
         "general_contractor_uscc": gc["uscc"], "start_date": "2026-03-01", "workers": "20"}
        for code in (inside, outside)]))
    accounts = {code: new_account() for code in (inside, outside)}
    await import_file(sessions, "accounts", write_file("a.csv", [
        {"project_code": code, "kind": "SPECIAL", "bank_name": BANK, "account_number": number,
         "account_name": "专用账户", "opening_unit_uscc": gc["uscc"], "opened_on": "2026-03-05"}
        for code, number in accounts.items()]))
    reference = new_code("INV")
    async with unit_of_work(sessions, write=True) as s:
        project_id = (await s.scalars(select(Project.id).where(Project.code == inside))).one()
        await repository.add_investigation(s, Investigation(
            reference=reference, reason="抽查", status=InvestigationStatus.REQUESTED), [project_id])
    return {"reference": reference, "inside": inside, "outside": outside, "accounts": accounts}


def _finding(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {"investigation_reference": world["reference"], "project_code": world["inside"],
            "bank_name": BANK, "account_number": world["accounts"][world["inside"]],
            "kind": "opening_unit_not_general_contractor", "detail": "开户单位为劳务分包企业",
            "found_on": "2026-10-20"} | overrides


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
async def test_findings_are_recorded_and_the_investigation_starts(
    sessions: Sessions, write_file: WriteFile, investigated: dict[str, Any], fmt: str
) -> None:
    rows = [_finding(investigated),
            _finding(investigated, kind="ACCOUNT_NOT_MARKED", detail="未作专门标识"),
            _finding(investigated, kind="ACCOUNT_MISSING", bank_name=None, account_number=None,
                     detail="工资保证金账户未开立")]
    if fmt == "csv":
        rows = [{k: ("" if v is None else v) for k, v in r.items()} for r in rows]
    else:
        rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    result = await import_file(sessions, "investigation-results", write_file(f"r.{fmt}", rows))
    assert (result.inserted, result.updated) == (3, 1)
    async with sessions() as s:
        inv = (await s.scalars(select(Investigation).where(
            Investigation.reference == investigated["reference"]))).one()
        assert (inv.status, inv.version) == (InvestigationStatus.IN_PROGRESS, 2)
        found = (await s.execute(select(Anomaly.kind, Anomaly.account_id, Anomaly.district_code)
                                 .where(Anomaly.investigation_id == inv.id))).all()
    assert sorted(k.value for k, _, _ in found) == [
        "ACCOUNT_MISSING", "ACCOUNT_NOT_MARKED", "OPENING_UNIT_NOT_GENERAL_CONTRACTOR"]
    assert {d for _, _, d in found} == {"510703"}
    assert [a for k, a, _ in found if k is AnomalyKind.ACCOUNT_MISSING] == [None]


async def test_a_bad_file_writes_nothing_and_names_every_line(
    sessions: Sessions, write_file: WriteFile, investigated: dict[str, Any]
) -> None:
    await import_file(sessions, "investigation-results",
                      write_file("first.csv", [_finding(investigated)]))
    w = investigated
    rows = [
        _finding(w, kind="ACCOUNT_NOT_MARKED", detail="ok on its own"),              # line 2
        _finding(w, investigation_reference="INV-NOPE"),                              # 3
        _finding(w, project_code=w["outside"], account_number=w["accounts"][w["outside"]]),  # 4
        _finding(w, kind="DEPOSIT_SHORT", account_number=w["accounts"][w["outside"]]),  # 5
        _finding(w, kind="ACCOUNT_MISSING"),                                          # 6
        _finding(w),                                                                  # 7: in the hub
        _finding(w, kind="ABNORMAL_TRANSACTIONS", bank_name="", account_number=""),   # 8
        _finding(w, kind="ACCOUNT_NOT_MARKED", detail="again"),                       # 9: duplicate
    ]
    with pytest.raises(ImportFailed) as info:
        await import_file(sessions, "investigation-results", write_file("bad.csv", rows))
    errors = {(e.line, e.field) for e in info.value.errors}
    assert errors == {(3, "investigation_reference"), (4, "project_code"), (5, "account_number"),
                      (6, "account_number"), (7, "kind"), (8, "account_number"), (9, "kind")}
    assert "not one of" in str(next(e for e in info.value.errors if e.line == 4))
    assert await count(sessions, Anomaly.id, Anomaly.detail == "ok on its own") == 0
