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
