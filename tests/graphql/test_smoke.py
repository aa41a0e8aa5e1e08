from hub.db.engine import unit_of_work
from tests.support.factories import Factory
from tests.support.http import gql

QUERY = """
  query($u: String!) { enterprise(uscc: $u) { uscc name legalRepresentative { name idNumber }
    creditRecords { totalCount edges { node { kind documentNumber } } } } }"""


async def test_enterprise_by_uscc_with_nested_credit_records(client, hrss, sessions) -> None:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        e = await f.enterprise()
        await f.credit_record(e)
        uscc = e.uscc
    refused = await gql(client, QUERY, {"u": uscc}, headers=hrss)
    assert refused["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"
    assert "X-Hub-Purpose" in refused["errors"][0]["message"] and "data" not in refused
    body = await gql(client, QUERY, {"u": uscc}, headers={**hrss, "X-Hub-Purpose": "case DX-2026-118: arrears check"})
    assert "errors" not in body, body
    ent = body["data"]["enterprise"]
    assert ent["uscc"] == uscc
    assert ent["legalRepresentative"]["idNumber"].startswith("110115") and "*" not in ent["legalRepresentative"]["idNumber"]
    assert ent["creditRecords"]["totalCount"] == 1
