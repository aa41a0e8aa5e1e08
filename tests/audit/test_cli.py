"""``hub audit`` commands against a real database (sync tests: the CLI runs its own loop)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub.audit.store import append
from hub.console.main import app
from hub.settings import Settings, get_settings
from tests.audit.conftest import AuditDb, make_event


@pytest.fixture
def cli(audit_db: AuditDb, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("HUB_DATABASE_URL", audit_db.url)
    monkeypatch.setenv("HUB_AUDIT_CHECKPOINT_EVERY", "4")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _fill(db: AuditDb, settings: Settings, count: int) -> None:
    async def work() -> None:
        for i in range(count):
            await append(db.engine, make_event(i), settings=settings)
        await db.engine.dispose()  # the CLI's loop is another one

    asyncio.run(work())


def test_verify_export_and_checkpoint_commands(
    cli: CliRunner, audit_db: AuditDb, settings: Settings, tmp_path: Path
) -> None:
    _fill(audit_db, settings, 6)
    ok = cli.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "OK 6 records" in ok.output

    signed = cli.invoke(app, ["audit", "checkpoint"])
    assert signed.exit_code == 0 and "checkpoint at seq 6" in signed.output

    path = tmp_path / "out.jsonl"
    exported = cli.invoke(
        app, ["audit", "export", "--since", "2000-01-01", "--format", "jsonl", "-o", str(path)]
    )
    assert exported.exit_code == 0, exported.output
    assert sum(json.loads(line)["type"] == "record" for line in path.read_text().splitlines()) == 6
    as_csv = cli.invoke(app, ["audit", "export", "--format", "csv"])
    assert as_csv.exit_code == 0 and as_csv.stdout.startswith("seq,recorded_at,")

    asyncio.run(audit_db.tamper("UPDATE audit_records SET row_count = 99 WHERE seq = 3"))
    asyncio.run(audit_db.engine.dispose())
    broken = cli.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "RECORD_ALTERED at seq 3" in broken.output
    # Starting after the damage, from the checkpoint before seq 6, the rest verifies.
    later = cli.invoke(app, ["audit", "verify", "--from", "6"])
    assert later.exit_code == 0, later.output


def test_partitions_and_prune_dry_run(cli: CliRunner, audit_db: AuditDb) -> None:
    parts = cli.invoke(app, ["audit", "partitions", "--ahead", "3"])
    assert parts.exit_code == 0, parts.output
    expected = "created" if audit_db.postgres else "not partitioned"
    assert expected in parts.output or "all partitions exist" in parts.output
    dry = cli.invoke(app, ["audit", "prune"])
    assert dry.exit_code == 0 and "would remove records before" in dry.output
