"""The generator is deterministic and produces valid identifiers (no database needed)."""

from __future__ import annotations

from hub.demo import DEMO_SEED, generate_demo
from hub.demo.rows import DemoData
from hub.domains import identifiers as ids


def _fingerprint(data: DemoData) -> tuple[object, ...]:
    return (
        data.counts(),
        [e["uscc"] for e in data.enterprises],
        [p["id_number"] for p in data.persons],
        [(t["account"], t["bank_reference"], t["amount"]) for t in data.transactions[::97]],
        [c.entry["status"] for c in data.blacklist],
    )


def test_same_seed_same_rows(demo_data: DemoData) -> None:
    assert _fingerprint(generate_demo(DEMO_SEED)) == _fingerprint(demo_data)


def test_another_seed_other_rows(demo_data: DemoData) -> None:
    assert _fingerprint(generate_demo(DEMO_SEED + 1))[1] != _fingerprint(demo_data)[1]


def test_every_generated_identifier_is_valid(demo_data: DemoData) -> None:
    for e in demo_data.enterprises:
        assert ids.validate_uscc(e["uscc"]) == e["uscc"]
        assert ids.validate_division_code(e["district_code"]) == e["district_code"]
    for p in demo_data.persons:
        assert ids.validate_resident_id(p["id_number"]) == p["id_number"]
    for a in demo_data.accounts:
        ids.validate_account_number(a["account_number"])
    for t in demo_data.transactions:
        ids.validate_account_number(t["counterparty_account"])
        ids.validate_money(t["amount"])
