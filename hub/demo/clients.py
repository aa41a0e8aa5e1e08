"""The demo's OAuth clients: one per department profile, so that a newcomer can see each
department's schema. Their secrets are re-issued on every run, because a stored secret is
only a hash and the demo must print working credentials."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.clients.service import ensure_client, rotate_secret
from hub.db.engine import unit_of_work
from hub.demo.constants import PILOT_DISTRICT

#: (name, profile, districts) of the demo clients.
DEMO_CLIENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("demo-hrss", "HRSS", ()),
    ("demo-daxing-bureau", "DISTRICT", (PILOT_DISTRICT,)),
    ("demo-drc", "DRC", ()),
    ("demo-msb", "MSB", ()),
    ("demo-bdc", "BDC", ()),
    ("demo-bank-regulator", "BANK", ()),
    ("demo-auditor", "AUDITOR", ()),
    ("demo-admin", "ADMIN", ()),
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
        for name, profile, districts in DEMO_CLIENTS:
            client_id, secret = await ensure_client(session, name, profile, districts)
            if secret is None:
                secret = await rotate_secret(session, client_id)
            clients.append(DemoClient(name, profile, client_id, secret, districts))
    return clients
