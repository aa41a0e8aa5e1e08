"""Real clients and real tokens for tests: one client per profile, registered through the
clients service, with tokens obtained from ``/oauth/token`` over HTTP."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.clients import service
from hub.db.engine import unit_of_work

PILOT_DISTRICT = "110115"


async def register(
    sessions: async_sessionmaker[AsyncSession], profile: str, districts: Sequence[str] = (), scopes: Sequence[str] | None = None,
    department: str | None = None,
) -> tuple[str, str]:
    async with unit_of_work(sessions, write=True) as session:
        client_id, secret = await service.create_client(
            session, f"test-{profile.lower()}-{uuid.uuid4().hex[:6]}", profile, districts=tuple(districts),
            scopes=list(scopes) if scopes is not None else None, department=department,
        )
    assert secret is not None
    return client_id, secret


async def fetch_token(client: httpx.AsyncClient, client_id: str, secret: str, scope: str | None = None) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    response = await client.post("/oauth/token", data=data, headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


async def bearer_for(
    client: httpx.AsyncClient, sessions: async_sessionmaker[AsyncSession], profile: str,
    districts: Sequence[str] = (), scopes: Sequence[str] | None = None,
) -> dict[str, str]:
    if profile == "DISTRICT" and not districts:
        districts = (PILOT_DISTRICT,)
    client_id, secret = await register(sessions, profile, districts, scopes)
    return {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
