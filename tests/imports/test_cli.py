"""``hub import`` through the command line, on the session's database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from hub.console.main import app
from hub.settings import get_settings
from tests.imports.conftest import WriteFile, bad_uscc, enterprise

runner = CliRunner()


@pytest.fixture
def configured(database_url: str, engine: object, monkeypatch: pytest.MonkeyPatch
               ) -> Iterator[None]:
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_good_file(configured: None, write_file: WriteFile) -> None:
    result = runner.invoke(app, ["import", "enterprises",
                                 str(write_file("e.jsonl", [enterprise(), enterprise()]))])
    assert result.exit_code == 0, result.output
    assert "imported 2 enterprises from e.jsonl: 2 inserted, 0 updated" in result.output


def test_bad_file_exits_non_zero_and_lists_errors(configured: None,
                                                  write_file: WriteFile) -> None:
    rows = [enterprise(), enterprise(uscc=bad_uscc()), enterprise(district_code="x")]
    result = runner.invoke(app, ["import", "enterprises", str(write_file("e.csv", rows)),
                                 "--max-errors", "1"])
    assert result.exit_code == 2
    assert "2 errors; nothing was imported" in result.stderr
    assert "line 3, field uscc: USCC check character" in result.stderr
    assert "... and 1 more" in result.stderr


def test_explicit_format(configured: None, write_file: WriteFile) -> None:
    path = write_file("e.csv", [enterprise()])
    path = path.rename(path.with_suffix(".data"))
    assert runner.invoke(app, ["import", "enterprises", str(path)]).exit_code == 2
    result = runner.invoke(app, ["import", "enterprises", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output


def test_columns_are_documented() -> None:
    result = runner.invoke(app, ["import", "columns", "transactions"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for column in ("bank_reference", "occurred_at", "counterparty_account"):
        assert column in result.output
    help_text = runner.invoke(app, ["import", "--help"], env={"COLUMNS": "200"}).output
    assert "credit-records" in help_text and "general_contractor_uscc*" in help_text
    kind_help = runner.invoke(app, ["import", "accounts", "--help"],
                              env={"COLUMNS": "200"}).output
    assert "opening_unit_uscc" in kind_help and "already in the hub is an error" in kind_help
    assert runner.invoke(app, ["import", "columns", "nope"]).exit_code == 2
