"""Running periodic jobs inside ``hub serve``: each worker tries every job on its interval;
the lease lets exactly one of them run it. A failing job is logged and tried again at the
next interval; it never takes the worker down."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.db.types import utcnow
from hub.jobs import leases

log = structlog.get_logger("hub.jobs")
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    interval: timedelta
    run: Callable[[async_sessionmaker[AsyncSession]], Awaitable[str]]


async def run_once(sessions: async_sessionmaker[AsyncSession], job: Job) -> str | None:
    """Run ``job`` if this process gets its lease; its outcome line, or None if not ours."""
    if not await leases.acquire(sessions, job.name, HOLDER, job.interval):
        return None
    try:
        outcome = await job.run(sessions)
    except Exception as exc:  # noqa: BLE001 - a job's failure must not stop the others
        log.exception("job.failed", job=job.name)
        outcome = f"failed: {type(exc).__name__}"
    await leases.finish(sessions, job.name, HOLDER, outcome, utcnow())
    return outcome


async def run_forever(sessions: async_sessionmaker[AsyncSession], jobs: list[Job], tick: float) -> None:
    while True:
        for job in jobs:
            try:
                await run_once(sessions, job)
            except Exception:  # noqa: BLE001 - e.g. the database is briefly unreachable
                log.exception("job.lease_failed", job=job.name)
        await asyncio.sleep(tick)
