"""``hub signals`` on the command line, and the scheduled job inside ``hub serve``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from hub.console.main import app
from hub.domains.monitoring.jobs import JOB_NAME, signals_job
from hub.jobs import leases
from hub.jobs.registry import scheduled_jobs
from hub.jobs.runner import run_once
from hub.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def configured(database_url: str, engine: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HUB_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_compute_and_rules_commands(configured: None) -> None:
    result = runner.invoke(app, ["signals", "compute", "--as-of", "2026-10-31"])
    assert result.exit_code == 0, result.output
    assert "signals as of 2026-10-31" in result.output
    rules = runner.invoke(app, ["signals", "rules"])
    assert rules.exit_code == 0 and "REFERRAL_OVERDUE" in rules.output


def test_a_bad_setting_is_a_clear_error(configured: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_SIGNALS_DISABLED", '["NO_SUCH_RULE"]')
    get_settings.cache_clear()
    result = runner.invoke(app, ["signals", "compute"])
    assert result.exit_code == 2 and "NO_SUCH_RULE" in result.stderr


async def test_the_job_is_scheduled_and_runs_once_per_lease(sessions) -> None:
    settings = Settings(signals_interval_seconds=60)
    assert JOB_NAME in [j.name for j in scheduled_jobs(settings)]
    job = signals_job(settings)
    outcome = await run_once(sessions, job)
    assert outcome is not None and outcome.startswith("signals as of")
    # While this worker holds the lease, no other worker runs the computation.
    assert await leases.acquire(sessions, JOB_NAME, "another-worker", job.interval) is False
