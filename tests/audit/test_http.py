"""``GET /audit/checkpoints`` publishes checkpoints that verify with the published keys."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from hub.audit.http import checkpoints_route
from hub.audit.store import append
from hub.audit.verify import _public_keys, checkpoint_valid
from hub.settings import Settings
from tests.audit.conftest import AuditDb, make_event


async def test_checkpoints_route_returns_signed_checkpoints_and_keys(
    audit_db: AuditDb, settings: Settings
) -> None:
    for i in range(6):
        await append(audit_db.engine, make_event(i), settings=settings)
    app = Starlette(routes=[checkpoints_route(audit_db.engine)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
        response = await client.get("/audit/checkpoints")
        assert response.status_code == 200
        body = response.json()
        assert [c["seq"] for c in body["checkpoints"]] == [5, 1]
        keys = _public_keys(body["keys"])
        assert all(checkpoint_valid(c, keys) for c in body["checkpoints"])
        forged = {**body["checkpoints"][0], "head": "0" * 64}
        assert not checkpoint_valid(forged, keys)
        after = (await client.get("/audit/checkpoints?after=1")).json()
        assert [c["seq"] for c in after["checkpoints"]] == [5]
        assert (await client.get("/audit/checkpoints?limit=0")).status_code == 400
