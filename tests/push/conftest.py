"""Helpers for the push tests: decisions made over HTTP, and what a subscriber may see."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type

from hub.db.engine import unit_of_work
from hub.policy.document import load_shipped_policy
from hub.policy.service import PolicyService
from hub.settings import Settings
from tests.domains.blacklist.conftest import Party, parties, today  # noqa: F401 - fixtures
from tests.support.factories import Factory

PROPOSE = """mutation Propose($input: ProposeBlacklistEntryInput!) {
  proposeBlacklistEntry(input: $input) { entry { id version } } }"""
DEFENCE = """mutation Defence($input: RecordDefenceInput!) { recordDefence(input: $input) { entry { id version } } }"""
INCLUDE = """mutation Include($input: IncludeInBlacklistInput!) { includeInBlacklist(input: $input) { entry { id version } } }"""
CORRECT = """mutation Correct($input: CorrectBlacklistEntryInput!) { correctBlacklistEntry(input: $input) { entry { id version } } }"""


@pytest.fixture(scope="session")
def policies() -> PolicyService:
    return PolicyService(Settings())


async def proposed_entry(client: Any, sessions: Any, hrss: Party, district: str = "510107") -> tuple[str, int, str]:
    """Propose a new unit over HTTP: (entry id, version, uscc)."""
    async with unit_of_work(sessions, write=True) as s:
        unit = await Factory(s).enterprise(district=district)
    data = await hrss.ok(client, PROPOSE, {"input": {
        "uscc": unit.uscc, "reason": "Owed 20 workers their wages", "legalBasis": "art. 5", "amountOwed": "500000.00",
        "workersAffected": 20, "issuingAuthority": "Sichuan HRSS", "clues": "secret clue", "internalNotes": "internal",
    }})
    entry = data["proposeBlacklistEntry"]["entry"]
    return entry["id"], entry["version"], unit.uscc


async def listed_entry(client: Any, sessions: Any, hrss: Party, district: str = "510107") -> tuple[str, int, str]:
    """Propose, hear and include a new unit over HTTP: (entry id, version, uscc)."""
    entry_id, version, uscc = await proposed_entry(client, sessions, hrss, district)
    entry = {"id": entry_id, "version": version}
    entry = (await hrss.ok(client, DEFENCE, {"input": {"entry": entry["id"], "version": entry["version"], "statement": "we object"}}))["recordDefence"]["entry"]
    entry = (await hrss.ok(client, INCLUDE, {"input": {"entry": entry["id"], "version": entry["version"], "documentNumber": "DOC-1"}}))["includeInBlacklist"]["entry"]
    return entry["id"], entry["version"], uscc


def visible_to(scopes: frozenset[str]) -> frozenset[str]:
    policy = PolicyService(Settings()).compile(load_shipped_policy())
    return policy.visible(scopes)


def coordinates(schema: GraphQLSchema, type_name: str, value: Any) -> set[str]:
    """Every ``Type.field`` a JSON result carries, read against the full graph."""
    found: set[str] = set()
    if value is None:
        return found
    if isinstance(value, list):
        for item in value:
            found |= coordinates(schema, type_name, item)
        return found
    gql_type = schema.get_type(type_name)
    assert isinstance(gql_type, GraphQLObjectType), type_name
    for key, sub in value.items():
        field = gql_type.fields[key]
        found.add(f"{type_name}.{key}")
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            found |= coordinates(schema, inner.name, sub)
    return found
