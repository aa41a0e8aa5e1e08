"""Introspection per profile, over HTTP with real tokens: what a profile may not see is not
in its schema at all: no field, no filter input that would reveal it, no type that only
carries it. The forbidden coordinates are written by hand from ``shared/brief/access.md``.
Each profile also lists coordinates it MUST see, so an empty schema cannot pass."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from hub.settings import Settings
from tests.support.http import gql
from tests.support.tokens import fetch_token, register

INTROSPECTION = """{ __schema { types { name kind fields { name } inputFields { name } } } }"""

#: Types only business data needs: none of them may exist for AUDITOR, ADMIN.
BUSINESS_TYPES = {
    "Enterprise", "Person", "CreditRecord", "BlacklistEntry", "BlacklistPerson", "BlacklistDecision", "Project",
    "WageAccount", "AccountTransaction", "Anomaly", "Node", "EnterpriseFilter", "BlacklistEntryFilter",
    "ProjectFilter", "WageAccountFilter", "CreditRecordFilter", "AccountTransactionFilter", "PageInfo",
}
WAGE_TYPES = {"Project", "WageAccount", "AccountTransaction", "Anomaly", "ProjectFilter", "WageAccountFilter",
              "AccountTransactionFilter", "ProjectConnection", "WageAccountConnection", "AnomalyConnection"}
INTERNAL_ENTRY = ["BlacklistEntry.internalNotes", "BlacklistEntry.clues", "BlacklistEntry.defenceDeadline",
                  "BlacklistEntry.defenceStatement"]
CONTACT = ["Enterprise.contactPerson", "Enterprise.contactPhone", "Person.phone"]

# profile -> (forbidden coordinates or types, required coordinates)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "PUBLIC": (
        ["Query.enterprise", "Query.enterprises", "Query.projects", "Query.wageAccounts", "Query.node",
         "Person.idNumber", "Person.idType", "Person.phone", "Enterprise.districtCode", "Enterprise.status",
         "Enterprise.registeredCapital", "Enterprise.contactPerson", "Enterprise.contactPhone",
         "Enterprise.creditRecords", "Enterprise.blacklistEntries", "Enterprise.projects", "Enterprise.wageAccounts",
         "BlacklistEntry.districtCode", "BlacklistEntry.removedOn", "BlacklistEntry.removalReason",
         "BlacklistEntry.persons", "BlacklistEntry.history", "BlacklistEntry.project", "BlacklistEntry.version",
         *INTERNAL_ENTRY, "BlacklistEntryFilter.districtCode",
         "CreditRecord", "BlacklistPerson", "BlacklistDecision", "EnterpriseFilter", "CreditRecordFilter", *WAGE_TYPES],
        ["Query.blacklistEntries", "BlacklistEntry.reason", "BlacklistEntry.amountOwed", "Enterprise.uscc",
         "Enterprise.legalRepresentative", "Person.name", "BlacklistEntryFilter.uscc", "BlacklistEntryFilter.status"],
    ),
    "HRSS": (
        [],
        ["Person.idNumber", "Person.phone", "WageAccount.accountNumber", "WageAccount.balance",
         "WageAccount.transactions", "AccountTransaction.counterpartyAccount", "WageAccountFilter.balance",
         "AccountTransactionFilter.amount", *INTERNAL_ENTRY, "BlacklistEntry.version", "Project.version",
         "Enterprise.creditRecords", "CreditRecordFilter.kind", "BlacklistEntryFilter.districtCode"],
    ),
    "DISTRICT": (
        ["WageAccount.balance", "WageAccount.transactions", "WageAccount.version", "WageAccountFilter.balance",
         "Project.version", "Enterprise.creditRecords", "BlacklistEntry.version", *INTERNAL_ENTRY,
         "AccountTransaction", "AccountTransactionFilter", "CreditRecord", "CreditRecordFilter"],
        ["WageAccount.accountNumber", "Person.idNumber", *CONTACT, "WageAccountFilter.districtCode",
         "WageAccountFilter.controlStatus", "Project.anomalies", "BlacklistEntry.project", "ProjectFilter.districtCode"],
    ),
    "DRC": (
        ["Query.projects", "Query.wageAccounts", "Enterprise.projects", "Enterprise.wageAccounts",
         "BlacklistEntry.project", "BlacklistEntry.version", *INTERNAL_ENTRY, *CONTACT, *WAGE_TYPES],
        ["Person.idNumber", "Enterprise.creditRecords", "CreditRecord.summary", "BlacklistEntry.history",
         "EnterpriseFilter.registeredCapital"],
    ),
    "BANK": (
        ["Enterprise.creditRecords", "CreditRecord", "CreditRecordFilter", *CONTACT, *INTERNAL_ENTRY,
         "BlacklistEntry.version", "Project.version"],
        ["WageAccount.accountNumber", "WageAccount.balance", "WageAccount.transactions",
         "AccountTransaction.counterpartyAccount", "WageAccountFilter.balance", "Person.idNumber",
         "WageAccount.version"],
    ),
    "AUDITOR": ([*BUSINESS_TYPES, "Query.enterprise", "Query.blacklistEntries", "Query.node"], ["Query.viewer", "Viewer.scopes"]),
    "ADMIN": ([*BUSINESS_TYPES, "Query.enterprise", "Query.blacklistEntries", "Query.node"], ["Query.viewer", "Viewer.scopes"]),
}
# MSB and BDC: the DRC's view (ID numbers masked, so still in the schema); MSB's wage
# account filter in particular is unreachable.
CASES["MSB"] = CASES["BDC"] = CASES["DRC"]


@pytest.fixture(scope="module")
async def headers(client: httpx.AsyncClient, sessions) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"PUBLIC": {}}
    for profile in CASES:
        if profile != "PUBLIC":
            client_id, secret = await register(sessions, profile, districts=("320102",) if profile == "DISTRICT" else ())
            out[profile] = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
    return out


def _coordinates(schema: dict[str, Any]) -> tuple[set[str], set[str]]:
    """(type names, Type.field coordinates incl. input fields) of an introspection result."""
    types, coordinates = set(), set()
    for t in schema["types"]:
        if t["name"].startswith("__"):
            continue
        types.add(t["name"])
        for f in (t["fields"] or []) + (t["inputFields"] or []):
            coordinates.add(f"{t['name']}.{f['name']}")
    return types, coordinates


@pytest.mark.parametrize("profile", list(CASES))
async def test_introspection_hides_what_the_profile_may_not_see(client, headers, profile: str) -> None:
    body = await gql(client, INTROSPECTION, headers=headers[profile])
    assert "errors" not in body, body
    types, coordinates = _coordinates(body["data"]["__schema"])
    forbidden, required = CASES[profile]
    leaked = [c for c in forbidden if c in (coordinates if "." in c else types)]
    assert leaked == [], f"{profile} schema shows {leaked}"
    missing = [c for c in required if c not in coordinates]
    assert missing == [], f"{profile} schema lacks {missing}"
    # a forbidden type is also unreachable by name
    for name in (c for c in forbidden if "." not in c):
        body = await gql(client, f'{{ __type(name: "{name}") {{ name }} }}', headers=headers[profile])
        assert body["data"]["__type"] is None, (profile, name)


async def test_msb_has_no_wage_account_filter_and_public_no_district_filter(client, headers) -> None:
    query = '{ w: __type(name: "WageAccountFilter") { name } b: __type(name: "BlacklistEntryFilter") { inputFields { name } } }'
    msb = (await gql(client, query, headers=headers["MSB"]))["data"]
    assert msb["w"] is None
    assert "districtCode" in {f["name"] for f in msb["b"]["inputFields"]}
    public = (await gql(client, query))["data"]
    assert public["w"] is None
    assert {f["name"] for f in public["b"]["inputFields"]} == {"uscc", "status", "includedOn", "expectedExitOn", "amountOwed"}
    district = (await gql(client, query, headers=headers["DISTRICT"]))["data"]
    assert district["w"] == {"name": "WageAccountFilter"}
    # using the filter field anyway is the same validation error as an unknown one
    body = await gql(client, '{ blacklistEntries(filter: {districtCode: "320102"}) { totalCount } }')
    assert "data" not in body and "Did you mean" not in body["errors"][0]["message"]
    body = await gql(client, "{ wageAccounts(filter: {balance: {min: \"1\"}}) { totalCount } }", headers=headers["DISTRICT"])
    assert "data" not in body and "balance" in body["errors"][0]["message"]
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_public_schema_has_no_id_or_account_number_anywhere(client) -> None:
    body = await gql(client, INTROSPECTION)
    _, coordinates = _coordinates(body["data"]["__schema"])
    names = {c.split(".")[1] for c in coordinates}
    assert not names & {"idNumber", "accountNumber", "counterpartyAccount", "phone", "contactPhone"}


async def test_business_free_profiles_have_only_the_viewer_and_their_own_tools(client, headers) -> None:
    expected = {"AUDITOR": ["viewer", "auditRecords", "subjectAccessReport", "auditVerification"], "ADMIN": ["viewer"]}
    for profile, fields in expected.items():
        body = await gql(client, '{ __type(name: "Query") { fields { name } } }', headers=headers[profile])
        assert [f["name"] for f in body["data"]["__type"]["fields"]] == fields


def test_every_single_scope_and_pair_of_scopes_gives_a_valid_schema() -> None:
    """A client may ask for any subset of its grant; each subset must build (an invalid
    schema would make every request of that token fail)."""
    from hub.auth.scopes import ALL_SCOPES
    from hub.policy.document import load_shipped_policy
    from hub.policy.service import PolicyService

    service = PolicyService(Settings(schema_cache_size=1))
    policy = service.compile(load_shipped_policy())
    with_fields = [s for s in ALL_SCOPES if policy.scope_fields.get(s)]
    for size in (1, 2):
        for scopes in itertools.combinations(with_fields, size):
            service.schema_for(policy, frozenset(scopes))  # raises on an invalid schema
