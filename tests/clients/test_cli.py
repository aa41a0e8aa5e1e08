"""``hub client`` and ``hub keys`` through Typer's CliRunner, on the suite's database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from joserfc.jwk import ECKey
from typer.testing import CliRunner

from hub.auth.scopes import PROFILE_SCOPES, format_scopes
from hub.console.main import app
from hub.domains.departments.models import Profile
from hub.settings import get_settings
from tests.support.oauth import unique

runner = CliRunner()


@pytest.fixture
def cli(engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def hub(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_create_list_disable_rotate(cli: None) -> None:
    name = unique("cli")
    created = hub("client", "create", "--name", name, "--profile", "DISTRICT",
                  "--district", "330106", "--json")
    assert created["client_id"].startswith("district-")
    assert len(created["client_secret"]) >= 40
    assert created["scopes"] == format_scopes(PROFILE_SCOPES[Profile.DISTRICT]).split()
    assert created["districts"] == ["330106"]

    listed = {c["client_id"]: c for c in hub("client", "list", "--json")}
    assert listed[created["client_id"]]["name"] == name
    assert "client_secret" not in listed[created["client_id"]]

    rotated = hub("client", "rotate-secret", created["client_id"], "--json")
    assert rotated["client_secret"] != created["client_secret"]

    hub("client", "disable", created["client_id"])
    listed = {c["client_id"]: c for c in hub("client", "list", "--json")}
    assert listed[created["client_id"]]["disabled"] is True


def test_scopes_narrow_or_widen_within_the_vocabulary(cli: None) -> None:
    created = hub("client", "create", "--name", unique("cli"), "--profile", "BANK",
                  "--scopes", "wages:read audit:read", "--json")
    assert created["scopes"] == ["wages:read", "audit:read"]


@pytest.mark.parametrize("args, message", [
    (["--profile", "DISTRICT"], "at least one district"),
    (["--profile", "DISTRICT", "--district", "12345"], "division code"),
    (["--profile", "POLICE"], "unknown profile"),
    (["--profile", "HRSS", "--scopes", "root"], "unknown scope"),
])
def test_bad_input_is_refused(cli: None, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["client", "create", "--name", unique("cli"), *args, "--json"])
    assert result.exit_code == 2
    assert message in result.output


def test_set_jwks(cli: None, tmp_path: Path) -> None:
    created = hub("client", "create", "--name", unique("cli"), "--profile", "MSB", "--json")
    key = ECKey.generate_key("P-256", private=True, auto_kid=True)
    public, private = tmp_path / "pub.json", tmp_path / "priv.json"
    public.write_text(json.dumps({"keys": [key.as_dict(private=False)]}))
    private.write_text(json.dumps({"keys": [key.as_dict(private=True)]}))
    hub("client", "set-jwks", created["client_id"], "--jwks-file", str(public))
    listed = {c["client_id"]: c for c in hub("client", "list", "--json")}
    assert "private_key_jwt" in listed[created["client_id"]]["auth_methods"]
    refused = runner.invoke(app, ["client", "set-jwks", created["client_id"],
                                  "--jwks-file", str(private)])
    assert refused.exit_code == 2 and "private" in refused.output


def test_keys_rotate(cli: None) -> None:
    first = hub("keys", "rotate", "--json")
    second = hub("keys", "rotate", "--json")
    assert first["kid"] != second["kid"]
    keys = {k["kid"]: k for k in hub("keys", "list", "--json")}
    assert keys[second["kid"]]["retired_at"] is None
    assert keys[first["kid"]]["retired_at"] is not None
    assert keys[first["kid"]]["published_until"] > keys[first["kid"]]["retired_at"]
