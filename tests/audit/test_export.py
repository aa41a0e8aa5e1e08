"""Exports: JSON lines that verify on an auditor's machine without the hub's database code,
and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from hub.audit.export import export_csv, export_jsonl
from hub.audit.store import append
from hub.audit.verify import verify_export
from hub.db.types import utcnow
from hub.settings import Settings
from tests.audit.conftest import AuditDb, make_event

ROOT = Path(__file__).resolve().parents[2]

#: Runs ``python -m hub.audit.verify`` with SQLAlchemy and the hub's database code made
#: unimportable, then proves they were never loaded.
BLOCKED_RUN = """
import importlib.abc, runpy, sys
BLOCKED = ("sqlalchemy", "hub.db", "asyncpg", "aiosqlite", "alembic", "hub.settings")
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.startswith(BLOCKED):
            raise ImportError(f"blocked: {name}")
        return None
sys.meta_path.insert(0, Blocker())
sys.argv = ["hub.audit.verify", *sys.argv[1:]]
try:
    runpy.run_module("hub.audit.verify", run_name="__main__")
except SystemExit as exit:
    assert not [m for m in sys.modules if m.startswith(BLOCKED)], "database code was imported"
    raise
"""


async def _export(db: AuditDb, path: Path, **kwargs: object) -> int:
    with path.open("w", encoding="utf-8") as handle:
        return await export_jsonl(db.engine, handle, **kwargs)  # type: ignore[arg-type]


def _run_verifier(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCKED_RUN, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_jsonl_export_verifies_standalone_and_detects_edits(
    audit_db: AuditDb, settings: Settings, tmp_path: Path
) -> None:
    for i in range(7):
        await append(audit_db.engine, make_event(i), settings=settings)
    path = tmp_path / "export.jsonl"
    assert await _export(audit_db, path) == 7
    kinds = [json.loads(line)["type"] for line in path.read_text().splitlines()]
    assert kinds.count("record") == 7 and kinds.count("document") == 1 and "key" in kinds

    ok = _run_verifier(str(path))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK 7 records")

    # An auditor's copy edited by hand: record 3's client changed.
    lines = path.read_text().splitlines()
    edited = []
    for line in lines:
        item = json.loads(line)
        if item["type"] == "record" and item["seq"] == 3:
            item["client_id"] = "someone-else"
        edited.append(json.dumps(item))
    bad = tmp_path / "edited.jsonl"
    bad.write_text("\n".join(edited) + "\n")
    broken = _run_verifier(str(bad))
    assert broken.returncode == 1, broken.stderr
    assert "RECORD_ALTERED at seq 3" in broken.stdout

    # Records cut from the end of the file: the header's head still names seq 7.
    cut = tmp_path / "cut.jsonl"
    cut.write_text(
        "\n".join(line for line in lines if '"seq": 7,' not in line or '"record"' not in line)
        + "\n"
    )
    report = verify_export(cut)
    assert report.problem is not None and report.problem.code == "TAIL_CUT"


async def test_export_since_starts_at_a_signed_checkpoint(
    audit_db: AuditDb, settings: Settings, tmp_path: Path
) -> None:
    for i in range(6):
        await append(audit_db.engine, make_event(i), settings=settings)
    path = tmp_path / "recent.jsonl"
    # Nothing is newer than a minute from now: the export holds only the records after
    # the newest checkpoint (seq 5), and still verifies.
    assert await _export(audit_db, path, since=utcnow() + timedelta(minutes=1)) == 1
    header = json.loads(path.read_text().splitlines()[0])
    assert header["anchor"]["seq"] == 5 and header["head"]["seq"] == 6
    report = verify_export(path)
    assert report.ok and report.anchor_seq == 5, report.summary()


async def test_trusted_older_export_catches_a_rewritten_history(
    audit_db: AuditDb, settings: Settings, tmp_path: Path
) -> None:
    for i in range(6):
        await append(audit_db.engine, make_event(i), settings=settings)
    older = tmp_path / "older.jsonl"
    await _export(audit_db, older)
    # Someone with the database rewrites the whole history and deletes the checkpoints.
    from tests.audit.test_verify import _records, _rewrite

    records = await _records(audit_db)
    await _rewrite(audit_db, [{**records[0], "client_id": "ghost"}, *records[1:]])
    await audit_db.tamper("DELETE FROM audit_checkpoints")
    newer = tmp_path / "newer.jsonl"
    await _export(audit_db, newer)
    assert verify_export(newer).ok  # on its own the rewritten log is consistent...
    report = verify_export(newer, trusted=[older])  # ...but not with what auditors hold
    assert report.problem is not None and report.problem.code == "CHECKPOINT_MISMATCH"
    assert report.problem.seq == 1


async def test_csv_export_quotes_formula_like_cells(audit_db: AuditDb, settings: Settings) -> None:
    await append(audit_db.engine, make_event(user_agent="=HYPERLINK(1)"), settings=settings)
    out = io.StringIO()
    assert await export_csv(audit_db.engine, out) == 1
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["user_agent"] == "'=HYPERLINK(1)"
    assert rows[0]["fields_served"] == "Enterprise.name; Query.enterprise"
    assert rows[0]["seq"] == "1" and len(rows[0]["hash"]) == 64
