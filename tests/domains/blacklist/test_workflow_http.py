"""The whole life of one entry over HTTP with real tokens: proposed, heard, included,
published on three platforms, disciplined, corrected, renewed and removed. At each step each
department sees exactly what the policy lets it see, and every step is in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from hub.audit.models import AuditRecord
from hub.db.engine import unit_of_work
from hub.domains.blacklist.lifecycle import expected_exit
from hub.domains.identifiers import mask_identity
from tests.domains.blacklist.conftest import Parties, codes
from tests.support.factories import Factory, make_resident_id

DECISION = """entry { id version status defenceDeadline includedOn expectedExitOn }
  decision { action fromStatus toStatus documentNumber }"""

PROPOSE = f"""mutation Propose($input: ProposeBlacklistEntryInput!) {{
  proposeBlacklistEntry(input: $input) {{ {DECISION} }} }}"""
DEFENCE = f"""mutation Defence($input: RecordDefenceInput!) {{ recordDefence(input: $input) {{ {DECISION} }} }}"""
INCLUDE = f"""mutation Include($input: IncludeInBlacklistInput!) {{ includeInBlacklist(input: $input) {{ {DECISION} }} }}"""
CORRECT = f"""mutation Correct($input: CorrectBlacklistEntryInput!) {{ correctBlacklistEntry(input: $input) {{ {DECISION} }} }}"""
RENEW = f"""mutation Renew($input: RenewBlacklistEntryInput!) {{ renewBlacklistEntry(input: $input) {{ {DECISION} }} }}"""
REMOVE = f"""mutation Remove($input: RemoveFromBlacklistInput!) {{ removeFromBlacklist(input: $input) {{ {DECISION} }} }}"""
PUBLISH = """mutation Publish($input: RecordPublicationInput!) {
  recordPublication(input: $input) { publication { platform action decisionAction } } }"""
DISCIPLINE = """mutation Discipline($input: ReportDisciplinaryMeasureInput!) {
  reportDisciplinaryMeasure(input: $input) { measure { departmentCode area measure } } }"""

HRSS_VIEW = """query HrssView($id: ID!) { node(id: $id) { ... on BlacklistEntry {
  status version defenceDeadline defenceStatement clues amountOwed includedOn expectedExitOn
  persons { role person { name idNumber } }
  history { action fromStatus toStatus changes { field before after } }
  platforms { platform showing showsLatestDecision late showsRemovedEntry }
  disciplineSummary { measures departments { departmentCode measures } }
} } }"""
PUBLISHER_VIEW = """query PublisherView($id: ID!) { node(id: $id) { ... on BlacklistEntry {
  status amountOwed persons { person { idNumber } }
  history { action changes { field } }
  platforms { platform showing }
  disciplinaryMeasures { totalCount nodes { departmentCode } }
} } }"""
PUBLIC_VIEW = """query PublicView($uscc: String!) { blacklistEntries(filter: {uscc: $uscc}) {
  totalCount nodes { status reason enterprise { uscc name address legalRepresentative { name } } } } }"""


async def test_the_whole_life_of_an_entry(client, sessions, parties: Parties, today) -> None:
    hrss, drc, msb, bdc, district, public = (
        parties.hrss, parties.drc, parties.msb, parties.bdc, parties.district, parties.public
    )
    async with unit_of_work(sessions, write=True) as s:
        unit = await Factory(s).enterprise(district="510107", name="Chengdu Test Builders Co., Ltd.")
    manager_id = make_resident_id(4711)

    # -- propose: NOTICE, seen only with blacklist:read:internal ------------------------------
    data = await hrss.ok(client, PROPOSE, {"input": {
        "uscc": unit.uscc, "reason": "Owed 37 workers four months of wages on the Jinjiang site",
        "legalBasis": "Interim Measures art. 5(1)", "amountOwed": "1234567.80", "workersAffected": 37,
        "issuingAuthority": "Sichuan HRSS", "clues": "12345 hotline, 2026-10",
        "persons": [{"name": "Wang Qiang", "idNumber": manager_id, "role": "DIRECTLY_RESPONSIBLE"}],
    }})
    entry = data["proposeBlacklistEntry"]["entry"]
    entry_id, version = entry["id"], entry["version"]
    assert entry["status"] == "NOTICE" and entry["defenceDeadline"] > today.isoformat()
    for other in (drc, msb, bdc, district):
        assert (await other.ok(client, "query($id: ID!) { node(id: $id) { id } }", {"id": entry_id}))["node"] is None
    assert (await public.ok(client, PUBLIC_VIEW, {"uscc": unit.uscc}))["blacklistEntries"]["totalCount"] == 0

    # An inclusion before the defence or its deadline is refused, naming the state; nothing is written.
    body = await hrss.call(client, INCLUDE, {"input": {"entry": entry_id, "version": version, "documentNumber": "川人社失惩〔2026〕7号"}})
    assert codes(body) == ["ILLEGAL_TRANSITION"]
    assert body["errors"][0]["extensions"]["currentState"] == "NOTICE"
    assert "RECORD_DEFENCE" in body["errors"][0]["extensions"]["allowed"]

    # -- the defence: a stale version is a CONFLICT with nothing written --------------------------
    body = await hrss.call(client, DEFENCE, {"input": {"entry": entry_id, "version": version + 5, "statement": "x"}})
    assert codes(body) == ["CONFLICT"]
    data = await hrss.ok(client, DEFENCE, {"input": {"entry": entry_id, "version": version,
                                                     "statement": "The developer has not paid us"}})
    entry = data["recordDefence"]["entry"]
    assert entry["status"] == "DEFENCE_HEARD" and entry["version"] == version + 1
    version = entry["version"]
    assert (await drc.ok(client, "query($id: ID!) { node(id: $id) { id } }", {"id": entry_id}))["node"] is None

    # -- inclusion: LISTED for three years; now every department and the public see it ----------
    data = await hrss.ok(client, INCLUDE, {"input": {"entry": entry_id, "version": version, "documentNumber": "川人社失惩〔2026〕7号"}})
    entry = data["includeInBlacklist"]["entry"]
    assert entry["status"] == "LISTED" and entry["expectedExitOn"] == expected_exit(today).isoformat()
    version = entry["version"]

    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert seen["defenceStatement"] == "The developer has not paid us" and seen["clues"]
    assert [h["action"] for h in seen["history"]] == ["PROPOSE", "RECORD_DEFENCE", "INCLUDE"]
    assert {p["person"]["idNumber"] for p in seen["persons"]} >= {manager_id}
    assert {p["role"] for p in seen["persons"]} == {"LEGAL_REPRESENTATIVE", "DIRECTLY_RESPONSIBLE"}
    assert not any(p["showing"] for p in seen["platforms"])

    # DRC sees numbers in full (with a purpose), MSB masked, neither the internal fields.
    drc_seen = (await drc.ok(client, PUBLISHER_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert manager_id in {p["person"]["idNumber"] for p in drc_seen["persons"]}
    assert codes(await drc.call(client, PUBLISHER_VIEW, {"id": entry_id})) == ["PURPOSE_REQUIRED"]
    msb_seen = (await msb.ok(client, PUBLISHER_VIEW, {"id": entry_id}))["node"]
    assert mask_identity(manager_id) in {p["person"]["idNumber"] for p in msb_seen["persons"]}
    for hidden in ("clues", "defenceStatement", "disciplineSummary { measures }", "version"):
        body = await drc.call(client, f"query($id: ID!) {{ node(id: $id) {{ ... on BlacklistEntry {{ {hidden} }} }} }}", {"id": entry_id})
        assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"], hidden
    district_seen = (await district.ok(client, "query($id: ID!) { node(id: $id) { ... on BlacklistEntry { status } } }", {"id": entry_id}))
    assert district_seen["node"] == {"status": "LISTED"}
    pub = (await public.ok(client, PUBLIC_VIEW, {"uscc": unit.uscc}))["blacklistEntries"]
    assert pub["totalCount"] == 1 and pub["nodes"][0]["enterprise"]["name"] == "Chengdu Test Builders Co., Ltd."
    assert codes(await public.call(client, "{ blacklistEntries { nodes { persons { person { idNumber } } } } }")) == ["GRAPHQL_VALIDATION_FAILED"]

    # -- publication on three platforms, each by the department that runs it -------------------
    at = datetime.now(UTC).isoformat()
    for who, platform, url in ((hrss, "HRSS_PORTAL", "https://rst.sc.example.gov.cn/hmd/7"),
                               (drc, "CREDIT_CHINA", "https://credit.sc.example.gov.cn/hmd/7"),
                               (msb, "NECIPS", "https://gsxt.sc.example.gov.cn/hmd/7")):
        data = await who.ok(client, PUBLISH, {"input": {"entry": entry_id, "platform": platform, "action": "PUBLISHED", "url": url, "at": at}})
        assert data["recordPublication"]["publication"] == {"platform": platform, "action": "PUBLISHED", "decisionAction": "INCLUDE"}
    body = await bdc.call(client, PUBLISH, {"input": {"entry": entry_id, "platform": "NECIPS", "action": "PUBLISHED", "url": "https://x.example/1", "at": at}})
    assert codes(body) == ["FORBIDDEN"]
    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert all(p["showing"] and p["showsLatestDecision"] and not p["late"] for p in seen["platforms"])

    # -- joint discipline: each department writes and reads its own rows; HRSS sees them all -------
    for who, area, measure in ((drc, "BIDDING", "限制参与政府投资项目招标投标"), (msb, "MARKET_ACCESS", "列入重点监管"),
                               (bdc, "PUBLICITY", "在信用中国（四川）公示")):
        data = await who.ok(client, DISCIPLINE, {"input": {"entry": entry_id, "area": area, "measure": measure,
                                                           "takenOn": today.isoformat(), "effect": "已限制"}})
        assert data["reportDisciplinaryMeasure"]["measure"]["departmentCode"] == who.department
    drc_seen = (await drc.ok(client, PUBLISHER_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert [m["departmentCode"] for m in drc_seen["disciplinaryMeasures"]["nodes"]] == [drc.department]
    assert drc_seen["disciplinaryMeasures"]["totalCount"] == 1
    body = await hrss.call(client, DISCIPLINE, {"input": {"entry": entry_id, "area": "OTHER", "measure": "x", "takenOn": today.isoformat()}})
    assert set(codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}  # not in HRSS's schema at all
    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert seen["disciplineSummary"]["measures"] == 3
    assert {d["departmentCode"] for d in seen["disciplineSummary"]["departments"]} == {drc.department, msb.department, bdc.department}

    # -- correction: old values stay in the history; each sees only the changes it may see -------
    data = await hrss.ok(client, CORRECT, {"input": {"entry": entry_id, "version": version, "reason": "Payroll re-checked",
                                                     "corrections": {"amountOwed": "1200000.00", "clues": "12345 hotline and site visit"}}})
    version = data["correctBlacklistEntry"]["entry"]["version"]
    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    change = seen["history"][-1]
    assert change["action"] == "CORRECT"
    assert {c["field"]: (c["before"], c["after"]) for c in change["changes"]} == {
        "amountOwed": ("1234567.80", "1200000.00"), "clues": ("12345 hotline, 2026-10", "12345 hotline and site visit")}
    assert not any(p["showsLatestDecision"] for p in seen["platforms"])  # the correction is not published yet
    drc_seen = (await drc.ok(client, PUBLISHER_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert drc_seen["history"][-1]["changes"] == [{"field": "amountOwed"}]  # clues are internal

    # -- renewal and removal -------------------------------------------------------------------
    data = await hrss.ok(client, RENEW, {"input": {"entry": entry_id, "version": version, "documentNumber": "川人社延〔2026〕7号",
                                                   "reason": "arrears still unpaid"}})
    version = data["renewBlacklistEntry"]["entry"]["version"]
    body = await hrss.call(client, REMOVE, {"input": {"entry": entry_id, "version": version, "removal": "EARLY_REMOVAL", "reason": "paid"}})
    assert codes(body) == ["ILLEGAL_TRANSITION"]
    data = await hrss.ok(client, REMOVE, {"input": {"entry": entry_id, "version": version, "removal": "REVOKED",
                                                    "reason": "inclusion overturned on reconsideration", "documentNumber": "川人社撤〔2026〕7号"}})
    assert data["removeFromBlacklist"]["entry"]["status"] == "REVOKED"
    assert (await public.ok(client, PUBLIC_VIEW, {"uscc": unit.uscc}))["blacklistEntries"]["totalCount"] == 0
    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert [h["action"] for h in seen["history"]] == ["PROPOSE", "RECORD_DEFENCE", "INCLUDE", "CORRECT", "RENEW", "REMOVE"]
    assert all(p["showsRemovedEntry"] for p in seen["platforms"])  # the three platforms must withdraw it
    await drc.ok(client, PUBLISH, {"input": {"entry": entry_id, "platform": "CREDIT_CHINA", "action": "WITHDRAWN", "at": datetime.now(UTC).isoformat()}})
    seen = (await hrss.ok(client, HRSS_VIEW, {"id": entry_id}, purpose=True))["node"]
    assert {p["platform"]: p["showsRemovedEntry"] for p in seen["platforms"]} == {
        "HRSS_PORTAL": True, "CREDIT_CHINA": False, "NECIPS": True}
    body = await hrss.call(client, CORRECT, {"input": {"entry": entry_id, "version": data["removeFromBlacklist"]["entry"]["version"],
                                                       "reason": "x", "corrections": {"reason": "y"}}})
    assert codes(body) == ["ILLEGAL_TRANSITION"] and body["errors"][0]["extensions"]["allowed"] == []

    # -- every step is in the audit log, with its outcome --------------------------------------
    async with sessions() as s:
        rows = (await s.execute(select(AuditRecord).where(AuditRecord.client_id.in_(
            [hrss.client_id, drc.client_id, msb.client_id, bdc.client_id])).order_by(AuditRecord.seq))).scalars().all()
    steps = [(r.client_id, r.operation_name, r.outcome, tuple(r.error_codes)) for r in rows]

    def logged(who: Any, name: str, outcome: str = "OK", errors: tuple[str, ...] = ()) -> int:
        return sum(1 for step in steps if step == (who.client_id, name, outcome, errors))

    assert logged(hrss, "Propose") == 1
    assert logged(hrss, "Include", "REJECTED", ("ILLEGAL_TRANSITION",)) == 1
    assert logged(hrss, "Defence", "REJECTED", ("CONFLICT",)) == 1
    for name in ("Defence", "Include", "Correct", "Renew", "Remove"):
        assert logged(hrss, name) == 1, name
    assert logged(hrss, "Publish") == 1 and logged(drc, "Publish") == 2 and logged(msb, "Publish") == 1
    assert logged(bdc, "Publish", "FORBIDDEN", ("FORBIDDEN",)) == 1
    assert logged(drc, "Discipline") == logged(msb, "Discipline") == logged(bdc, "Discipline") == 1
    assert logged(drc, "PublisherView", "FORBIDDEN", ("PURPOSE_REQUIRED",)) == 1
    served = next(r for r in rows if r.client_id == msb.client_id and r.operation_name == "PublisherView")
    assert "Person.idNumber" in served.fields_masked and unit.uscc not in served.subjects_uscc
