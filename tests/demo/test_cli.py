"""``hub demo`` on the session's database (already loaded: it prints the table, inserts 0)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from hub.console.main import app
from hub.demo import DemoSummary
from hub.settings import get_settings


@pytest.fixture
def configured(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_hub_demo_prints_the_summary(demo: DemoSummary, configured: None) -> None:
    result = CliRunner().invoke(app, ["demo"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "enterprises" in result.output and "2,100" in result.output
    assert "193 projects, 54 with problems" in result.output
    assert "0 rows inserted" in result.output
