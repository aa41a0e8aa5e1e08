"""A worker process for the concurrency test:
``python -m tests.audit._appender URL N TAG BARRIER_DIR``. It signals ``ready-TAG`` and waits
for ``go`` so that all workers append at the same time."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from hub.audit.store import append
from hub.db.engine import create_engine
from hub.settings import Settings
from tests.audit.conftest import make_event


async def main(url: str, count: int, tag: str, barrier: Path) -> None:
    engine = create_engine(url)
    settings = Settings(audit_checkpoint_every=7, audit_checkpoint_interval_seconds=3600)
    (barrier / f"ready-{tag}").touch()
    deadline = time.monotonic() + 60
    while not (barrier / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        for i in range(count):
            await append(engine, make_event(i, request_id=f"{tag}-{i}"), settings=settings)
            # A breath between appends, as between requests: on a loaded machine the workers
            # would otherwise tend to run one after another and the test would prove nothing.
            await asyncio.sleep(0.005)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])))
