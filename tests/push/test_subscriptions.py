"""``blacklistChanges`` over graphql-transport-ws at ``/graphql``: the same bearer validation,
the subscriber's own schema and row rules, a purpose for numbers in full, an audit record per
change, and nothing lost across a reconnect."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import websockets
from sqlalchemy import select

from hub.audit.models import AuditRecord
from hub.settings import Settings
from hub.web.app import create_app
from tests.domains.blacklist.conftest import PURPOSE, Parties
from tests.push.conftest import CORRECT, listed_entry, proposed_entry
from tests.support.http import gql
from tests.support.servers import serving

CHANGES = """subscription Changes($after: Int) { blacklistChanges(after: $after) {
  sequence action entry { id status amountOwed enterprise { uscc } } } }"""


@pytest.fixture(scope="module")
async def hub(database_url) -> AsyncIterator[str]:
    app = create_app(Settings(database_url=database_url, jobs_enabled=False, subscription_poll_seconds=0.05))
    async with serving(app) as base:
        yield base


@asynccontextmanager
async def connect(base: str, payload: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> AsyncIterator[Any]:
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], additional_headers=headers or {}) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack == {"type": "connection_ack"}, ack
        yield ws


async def subscribe(ws: Any, query: str = CHANGES, variables: dict[str, Any] | None = None, op_id: str = "1") -> None:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}))


async def receive(ws: Any, timeout: float = 10) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))  # type: ignore[no-any-return]


async def test_changes_arrive_filtered_by_policy_and_resume_after_a_reconnect(client, sessions, hub, parties: Parties) -> None:
    drc, hrss = parties.drc, parties.hrss
    async with connect(hub, {"Authorization": drc.headers["Authorization"]}) as ws:  # token in connection_init
        await subscribe(ws)
        await asyncio.sleep(0.2)
        hidden_id, _, _ = await proposed_entry(client, sessions, hrss)  # NOTICE: DRC never hears of it
        entry_id, version, uscc = await listed_entry(client, sessions, hrss)
        got = await receive(ws)
        assert got["type"] == "next" and got["id"] == "1"
        change = got["payload"]["data"]["blacklistChanges"]
        assert change["entry"]["id"] == entry_id and change["entry"]["id"] != hidden_id
        assert change["entry"]["enterprise"]["uscc"] == uscc
        seen = [change]
        while seen[-1]["action"] != "INCLUDE":
            seen.append((await receive(ws))["payload"]["data"]["blacklistChanges"])
        last = seen[-1]["sequence"]

    # The subscriber is away while HRSS corrects the entry ...
    await hrss.ok(client, CORRECT, {"input": {"entry": entry_id, "version": version, "reason": "re-checked",
                                              "corrections": {"amountOwed": "450000.00"}}})
    # ... and comes back with the last sequence it saw: the correction is waiting for it.
    async with connect(hub, {"Authorization": drc.headers["Authorization"]}) as ws:
        await subscribe(ws, variables={"after": last})
        change = (await receive(ws))["payload"]["data"]["blacklistChanges"]
        assert change["action"] == "CORRECT" and change["entry"]["amountOwed"] == "450000.00"
        assert change["sequence"] > last
        await ws.send(json.dumps({"id": "1", "type": "complete"}))

    async with sessions() as s:
        records = (await s.execute(select(AuditRecord).where(
            AuditRecord.client_id == drc.client_id, AuditRecord.operation_type == "subscription"))).scalars().all()
    assert any(r.row_count == 0 and r.outcome == "OK" for r in records)  # each start is recorded
    delivered = [r for r in records if uscc in r.subjects_uscc]
    assert len(delivered) == len(seen) + 1 and all("BlacklistEntry.amountOwed" in r.fields_served for r in delivered)


async def test_a_hidden_field_cannot_be_subscribed_to(hub, parties: Parties) -> None:
    async with connect(hub, headers=parties.drc.headers) as ws:  # token in the upgrade request
        await subscribe(ws, "subscription { blacklistChanges { entry { clues } } }")
        got = await receive(ws)
        assert got["type"] == "error"
        assert got["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "Did you mean" not in got["payload"][0]["message"]


async def test_identity_numbers_in_full_need_a_purpose(client, sessions, hub, parties: Parties) -> None:
    query = "subscription { blacklistChanges { entry { persons { person { idNumber } } } } }"
    async with connect(hub, {"Authorization": parties.drc.headers["Authorization"]}) as ws:
        await subscribe(ws, query)
        got = await receive(ws)
        assert got["type"] == "error" and got["payload"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"
    payload = {"Authorization": parties.drc.headers["Authorization"], **PURPOSE}
    async with connect(hub, payload) as ws:
        await subscribe(ws, query)
        await asyncio.sleep(0.2)
        await listed_entry(client, sessions, parties.hrss)
        got = await receive(ws)
        numbers = [p["person"]["idNumber"] for p in got["payload"]["data"]["blacklistChanges"]["entry"]["persons"]]
        assert numbers and all("*" not in n for n in numbers)


async def test_a_bad_token_is_refused_and_the_public_has_no_subscriptions(hub) -> None:
    url = hub.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer not-a-token"}}))
        with pytest.raises(websockets.ConnectionClosed) as info:
            await asyncio.wait_for(ws.recv(), 10)
        assert info.value.rcvd is not None and info.value.rcvd.code == 4403
    async with connect(hub) as ws:
        await subscribe(ws)
        got = await receive(ws)
        assert got["type"] == "error" and got["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_subscriptions_are_not_served_over_http(client, parties: Parties) -> None:
    body = await gql(client, CHANGES, headers=parties.drc.headers)
    assert body["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_OVER_HTTP"
