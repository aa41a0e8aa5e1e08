"""The loop closed over HTTP with real HRSS, BANK and DISTRICT tokens: HRSS shares projects
and accounts and asks for an investigation; the bank records findings and controls (and is
refused a control against art. 33); the signals are computed from the banks' records; HRSS
refers them; the district bureau verifies and disposes (and is refused another district's
referral); every party sees only its fields and rows, and every step is in the audit log."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from hub.audit import search
from hub.db.engine import unit_of_work
from hub.domains.monitoring import signals
from hub.domains.monitoring.models import Referral
from hub.domains.wages.models import AccountControl, ControlKind, FundsFor
from hub.imports import import_file
from hub.policy.sql import business_today
from hub.settings import Settings
from tests.support.factories import Factory
from tests.support.tokens import fetch_token, register

HERE, THERE = "110116", "110117"  # districts only this module writes to
TODAY = business_today("Asia/Shanghai")
MONTHS = [(2026, m) for m in range(5, 11)]
NO_SUCH_REFERRAL = base64.b64encode(b"Referral:987654321").decode()


class Party:
    def __init__(self, client: httpx.AsyncClient, client_id: str, token: str) -> None:
        self.client, self.client_id = client, client_id
        self.headers = {"Authorization": f"Bearer {token}"}

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        named = re.match(r"\s*(?:query|mutation)\s+(\w+)", query)
        response = await self.client.post("/graphql", headers=self.headers, json={
            "query": query, "variables": variables, "operationName": named[1] if named else None})
        return response.json()  # type: ignore[no-any-return]

    async def ok(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self(query, **variables)
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    async def refused(self, query: str, **variables: Any) -> dict[str, Any]:
        body = await self(query, **variables)
        assert body.get("errors"), body
        return body["errors"][0]  # type: ignore[no-any-return]


async def party(client: httpx.AsyncClient, sessions: Any, profile: str, districts: tuple[str, ...] = ()) -> Party:
    client_id, secret = await register(sessions, profile, districts)
    return Party(client, client_id, await fetch_token(client, client_id, secret))


REGISTER_PROJECT = """mutation RegisterProject($input: RegisterProjectInput!) {
  registerProject(input: $input) { id code districtCode version } }"""
REGISTER_ACCOUNT = """mutation RegisterAccount($input: RegisterWageAccountInput!) {
  registerWageAccount(input: $input) { id kind specialMark controlStatus version } }"""
REQUEST = """mutation RequestInvestigation($projects: [ID!]!, $reason: String!) {
  requestAccountInvestigation(projects: $projects, reason: $reason) { id reference status version } }"""
INVESTIGATION = """query Investigation($id: ID!) { node(id: $id) { ... on Investigation {
  status version projects { totalCount } findings { nodes { kind } } } } }"""
FINDING = """mutation RecordFinding($input: RecordAccountFindingInput!) {
  recordAccountFinding(input: $input) { id kind status version investigation { status } } }"""
CONTROL = """mutation PlaceControl($input: PlaceAccountControlInput!) {
  placeAccountControl(input: $input) { id kind state fundsFor version } }"""
ACCOUNT = """query Account($id: ID!) { node(id: $id) { ... on WageAccount {
  specialMark controlStatus version controls { id kind state liftNoticeReference version } } } }"""
LIFT = """mutation Lift($id: ID!, $version: Int!, $on: Date!) {
  liftAccountControl(id: $id, version: $version, liftedOn: $on) { state liftedOn } }"""
NOTICE = """mutation Notice($control: ID!, $version: Int!, $on: Date!) {
  notifyMarkLift(control: $control, version: $version, reference: "DX-LIFT-001", issuedOn: $on) {
    liftNoticeReference version } }"""
SIGNALS = """query Signals($filter: RiskSignalFilter) { riskSignals(filter: $filter, first: 100) {
  totalCount nodes { id kind severity status districtCode summary evidence firstSeenAt lastSeenAt
  project { code } } } }"""
REFER = """mutation Refer($input: ReferToDistrictInput!) {
  referToDistrict(input: $input) { id status districtCode deadline overdue version
    finding { status } signal { kind } project { code } } }"""
REFERRALS = """query Referrals($filter: ReferralFilter) { referrals(filter: $filter) {
  totalCount nodes { id status districtCode version } } }"""
VERIFY = """mutation Verify($input: ReferralVerificationInput!) {
  recordReferralVerification(input: $input) { status inspector visitedOn version } }"""
DISPOSE = """mutation Dispose($input: ReferralDisposalInput!) {
  recordReferralDisposal(input: $input) { status disposals closedAt version finding { status } } }"""
SUMMARY = """query Summary { referralSummary { districtCode open overdue closed total } }"""


def _transactions(path: Path, bank: str, special: str, cu: str, gc: str, *,
                  skip_pay: tuple[int, int] | None = None,
                  diverted: tuple[int, int] | None = None) -> Path:
    lines = ["bank_name,account_number,bank_reference,direction,amount,occurred_at,"
             "counterparty_name,counterparty_account,summary"]
    for y, m in MONTHS:
        lines.append(f"{bank},{special},{y}{m:02d}I,IN,30000,{y}-{m:02d}-05T10:00:00+08:00,{cu},"
                     f"11050000000000000001,人工费用拨付 {y}-{m:02d}")
        if (y, m) != skip_pay:
            for w in range(1, 4):
                lines.append(f"{bank},{special},{y}{m:02d}W{w},OUT,8000,{y}-{m:02d}-15T14:00:00+08:00,"
                             f"工人{w},62170000000000000{w:02d},代发工资 {y}-{m:02d}")
        if (y, m) == diverted:
            lines.append(f"{bank},{special},{y}{m:02d}X1,OUT,5000,{y}-{m:02d}-22T15:00:00+08:00,"
                         f"{gc},11050000000000000002,往来款")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
async def world(sessions: Any) -> dict[str, Any]:
    """Enterprises (registered elsewhere: not this issue's business)."""
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        return {"gc": await f.enterprise(HERE, name="Huairou General Contracting Co."),
                "cu": await f.enterprise(HERE, name="Huairou Developer Co."),
                "labour": await f.enterprise(HERE, name="Huairou Labour Services Co."),
                "gc2": await f.enterprise(THERE, name="Pinggu Builders Co.")}


async def test_the_loop_closes_over_http(client, sessions, world, tmp_path) -> None:
    hrss = await party(client, sessions, "HRSS")
    bank = await party(client, sessions, "BANK")
    huairou = await party(client, sessions, "DISTRICT", (HERE,))
    gc, cu, labour, gc2 = (world[k] for k in ("gc", "cu", "labour", "gc2"))

    # 1. HRSS shares projects and accounts.
    p1 = (await hrss.ok(REGISTER_PROJECT, input={
        "code": f"E2E-{gc.id}-1", "name": "Huairou school", "districtCode": HERE,
        "generalContractorUscc": gc.uscc, "constructionUnitUscc": cu.uscc,
        "contractValue": "5000000.00", "startDate": "2026-04-01", "workers": 3}))["registerProject"]
    p2 = (await hrss.ok(REGISTER_PROJECT, input={
        "code": f"E2E-{gc.id}-2", "name": "Pinggu depot", "districtCode": THERE,
        "generalContractorUscc": gc2.uscc, "contractValue": "1000000.00",
        "startDate": "2026-04-01", "workers": 3}))["registerProject"]
    again = await hrss.refused(REGISTER_PROJECT, input={
        "code": p1["code"], "name": "x", "districtCode": HERE, "generalContractorUscc": gc.uscc,
        "startDate": "2026-04-01", "workers": 1})
    assert again["extensions"]["code"] == "CONFLICT"
    bank_name = "Bank of Beijing"
    numbers = {k: f"6228{gc.id:06d}{i:06d}" for i, k in enumerate(("s1", "d1", "s2"))}
    s1 = (await hrss.ok(REGISTER_ACCOUNT, input={
        "project": p1["id"], "kind": "SPECIAL", "bankName": bank_name, "accountNumber": numbers["s1"],
        "accountName": "Huairou Labour Services wage special account",
        "openingUnitUscc": labour.uscc, "openedOn": "2026-04-20"}))["registerWageAccount"]
    await hrss.ok(REGISTER_ACCOUNT, input={
        "project": p1["id"], "kind": "DEPOSIT", "bankName": bank_name, "accountNumber": numbers["d1"],
        "accountName": "deposit", "openingUnitUscc": gc.uscc, "openedOn": "2026-04-20",
        "balance": "20000.00"})
    s2 = (await hrss.ok(REGISTER_ACCOUNT, input={
        "project": p2["id"], "kind": "SPECIAL", "bankName": bank_name, "accountNumber": numbers["s2"],
        "accountName": "Pinggu Builders wage special account", "openingUnitUscc": gc2.uscc,
        "openedOn": "2026-04-20"}))["registerWageAccount"]
    assert (s1["specialMark"], s1["controlStatus"]) == (False, "NONE")

    # The banks' in/out records come as files (the existing import).
    await import_file(sessions, "transactions", _transactions(
        tmp_path / "s1.csv", bank_name, numbers["s1"], cu.name, gc.name, skip_pay=(2026, 9),
        diverted=(2026, 8)))
    await import_file(sessions, "transactions", _transactions(
        tmp_path / "s2.csv", bank_name, numbers["s2"], gc2.name, gc2.name))

    # 2. HRSS asks the banking regulator to check them, and follows the status.
    inv = (await hrss.ok(REQUEST, projects=[p1["id"], p2["id"]],
                         reason="Huairou and Pinggu spot check"))["requestAccountInvestigation"]
    assert inv["status"] == "REQUESTED"

    # 3. The bank records findings and controls.
    assert (await bank.ok("{ investigations(filter: {status: REQUESTED}) { nodes { reference } } }")
            )["investigations"]["nodes"][-1]["reference"] == inv["reference"]
    f1 = (await bank.ok(FINDING, input={
        "investigation": inv["id"], "project": p1["id"], "account": s1["id"],
        "kind": "OPENING_UNIT_NOT_GENERAL_CONTRACTOR", "detail": "opened by a labour subcontractor",
        "foundOn": TODAY.isoformat()}))["recordAccountFinding"]
    assert f1["investigation"]["status"] == "IN_PROGRESS"
    f2 = (await bank.ok(FINDING, input={
        "investigation": inv["id"], "project": p2["id"], "account": s2["id"],
        "kind": "ACCOUNT_NOT_MARKED", "detail": "no special mark in the core system",
        "foundOn": TODAY.isoformat()}))["recordAccountFinding"]
    followed = (await hrss.ok(INVESTIGATION, id=inv["id"]))["node"]
    assert followed["status"] == "IN_PROGRESS" and followed["projects"]["totalCount"] == 2
    assert sorted(n["kind"] for n in followed["findings"]["nodes"]) == [
        "ACCOUNT_NOT_MARKED", "OPENING_UNIT_NOT_GENERAL_CONTRACTOR"]

    mark = (await bank.ok(CONTROL, input={
        "account": s1["id"], "version": s1["version"], "kind": "SPECIAL_MARK",
        "effectiveOn": TODAY.isoformat(), "authority": bank_name}))["placeAccountControl"]
    s1_now = (await bank.ok(ACCOUNT, id=s1["id"]))["node"]
    assert (s1_now["specialMark"], s1_now["controlStatus"]) == (True, "MARKED")
    stale = await bank.refused(CONTROL, input={
        "account": s1["id"], "version": s1["version"], "kind": "RESTRICTION",
        "effectiveOn": TODAY.isoformat(), "purpose": "wages only"})
    assert stale["extensions"]["code"] == "CONFLICT"
    # Art. 33: the funds go to the project's workers, or nowhere.
    art33 = await bank.refused(CONTROL, input={
        "account": s1["id"], "version": s1_now["version"], "kind": "FREEZE",
        "effectiveOn": TODAY.isoformat(), "fundsFor": "COURT_ENFORCEMENT",
        "purpose": "enforcement of a supplier's judgment"})
    assert art33["extensions"]["code"] == "FORBIDDEN"
    assert art33["extensions"]["rule"] == "ART_33" and "art. 33" in art33["message"]
    assert [c["kind"] for c in (await bank.ok(ACCOUNT, id=s1["id"]))["node"]["controls"]] == ["SPECIAL_MARK"]
    freeze = (await bank.ok(CONTROL, input={
        "account": s1["id"], "version": s1_now["version"], "kind": "FREEZE",
        "effectiveOn": TODAY.isoformat(), "fundsFor": "PROJECT_WORKERS",
        "purpose": "keep the wages for the workers until the district has verified"}))["placeAccountControl"]
    assert freeze["fundsFor"] == "PROJECT_WORKERS"
    s2_acc = (await bank.ok(ACCOUNT, id=s2["id"]))["node"]
    await bank.ok(CONTROL, input={"account": s2["id"], "version": s2_acc["version"],
                                  "kind": "SPECIAL_MARK", "effectiveOn": TODAY.isoformat()})
    no_notice = await bank.refused(LIFT, id=mark["id"], version=mark["version"], on=TODAY.isoformat())
    assert no_notice["extensions"]["code"] == "ILLEGAL_TRANSITION" and "notice" in no_notice["message"]
    done = (await bank.ok("""mutation Complete($id: ID!, $v: Int!) { completeInvestigation(id: $id, version: $v) {
        status completedAt } }""", id=inv["id"], v=followed["version"]))["completeInvestigation"]
    assert done["status"] == "COMPLETED"
    # The bank sees neither signals nor referrals: they are not in its schema.
    assert (await bank.refused(SIGNALS))["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (await bank.refused(REFERRALS))["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    # 4. The signals, computed from the data.
    async with unit_of_work(sessions, write=True) as s:
        computed = await signals.compute(s, Settings())
    assert computed.as_of <= dt.date(2026, 10, 31)
    found = (await hrss.ok(SIGNALS, filter={"districtCode": HERE}))["riskSignals"]["nodes"]
    by_kind = {n["kind"]: n for n in found if n["project"]["code"] == p1["code"]}
    assert {k: n["severity"] for k, n in by_kind.items()} == {
        "OPENING_UNIT_NOT_GENERAL_CONTRACTOR": "YELLOW", "ABNORMAL_TRANSACTIONS": "RED",
        "NO_WAGE_OUTFLOW": "RED", "DEPOSIT_SHORT": "YELLOW", "ACCOUNT_NOT_MARKED": "YELLOW"}
    assert by_kind["NO_WAGE_OUTFLOW"]["evidence"]["cycles"] == [{"cycle": "2026-09", "labourCostIn": True}]
    assert by_kind["ABNORMAL_TRANSACTIONS"]["evidence"]["records"][0]["summary"] == "往来款"
    assert by_kind["DEPOSIT_SHORT"]["evidence"]["required"] == "50000.00"
    assert not (await hrss.ok(SIGNALS, filter={"districtCode": THERE}))["riskSignals"]["nodes"]
    red = (await hrss.ok(SIGNALS, filter={"project": p1["id"], "severity": "RED"}))["riskSignals"]
    assert {n["kind"] for n in red["nodes"]} == {"ABNORMAL_TRANSACTIONS", "NO_WAGE_OUTFLOW"}
    on_project = await hrss.ok("""query($id: ID!) { node(id: $id) { ... on Project {
        riskSignals(filter: {kind: [NO_WAGE_OUTFLOW]}) { totalCount } } } }""", id=p1["id"])
    assert on_project["node"]["riskSignals"]["totalCount"] == 1

    # 5. HRSS refers a signal and a finding of each district.
    deadline = (TODAY + dt.timedelta(days=10)).isoformat()
    r1 = (await hrss.ok(REFER, input={"signal": by_kind["ABNORMAL_TRANSACTIONS"]["id"],
                                      "deadline": deadline, "instructions": "visit the site"}))["referToDistrict"]
    assert (r1["districtCode"], r1["status"], r1["signal"]["kind"]) == (HERE, "ASSIGNED", "ABNORMAL_TRANSACTIONS")
    r2 = (await hrss.ok(REFER, input={"finding": f1["id"], "version": f1["version"],
                                      "deadline": deadline}))["referToDistrict"]
    assert r2["finding"]["status"] == "REFERRED"
    twice = await hrss.refused(REFER, input={"finding": f1["id"], "version": f1["version"] + 1})
    assert twice["extensions"]["code"] == "ILLEGAL_TRANSITION"
    r3 = (await hrss.ok(REFER, input={"finding": f2["id"], "version": f2["version"]}))["referToDistrict"]
    assert r3["districtCode"] == THERE and r3["overdue"] is False

    # 6. The district bureau sees its own district only...
    mine = (await huairou.ok(REFERRALS))["referrals"]
    assert mine["totalCount"] == 2 and {n["id"] for n in mine["nodes"]} == {r1["id"], r2["id"]}
    assert {n["districtCode"] for n in (await huairou.ok(SIGNALS))["riskSignals"]["nodes"]} == {HERE}
    assert (await huairou.ok("query($id: ID!) { node(id: $id) { id } }", id=p2["id"]))["node"] is None
    assert (await huairou.ok("query($id: ID!) { node(id: $id) { id } }", id=r3["id"]))["node"] is None
    # ...and not the bank's balances, the records or the investigation.
    for hidden in ("{ wageAccounts { nodes { balance } } }", "{ investigations { totalCount } }",
                   "{ wageAccounts { nodes { transactions { totalCount } } } }"):
        assert (await huairou.refused(hidden))["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    # Out of district: another district's referral does not exist for it, and stays untouched.
    verification = {"inspector": "Wang Lei (grid 12)", "visitedOn": TODAY.isoformat(),
                    "findings": "payroll of September unpaid; 5,000 yuan paid to the contractor"}
    elsewhere = await huairou.refused(VERIFY, input={"id": r3["id"], "version": r3["version"], **verification})
    assert elsewhere["extensions"]["code"] == "NOT_FOUND"
    ghost = await huairou.refused(VERIFY, input={"id": NO_SUCH_REFERRAL, "version": 1, **verification})
    assert ghost["extensions"]["code"] == elsewhere["extensions"]["code"]
    assert ghost["message"] == elsewhere["message"]
    early = await huairou.refused(DISPOSE, input={"id": r1["id"], "version": r1["version"],
                                                  "disposals": ["WAGES_PAID"]})
    assert early["extensions"]["code"] == "ILLEGAL_TRANSITION"

    # 7. It verifies and disposes: the loop closes.
    v1 = (await huairou.ok(VERIFY, input={"id": r1["id"], "version": r1["version"], **verification}))
    assert v1["recordReferralVerification"]["status"] == "VERIFIED"
    c1 = (await huairou.ok(DISPOSE, input={
        "id": r1["id"], "version": v1["recordReferralVerification"]["version"],
        "disposals": ["WAGES_PAID", "CASE_FILED"], "note": "September wages paid on site"}))
    assert c1["recordReferralDisposal"]["status"] == "CLOSED"
    assert c1["recordReferralDisposal"]["disposals"] == ["WAGES_PAID", "CASE_FILED"]
    v2 = await huairou.ok(VERIFY, input={"id": r2["id"], "version": r2["version"], **verification})
    c2 = await huairou.ok(DISPOSE, input={
        "id": r2["id"], "version": v2["recordReferralVerification"]["version"],
        "disposals": ["SPECIAL_ACCOUNT_OPENED"]})
    assert c2["recordReferralDisposal"]["finding"]["status"] == "CLOSED"
    closed_again = await huairou.refused(DISPOSE, input={
        "id": r2["id"], "version": c2["recordReferralDisposal"]["version"], "disposals": ["OTHER"]})
    assert closed_again["extensions"]["code"] == "ILLEGAL_TRANSITION"

    # The special mark: lifted only on the district bureau's notice.
    controls = (await huairou.ok("""query($id: ID!) { node(id: $id) { ... on WageAccount {
        controls { id kind version } } } }""", id=s1["id"]))["node"]["controls"]
    mark_now = next(c for c in controls if c["kind"] == "SPECIAL_MARK")
    notice = (await huairou.ok(NOTICE, control=mark_now["id"], version=mark_now["version"],
                               on=TODAY.isoformat()))["notifyMarkLift"]
    lifted = (await bank.ok(LIFT, id=mark["id"], version=notice["version"], on=TODAY.isoformat()))
    assert lifted["liftAccountControl"]["state"] == "LIFTED"
    s1_end = (await bank.ok(ACCOUNT, id=s1["id"]))["node"]
    assert (s1_end["specialMark"], s1_end["controlStatus"]) == (False, "FROZEN")

    # 8. HRSS sees open, overdue and closed referrals per district; an overdue one raises a signal.
    async with unit_of_work(sessions, write=True) as s:  # time passes for Pinggu's referral
        await s.execute(update(Referral).where(Referral.district_code == THERE)
                        .values(deadline=TODAY - dt.timedelta(days=3)))
    summary = {r["districtCode"]: r for r in (await hrss.ok(SUMMARY))["referralSummary"]}
    assert summary[HERE] == {"districtCode": HERE, "open": 0, "overdue": 0, "closed": 2, "total": 2}
    assert summary[THERE] == {"districtCode": THERE, "open": 1, "overdue": 1, "closed": 0, "total": 1}
    late = (await hrss.ok(REFERRALS, filter={"overdue": True, "districtCode": THERE}))["referrals"]
    assert [n["id"] for n in late["nodes"]] == [r3["id"]]
    own = {r["districtCode"] for r in (await huairou.ok(SUMMARY))["referralSummary"]}
    assert own == {HERE}
    async with unit_of_work(sessions, write=True) as s:
        await signals.compute(s, Settings())
    overdue = (await hrss.ok(SIGNALS, filter={"kind": ["REFERRAL_OVERDUE"], "districtCode": THERE}))
    assert [n["project"]["code"] for n in overdue["riskSignals"]["nodes"]] == [p2["code"]]
    assert overdue["riskSignals"]["nodes"][0]["severity"] == "RED"

    # 9. Every step is in the audit log, under the client that took it.
    async with sessions() as s:
        for who, operations in ((hrss, {"RegisterProject", "RegisterAccount", "RequestInvestigation",
                                         "Refer", "Signals", "Summary"}),
                                (bank, {"RecordFinding", "PlaceControl", "Lift", "Complete"}),
                                (huairou, {"Verify", "Dispose", "Notice", "Referrals"})):
            page = await search(s, client_id=who.client_id, limit=500)
            names = {r.operation_name for r in page.items}
            assert operations <= names, operations - names
        refused = await search(s, client_id=bank.client_id, operation_name="PlaceControl", limit=50)
        assert any("FORBIDDEN" in r.error_codes for r in refused.items)
        out_of_district = await search(s, client_id=huairou.client_id, operation_name="Verify", limit=50)
        assert any("NOT_FOUND" in r.error_codes for r in out_of_district.items)
    async with sessions() as s:
        untouched = (await s.scalars(select(Referral).where(Referral.district_code == THERE))).one()
        assert untouched.inspector is None and untouched.status.value == "ASSIGNED"
        freezes = (await s.scalars(select(AccountControl.funds_for).where(
            AccountControl.district_code == HERE, AccountControl.kind == ControlKind.FREEZE))).all()
        assert freezes == [FundsFor.PROJECT_WORKERS]  # the refused one left nothing behind
