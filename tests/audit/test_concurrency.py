"""Several OS processes appending at once still make one gap-free chain."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.audit.integrity import verify_database
from hub.audit.models import AuditRecord
from tests.audit.conftest import AuditDb

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 3
APPENDS = 30


@pytest.mark.slow
async def test_concurrent_processes_make_one_gap_free_chain(
    audit_db: AuditDb, tmp_path: Path
) -> None:
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.audit._appender",
                audit_db.url,
                str(APPENDS),
                f"p{n}",
                str(tmp_path),
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    (tmp_path / "go").touch()  # all start appending together
    for worker in workers:
        _, stderr = worker.communicate(timeout=120)
        assert worker.returncode == 0, stderr
    async with audit_db.sessions() as session:
        rows = (await session.execute(select(AuditRecord.seq, AuditRecord.request_id))).all()
    seqs = sorted(seq for seq, _ in rows)
    by_seq = [rid.split("-")[0] for _, rid in sorted(rows)]
    switches = sum(a != b for a, b in zip(by_seq, by_seq[1:], strict=False))
    assert switches >= PROCESSES, "the workers did not overlap: the test proved nothing"
    assert seqs == list(range(1, PROCESSES * APPENDS + 1))
    assert {rid for _, rid in rows} == {
        f"p{n}-{i}" for n in range(PROCESSES) for i in range(APPENDS)
    }
    report = await verify_database(audit_db.engine)
    assert report.ok and report.records == PROCESSES * APPENDS, report.summary()
