from hub.db.engine import unit_of_work
from tests.support.factories import Factory
from tests.support.http import gql


async def test_enterprise_by_uscc_with_nested_credit_records(client, sessions) -> None:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        e = await f.enterprise()
        await f.credit_record(e)
        uscc = e.uscc
    body = await gql(client, """
      query($u: String!) { enterprise(uscc: $u) { uscc name legalRepresentative { name idNumber }
        creditRecords { totalCount edges { node { kind documentNumber } } } } }""", {"u": uscc})
    assert "errors" not in body, body
    ent = body["data"]["enterprise"]
    assert ent["uscc"] == uscc
    assert ent["creditRecords"]["totalCount"] == 1
