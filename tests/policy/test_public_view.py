"""The public view over HTTP: published, unexpired entries only, public fields only, and a
hidden field is indistinguishable from one that never existed."""

from __future__ import annotations

import datetime as dt

import pytest

from hub.db.engine import unit_of_work
from hub.domains.blacklist.models import BlacklistStatus
from tests.support.factories import Factory
from tests.support.http import gql

DISTRICT = "510104"  # only this module writes entries here


@pytest.fixture(scope="module")
async def entries(sessions) -> dict[str, str]:
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        listed = await f.blacklist_entry(await f.enterprise(district=DISTRICT), BlacklistStatus.LISTED)
        notice = await f.blacklist_entry(await f.enterprise(district=DISTRICT), BlacklistStatus.NOTICE)
        lapsed = await f.blacklist_entry(await f.enterprise(district=DISTRICT), BlacklistStatus.LISTED)
        lapsed.expected_exit_on = dt.date(2020, 1, 1)
        removed = await f.blacklist_entry(await f.enterprise(district=DISTRICT), BlacklistStatus.REMOVED_EARLY)
        return {"listed": listed.reason, "ids": [listed.id, notice.id, lapsed.id, removed.id]}


PUBLIC_QUERY = """{ blacklistEntries(first: 500) { totalCount edges { node { status includedOn
    enterprise { uscc name address legalRepresentative { name } } } } } }"""


async def test_public_sees_only_listed_unexpired_entries_and_counts_agree(client, entries) -> None:
    body = await gql(client, PUBLIC_QUERY)
    assert "errors" not in body, body
    conn = body["data"]["blacklistEntries"]
    assert {e["node"]["status"] for e in conn["edges"]} == {"LISTED"}
    assert conn["totalCount"] == len(conn["edges"])
    assert all(e["node"]["enterprise"]["legalRepresentative"]["name"] for e in conn["edges"])


async def test_public_filters_cannot_reach_unpublished_states(client, entries) -> None:
    body = await gql(client, "{ blacklistEntries(filter: {status: [NOTICE, REMOVED_EARLY]}) { totalCount } }")
    assert body["data"]["blacklistEntries"]["totalCount"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "{ blacklistEntries { edges { node { enterprise { legalRepresentative { idNumber } } } } } }",
        "{ blacklistEntries { edges { node { internalNotes } } } }",
        "{ enterprises { totalCount } }",
        "{ blacklistEntries(filter: {districtCode: \"510104\"}) { totalCount } }",
    ],
)
async def test_hidden_fields_look_like_fields_that_never_existed(client, query) -> None:
    body = await gql(client, query)
    err = body["errors"][0]
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Did you mean" not in err["message"]
    assert "data" not in body


async def test_no_suggestions_for_arguments_enum_values_or_types(client) -> None:
    for query in (
        "{ blacklistEntries(firs: 1) { totalCount } }",
        "{ blacklistEntries(filter: {status: [LISTE]}) { totalCount } }",
        "{ blacklistEntries { edges { node { ... on Enterpris { name } } } } }",
        "query($f: BlacklistEntryFiltr) { blacklistEntries(filter: $f) { totalCount } }",
    ):
        body = await gql(client, query)
        assert body["errors"], query
        assert all("Did you mean" not in e["message"] for e in body["errors"]), body


async def test_public_introspection_shows_only_public_fields(client) -> None:
    body = await gql(client, '{ __type(name: "Person") { fields { name } } q: __type(name: "WageAccount") { name } }')
    assert [f["name"] for f in body["data"]["__type"]["fields"]] == ["id", "name"]
    assert body["data"]["q"] is None


async def test_public_viewer(client) -> None:
    body = await gql(client, "{ viewer { profile clientId scopes policyVersion } }")
    assert body["data"]["viewer"] == {"profile": "PUBLIC", "clientId": None, "scopes": [], "policyVersion": 1}
