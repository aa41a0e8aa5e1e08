"""Only one holder runs a job at a time, across processes sharing the database."""

from datetime import timedelta

from hub.jobs import leases
from hub.jobs.runner import Job, run_once


async def test_one_holder_at_a_time_until_the_lease_expires(sessions) -> None:
    ttl = timedelta(minutes=5)
    assert await leases.acquire(sessions, "test-job", "worker-a", ttl) is True
    assert await leases.acquire(sessions, "test-job", "worker-b", ttl) is False
    assert await leases.acquire(sessions, "test-job", "worker-a", ttl) is True  # renewal
    assert await leases.acquire(sessions, "test-job", "worker-b", timedelta(0)) is False
    assert await leases.acquire(sessions, "expired-job", "worker-a", timedelta(seconds=-1)) is True
    assert await leases.acquire(sessions, "expired-job", "worker-b", ttl) is True


async def test_a_failing_job_is_recorded_and_does_not_raise(sessions) -> None:
    async def boom(_):
        raise RuntimeError("nope")

    assert await run_once(sessions, Job("boom", timedelta(seconds=-1), boom)) == "failed: RuntimeError"


async def test_the_checkpoint_job_signs_the_tail_when_traffic_stops(tmp_path) -> None:
    import asyncio

    from hub.audit import AuditEvent, Outcome, append
    from hub.db.engine import create_engine, session_factory
    from hub.db.migrations import upgrade_with
    from hub.jobs.registry import scheduled_jobs
    from hub.settings import Settings
    from tests.support.databases import fresh_database

    with fresh_database(tmp_path) as url:
        engine = create_engine(url)
        await upgrade_with(engine)
        settings = Settings(database_url=url, audit_checkpoint_interval_seconds=1, audit_checkpoint_every=1000)
        [job] = [j for j in scheduled_jobs(settings) if j.name == "audit-checkpoint"]
        sessions = session_factory(engine)
        assert await job.run(sessions) == "nothing due"
        for rid in ("r1", "r2"):  # the first append signs at once (no checkpoint yet); r2 is the tail
            await append(engine, AuditEvent(request_id=rid, profile="PUBLIC", operation_type="query", outcome=Outcome.OK), settings=settings)
        assert await job.run(sessions) == "nothing due"
        await asyncio.sleep(1.2)
        assert await job.run(sessions) == "signed at seq 2"
        assert await job.run(sessions) == "nothing due"
        await engine.dispose()
