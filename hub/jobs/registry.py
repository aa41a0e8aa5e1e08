"""The periodic jobs ``hub serve`` runs. Each domain adds its own job here."""

from __future__ import annotations

from hub.domains.monitoring.jobs import signals_job
from hub.jobs.runner import Job
from hub.settings import Settings


def scheduled_jobs(settings: Settings) -> list[Job]:
    return [signals_job(settings)]
