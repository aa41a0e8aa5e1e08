"""The demo's OAuth clients: one per department profile, so that a newcomer can see each
department's schema. Their secrets are re-issued on every run, because a stored secret is
only a hash and the demo must print working credentials."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.clients.service import ensure_client, get_client, rotate_secret
from hub.db.engine import unit_of_work
from hub.demo.constants import PILOT_DISTRICT

#: (name, profile, districts, department code) of the demo clients. The Sichuan departments
#: are set so that their joint-discipline feedback is filed under them.
DEMO_CLIENTS: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("demo-hrss", "HRSS", (), "HRSS-SC"),
    ("demo-daxing-bureau", "DISTRICT", (PILOT_DISTRICT,), "DISTRICT-110115"),
    ("demo-drc", "DRC", (), "DRC-SC"),
    ("demo-msb", "MSB", (), "MSB-SC"),
    ("demo-bdc", "BDC", (), "BDC-SC"),
    ("demo-bank-regulator", "BANK", (), "BANK-BJ"),
    ("demo-auditor", "AUDITOR", (), None),
    ("demo-admin", "ADMIN", (), None),
)


@dataclass(frozen=True, slots=True)
class DemoClient:
    name: str
    profile: str
    client_id: str
    secret: str
    districts: tuple[str, ...]


async def ensure_demo_clients(sessions: async_sessionmaker[AsyncSession]) -> list[DemoClient]:
    clients = []
    async with unit_of_work(sessions, write=True) as session:
        for name, profile, districts, department in DEMO_CLIENTS:
            client_id, secret = await ensure_client(session, name, profile, districts, department=department)
            if secret is None:
                secret = await rotate_secret(session, client_id)
            client = await get_client(session, client_id)
            client.department = department  # clients made before departments were set
            await session.flush()
            clients.append(DemoClient(name, profile, client_id, secret, districts))
    return clients
