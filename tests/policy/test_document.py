"""The shipped policy document: it parses, governs every field, and refuses mistakes."""

from __future__ import annotations

import pytest
from graphql import GraphQLInputObjectType

from hub.auth.caller import PUBLIC, Caller
from hub.errors import InvalidInput
from hub.graphql.inputs import REVEALS
from hub.policy.document import SHIPPED_POLICY, load_shipped_policy, parse_policy
from hub.policy.engine import Decision, ungoverned
from hub.policy.service import PolicyService
from hub.settings import Settings

RANGE_INPUTS = {"DateRange", "DateTimeRange", "MoneyRange"}


@pytest.fixture(scope="module")
def service() -> PolicyService:
    return PolicyService(Settings())


def test_every_field_of_the_graph_is_governed_by_the_shipped_policy(service) -> None:
    policy = service.compile(load_shipped_policy())
    missing = sorted(ungoverned(policy))
    assert not missing, f"fields no rule of schema/policy.yaml mentions (add them to a scope): {missing}"


def test_every_filter_field_names_the_output_field_it_reveals(service) -> None:
    # Filters (inputs named *Filter) can probe values, so each field is bound to what it
    # reveals. A mutation's input is governed by its `Mutation.name` coordinate instead.
    unbound = []
    for name, gql_type in service.full_schema._schema.type_map.items():
        if not isinstance(gql_type, GraphQLInputObjectType) or name in RANGE_INPUTS or not name.endswith("Filter"):
            continue
        definition = service.full_schema.get_type_by_name(name)
        for field in definition.fields:  # type: ignore[union-attr]
            if REVEALS not in field.metadata:
                unbound.append(f"{name}.{field.name}")
            else:
                assert set(field.metadata[REVEALS]) <= service.coordinates, field.metadata[REVEALS]
    assert not unbound, f"filter fields without `reveals(...)`: {unbound}"


def test_a_pattern_that_matches_nothing_is_refused(service) -> None:
    text = SHIPPED_POLICY.read_text().replace("Enterprise.creditRecords", "Enterprise.creditRecordz")
    with pytest.raises(InvalidInput, match="creditRecordz"):
        service.compile(parse_policy(text))


def test_an_unknown_scope_in_a_mask_is_refused() -> None:
    text = SHIPPED_POLICY.read_text().replace("unmasked_by: person:read:identity", "unmasked_by: person:read:everything")
    with pytest.raises(InvalidInput, match="unknown scope"):
        parse_policy(text)


def test_a_row_rule_on_a_missing_column_is_refused(service) -> None:
    text = SHIPPED_POLICY.read_text().replace("{field: districtCode, in: $caller.districts}", "{field: regionCode, in: $caller.districts}", 1)
    with pytest.raises(InvalidInput, match="regionCode"):
        service.compile(parse_policy(text))


def test_decisions_for_the_cells_that_matter(service) -> None:
    policy = service.compile(load_shipped_policy())
    msb = frozenset({"enterprise:read", "enterprise:write", "credit:read", "credit:write", "blacklist:read", "blacklist:publish", "discipline:report"})
    bank = frozenset({"enterprise:read", "blacklist:read", "wages:read", "wages:read:account", "wages:investigate"})
    assert policy.decide(msb, "WageAccount.accountNumber") is Decision.HIDDEN
    assert policy.decide(msb, "Person.idNumber") is Decision.MASKED
    assert policy.decide(bank, "WageAccount.accountNumber") is Decision.VISIBLE
    assert policy.decide(frozenset({"public"}), "Person.idNumber") is Decision.HIDDEN
    assert policy.decide(frozenset({"audit:read"}), "Query.enterprises") is Decision.HIDDEN


def test_row_rules_apply_by_caller(service) -> None:
    policy = service.compile(load_shipped_policy())
    district = Caller(profile="DISTRICT", scopes=frozenset({"wages:read"}), client_id="d", districts=frozenset({"110115"}))
    hrss = Caller(profile="HRSS", scopes=frozenset({"blacklist:read", "blacklist:read:internal"}), client_id="h")
    assert set(policy.row_rules(district)) == {
        "BlacklistEntry", "Project", "WageAccount", "Anomaly", "AccountControl", "RiskSignal", "Referral", "DisciplinaryMeasure",
    }
    assert set(policy.row_rules(hrss)) == {"DisciplinaryMeasure"}
    assert policy.row_rules(Caller(profile="HRSS", scopes=hrss.scopes | {"discipline:read"}, client_id="h")) == {}
    assert [r.applies.public for r in policy.row_rules(PUBLIC)["BlacklistEntry"]] == [None, True]


def test_the_document_round_trips_through_the_database_form() -> None:
    document = load_shipped_policy()
    again = type(document).model_validate(document.model_dump(mode="json", by_alias=True, exclude_none=True))
    assert again == document
