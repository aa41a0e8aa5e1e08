"""Listings over HTTP: keyset pages, totals, filters, limits, global ids and statement counts."""

from __future__ import annotations

import pytest

from hub.db.engine import unit_of_work
from hub.domains.blacklist.models import BlacklistStatus
from tests.support.factories import Factory
from tests.support.http import gql, hub_client
from tests.support.sql import count_statements

DISTRICT = "110228"  # a district only this module writes to


@pytest.fixture(scope="module")
async def seeded(sessions) -> dict[str, object]:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        enterprises = [await f.enterprise(district=DISTRICT, name=f"Miyun Builder {i:03d}") for i in range(60)]
        for e in enterprises:
            for _ in range(3):
                await f.credit_record(e)
            await f.blacklist_entry(e, BlacklistStatus.LISTED if e.id % 2 else BlacklistStatus.NOTICE)
        project = await f.project(enterprises[0], district=DISTRICT)
        account = await f.account(project, enterprises[0])
        for i in range(7):
            await f.transaction(account, amount=f"{1000 + i}.00")
        return {"usccs": [e.uscc for e in enterprises], "project": project.code}


ENTERPRISES = """
query($after: String, $first: Int, $d: String) {
  enterprises(first: $first, after: $after, filter: {districtCode: $d}) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    edges { cursor node { id uscc name } }
  }
}"""


async def test_keyset_pages_walk_every_row_once_in_a_stable_order(client, hrss, seeded) -> None:
    seen, after = [], None
    while True:
        body = await gql(client, ENTERPRISES, {"after": after, "first": 25, "d": DISTRICT}, headers=hrss)
        conn = body["data"]["enterprises"]
        assert conn["totalCount"] == 60
        seen += [edge["node"]["uscc"] for edge in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == seeded["usccs"]


async def test_backward_pages_with_last_and_before(client, hrss, seeded) -> None:
    body = await gql(client, """query($d: String) { enterprises(last: 10, filter: {districtCode: $d}) {
        pageInfo { hasPreviousPage startCursor } edges { node { uscc } } } }""", {"d": DISTRICT}, headers=hrss)
    conn = body["data"]["enterprises"]
    assert [e["node"]["uscc"] for e in conn["edges"]] == seeded["usccs"][-10:]
    assert conn["pageInfo"]["hasPreviousPage"] is True


async def test_page_size_beyond_the_maximum_is_a_clear_error(client, hrss) -> None:
    body = await gql(client, "{ enterprises(first: 501) { totalCount } }", headers=hrss)
    err = body["errors"][0]
    assert err["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    assert "at most 500" in err["message"]


async def test_a_forged_cursor_is_refused(client, hrss) -> None:
    body = await gql(client, '{ enterprises(after: "bm9wZQ") { totalCount } }', headers=hrss)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_filters_name_prefix_status_dates_and_amounts(client, hrss, seeded) -> None:
    body = await gql(client, """{ enterprises(filter: {namePrefix: "Miyun Builder 05"}) { totalCount } }""", headers=hrss)
    assert body["data"]["enterprises"]["totalCount"] == 10
    body = await gql(client, """query($d: String) { blacklistEntries(filter: {districtCode: $d, status: [NOTICE],
        amountOwed: {min: "800000", max: "900000"}}) { totalCount edges { node { status } } } }""", {"d": DISTRICT}, headers=hrss)
    conn = body["data"]["blacklistEntries"]
    assert conn["totalCount"] == 30 and {e["node"]["status"] for e in conn["edges"]} == {"NOTICE"}
    dated = """query($d: String, $from: Date) { blacklistEntries(filter: {districtCode: $d, includedOn: {from: $from}}) { totalCount } }"""
    body = await gql(client, dated, {"d": DISTRICT, "from": "2026-01-01"}, headers=hrss)
    assert body["data"]["blacklistEntries"]["totalCount"] == 0
    body = await gql(client, dated, {"d": DISTRICT, "from": "2025-01-10"}, headers=hrss)
    assert body["data"]["blacklistEntries"]["totalCount"] == 30  # the listed half; notices have no inclusion date


async def test_an_invalid_uscc_in_a_filter_names_the_field(client, hrss) -> None:
    body = await gql(client, '{ enterprises(filter: {uscc: "91350200776049653B"}) { totalCount } }', headers=hrss)
    err = body["errors"][0]
    assert err["extensions"] == {"code": "INVALID_IDENTIFIER", "field": "filter.uscc"}
    assert "expected A" in err["message"]


async def test_node_fetches_any_object_by_global_id(client, hrss, seeded) -> None:
    body = await gql(client, """query($u: String!) { enterprise(uscc: $u) { id name } }""", {"u": seeded["usccs"][3]}, headers=hrss)
    ent = body["data"]["enterprise"]
    node = await gql(client, """query($id: ID!) { node(id: $id) { __typename ... on Enterprise { name } } }""", {"id": ent["id"]}, headers=hrss)
    assert node["data"]["node"] == {"__typename": "Enterprise", "name": ent["name"]}


async def test_account_transactions_filtered_by_amount(client, hrss, seeded) -> None:
    body = await gql(client, """query($c: String) { projects(filter: {code: $c}) { edges { node {
        accounts { edges { node { transactions(filter: {amount: {min: "1003"}}) { totalCount } } } } } } } }""",
        {"c": seeded["project"]}, headers=hrss)
    accounts = body["data"]["projects"]["edges"][0]["node"]["accounts"]["edges"]
    assert accounts[0]["node"]["transactions"]["totalCount"] == 4


NESTED = """
query($first: Int, $d: String) {
  blacklistEntries(first: $first, filter: {districtCode: $d}) {
    totalCount
    edges { node { status persons { role person { name } } history { action }
      enterprise { uscc name legalRepresentative { name }
        creditRecords(first: 10) { totalCount edges { node { kind documentNumber } } } } } }
  }
}"""


async def test_no_n_plus_one_a_page_of_50_costs_what_a_page_of_5_costs(client, hrss, engine, seeded) -> None:
    counts = {}
    for first in (5, 50):
        with count_statements(engine) as statements:
            body = await gql(client, NESTED, {"first": first, "d": DISTRICT}, headers=hrss)
        assert "errors" not in body, body
        assert len(body["data"]["blacklistEntries"]["edges"]) == first
        counts[first] = len(statements)
    assert counts[5] == counts[50], counts
    assert counts[50] <= 10, counts


async def test_bad_requests_get_coded_errors_not_stack_traces(client, hrss) -> None:
    r = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    r = await client.post("/graphql", content=b"query", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    body = await gql(client, "{ enterprises { edges { node { uscc } }", headers=hrss)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    body = await gql(client, "{ enterprises { edges { node { usc } } } }", headers=hrss)
    err = body["errors"][0]
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in err["message"]


async def test_batch_of_operations(client, hrss) -> None:
    r = await client.post("/graphql", headers=hrss, json=[{"query": "{ enterprises(first: 1) { totalCount } }"}, {"query": "{ projects(first: 1) { totalCount } }"}])
    body = r.json()
    assert isinstance(body, list) and len(body) == 2 and "data" in body[1]


async def test_graphiql_is_served_to_browsers_with_its_assets(client, hrss) -> None:
    r = await client.get("/graphql", headers={"accept": "text/html"})
    assert r.status_code == 200 and "graphiql.min.js" in r.text
    assert (await client.get("/static/graphiql/graphiql.min.js")).status_code == 200


async def test_health_and_readiness(client, hrss, database_url) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_readiness_fails_on_an_unmigrated_database(tmp_path) -> None:
    from tests.support.databases import fresh_database

    with fresh_database(tmp_path) as url:
        async with hub_client(url) as c:
            r = await c.get("/readyz")
    assert r.status_code == 503
    assert "hub db upgrade" in r.json()["reason"]
