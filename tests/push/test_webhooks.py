"""Webhooks: signed deliveries that survive a subscriber being down and a hub restart, carry
only what the subscriber's policy shows, retry with backoff and can be replayed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.audit.models import AuditRecord
from hub.auth.scopes import PROFILE_SCOPES
from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.db.migrations import upgrade_with
from hub.db.serial import SerialSession
from hub.db.types import utcnow
from hub.domains.departments.models import Profile
from hub.push import repository, webhooks
from hub.push.delivery import deliver_due
from hub.push.models import DeliveryStatus, WebhookDelivery
from hub.settings import Settings
from tests.domains.blacklist.conftest import Parties
from tests.push.conftest import CORRECT, DEFENCE, INCLUDE, coordinates, listed_entry, proposed_entry, visible_to
from tests.support.databases import fresh_database
from tests.support.http import hub_client
from tests.support.servers import Receiver
from tests.support.tokens import fetch_token, register

LOOPBACK = Settings(webhook_allow_loopback_http=True, webhook_backoff_base_seconds=0)


async def subscribe(sessions, client_id: str, url: str, purpose: str | None = None) -> tuple[int, str]:
    async with unit_of_work(sessions, write=True) as s:
        sub, secret = await webhooks.register(SerialSession(s), client_id, url, purpose, LOOPBACK)
    return sub.id, secret


async def unsubscribe(sessions, sub_id: int) -> None:
    async with unit_of_work(sessions, write=True) as s:
        await webhooks.disable(SerialSession(s), sub_id)


async def my_deliveries(sessions, sub_id: int) -> list[WebhookDelivery]:
    async with unit_of_work(sessions) as s:
        return await repository.deliveries(SerialSession(s), subscription_ids=[sub_id], limit=1000)


async def test_a_decision_made_while_the_subscriber_is_down_arrives_when_it_is_back(
    client, sessions, parties: Parties, policies, database_url
) -> None:
    receiver = Receiver()
    sub_id, secret = await subscribe(sessions, parties.drc.client_id, receiver.url)
    try:
        entry_id, version, uscc = await proposed_entry(client, sessions, parties.hrss)
        assert await deliver_due(sessions, LOOPBACK, policies, subscription_ids=[sub_id]) == "skipped 1"  # DRC may not see a NOTICE
        body = await parties.hrss.ok(client, DEFENCE, {"input": {"entry": entry_id, "version": version, "statement": "no"}})
        version = body["recordDefence"]["entry"]["version"]
        await parties.hrss.ok(client, INCLUDE, {"input": {"entry": entry_id, "version": version, "documentNumber": "D-2"}})
        outcome = await deliver_due(sessions, LOOPBACK, policies, subscription_ids=[sub_id])  # the entry is visible now, but nobody listens
        assert outcome == "retrying 2"
        mine = await my_deliveries(sessions, sub_id)
        assert sorted(d.status.value for d in mine) == ["PENDING", "PENDING", "SKIPPED"]
        pending = max((d for d in mine if d.status is DeliveryStatus.PENDING), key=lambda d: d.id)
        assert pending.attempts == 1 and "ConnectError" in (pending.last_error or "")
        async with receiver.up():
            await deliver_due(sessions, LOOPBACK, policies, subscription_ids=[sub_id])
            await receiver.wait_for(2)
        # A change reaches a subscriber once it may see the entry, showing the entry as it is now.
        assert [r.json()["data"]["blacklistChanges"]["action"] for r in receiver.received] == ["RECORD_DEFENCE", "INCLUDE"]
        got = receiver.received[1]
        assert webhooks.verify(secret, got.headers["x-hub-timestamp"], got.body, got.headers["x-hub-signature"])
        assert not webhooks.verify("whsec_wrong", got.headers["x-hub-timestamp"], got.body, got.headers["x-hub-signature"])
        body = got.json()
        change = body["data"]["blacklistChanges"]
        assert body["sequence"] == change["sequence"] == int(got.headers["x-hub-event"])
        assert change["action"] == "INCLUDE" and change["entry"]["id"] == entry_id
        assert change["entry"]["enterprise"]["uscc"] == uscc and change["entry"]["status"] == "LISTED"
        # DRC's policy: no internal fields; ID numbers in full need a purpose, which this subscription lacks.
        seen = coordinates(policies.full_schema._schema, "Subscription", body["data"])
        assert seen <= visible_to(frozenset(s.value for s in PROFILE_SCOPES[Profile.DRC]))
        assert not {"BlacklistEntry.clues", "BlacklistEntry.internalNotes", "BlacklistEntry.version",
                    "BlacklistEntry.defenceStatement", "Person.idNumber"} & seen
        assert "BlacklistEntry.platforms" in seen  # DRC publishes: it sees where platforms stand
        statuses = {d.status for d in await my_deliveries(sessions, sub_id)}
        assert statuses == {DeliveryStatus.DELIVERED, DeliveryStatus.SKIPPED}
        async with sessions() as s:
            attempts = await repository.attempts(SerialSession(s), pending.id)
            record = (await s.execute(select(AuditRecord).where(
                AuditRecord.request_id == f"webhook-{pending.id}-2"))).scalar_one()
        assert [a.status_code for a in attempts] == [None, 204]
        assert record.client_id == parties.drc.client_id and record.operation_type == "subscription"
        assert uscc in record.subjects_uscc and "BlacklistEntry.status" in record.fields_served
    finally:
        await unsubscribe(sessions, sub_id)


async def test_deliveries_show_each_subscriber_its_own_view(client, sessions, parties: Parties, policies) -> None:
    hrss_rx, msb_rx, drc_rx = Receiver(), Receiver(), Receiver()
    subs = [
        await subscribe(sessions, parties.hrss.client_id, hrss_rx.url, purpose="case handling at HRSS"),
        await subscribe(sessions, parties.msb.client_id, msb_rx.url),
        await subscribe(sessions, parties.drc.client_id, drc_rx.url, purpose="joint discipline (Sichuan memorandum)"),
    ]
    try:
        async with hrss_rx.up(), msb_rx.up(), drc_rx.up():
            await listed_entry(client, sessions, parties.hrss)
            await deliver_due(sessions, LOOPBACK, policies, subscription_ids=[sub for sub, _ in subs])
            await hrss_rx.wait_for(3)
            await msb_rx.wait_for(3)
            await drc_rx.wait_for(3)
        schema = policies.full_schema._schema
        hrss_seen = set().union(*(coordinates(schema, "Subscription", r.json()["data"]) for r in hrss_rx.received))
        assert {"BlacklistEntry.clues", "BlacklistEntry.internalNotes", "BlacklistEntry.version", "Person.idNumber"} <= hrss_seen
        assert [r.json()["data"]["blacklistChanges"]["action"] for r in hrss_rx.received] == ["PROPOSE", "RECORD_DEFENCE", "INCLUDE"]
        for rx, profile in ((msb_rx, Profile.MSB), (drc_rx, Profile.DRC)):
            seen = set().union(*(coordinates(schema, "Subscription", r.json()["data"]) for r in rx.received))
            assert seen <= visible_to(frozenset(s.value for s in PROFILE_SCOPES[profile]))
        persons = lambda rx: [p["person"]["idNumber"] for p in rx.received[0].json()["data"]["blacklistChanges"]["entry"]["persons"]]  # noqa: E731
        assert all("*" in n for n in persons(msb_rx))  # MSB: masked by its policy
        assert all("*" not in n for n in persons(drc_rx))  # DRC: in full, with its stated purpose
    finally:
        for sub_id, _ in subs:
            await unsubscribe(sessions, sub_id)


@pytest.fixture
async def own_database(tmp_path) -> AsyncIterator[tuple[str, Any]]:
    """A database of this test's own: the hub's jobs act on every row, not just ours."""
    with fresh_database(tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade_with(engine)
            yield url, session_factory(engine)
        finally:
            await engine.dispose()


async def test_a_hub_restart_between_decision_and_delivery_loses_nothing(own_database) -> None:
    database_url, sessions = own_database
    receiver = Receiver()
    hrss_id, hrss_secret = await register(sessions, "HRSS")
    async with hub_client(database_url) as first:  # jobs off: the decision is made, not delivered
        token = await fetch_token(first, hrss_id, hrss_secret)
        from tests.domains.blacklist.conftest import Party

        hrss = Party("HRSS", hrss_id, {"Authorization": f"Bearer {token}"})
        sub_id, _ = await subscribe(sessions, hrss_id, receiver.url)
        entry_id, version, _ = await listed_entry(first, sessions, hrss)
        await hrss.ok(first, CORRECT, {"input": {"entry": entry_id, "version": version, "reason": "typo",
                                                 "corrections": {"amountOwed": "400000.00"}}})
    try:
        async with receiver.up():
            # The hub comes back with its jobs on: the delivery job finds the outbox as it was left.
            async with hub_client(database_url, jobs_enabled=True, jobs_tick_seconds=0.1, webhook_interval_seconds=0.1,
                                  webhook_allow_loopback_http=True):
                await receiver.wait_for(4)
        actions = [r.json()["data"]["blacklistChanges"]["action"] for r in receiver.received]
        assert actions == ["PROPOSE", "RECORD_DEFENCE", "INCLUDE", "CORRECT"]
        assert {d.status for d in await my_deliveries(sessions, sub_id)} == {DeliveryStatus.DELIVERED}
    finally:
        await unsubscribe(sessions, sub_id)


async def test_failing_endpoints_back_off_give_up_and_can_be_replayed(client, sessions, parties: Parties, policies) -> None:
    receiver = Receiver(status=500)
    entry_id, version, _ = await listed_entry(client, sessions, parties.hrss)
    sub_id, _ = await subscribe(sessions, parties.bdc.client_id, receiver.url)  # future changes only
    settings = Settings(webhook_allow_loopback_http=True, webhook_backoff_base_seconds=60, webhook_max_attempts=2)
    try:
        async with receiver.up():
            await parties.hrss.ok(client, CORRECT, {"input": {"entry": entry_id, "version": version, "reason": "typo",
                                                              "corrections": {"workersAffected": 21}}})
            await deliver_due(sessions, settings, policies, subscription_ids=[sub_id])
            (pending,) = [d for d in await my_deliveries(sessions, sub_id) if d.status is DeliveryStatus.PENDING]
            assert pending.last_status_code == 500
            assert timedelta(seconds=55) < pending.next_attempt_at - utcnow() <= timedelta(seconds=60)
            await deliver_due(sessions, settings, policies, subscription_ids=[sub_id])  # not due yet: nothing sent
            assert len(receiver.received) == 1
            await deliver_due(sessions, settings, policies, now=utcnow() + timedelta(seconds=61), subscription_ids=[sub_id])
            (failed,) = [d for d in await my_deliveries(sessions, sub_id) if d.status is not DeliveryStatus.SKIPPED]
            assert failed.status is DeliveryStatus.FAILED and failed.attempts == 2
            receiver.status = 204
            async with unit_of_work(sessions, write=True) as s:
                assert await webhooks.redeliver(SerialSession(s), delivery_ids=[failed.id]) == 1
            await deliver_due(sessions, settings, policies, subscription_ids=[sub_id])
            assert len(receiver.received) == 3
            (done,) = [d for d in await my_deliveries(sessions, sub_id) if d.status is not DeliveryStatus.SKIPPED]
            assert done.status is DeliveryStatus.DELIVERED and done.attempts == 3
    finally:
        await unsubscribe(sessions, sub_id)


def test_backoff_doubles_up_to_the_maximum() -> None:
    s = Settings(webhook_backoff_base_seconds=30, webhook_backoff_max_seconds=200)
    assert [webhooks.backoff_seconds(n, s) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]


@pytest.mark.parametrize("url", ["http://hooks.example.gov.cn/x", "ftp://x", "https://user:pw@x.example/", "http://10.0.0.1/x"])
def test_endpoints_must_be_https(url: str) -> None:
    with pytest.raises(Exception, match="https"):
        webhooks.validate_url(url, LOOPBACK)


def test_plain_http_only_on_loopback_and_only_when_allowed() -> None:
    assert webhooks.validate_url("http://127.0.0.1:9/x", LOOPBACK)
    with pytest.raises(Exception, match="https"):
        webhooks.validate_url("http://127.0.0.1:9/x", Settings())


def test_signature_checks_timestamp_and_body() -> None:
    sig = webhooks.sign("whsec_x", 1_700_000_000, b'{"a":1}')
    assert webhooks.verify("whsec_x", "1700000000", b'{"a":1}', sig, now=1_700_000_010)
    assert not webhooks.verify("whsec_x", "1700000000", b'{"a":2}', sig, now=1_700_000_010)
    assert not webhooks.verify("whsec_x", "1700000000", b'{"a":1}', sig, now=1_700_001_000)


async def test_clients_register_their_own_webhooks_over_graphql(client, parties: Parties) -> None:
    register_q = """mutation($url: String!) { registerWebhook(input: {url: $url}) { secret webhook { id url } } }"""
    data = await parties.msb.ok(client, register_q, {"url": "https://msb.sc.example.gov.cn/hub-hook"})
    assert data["registerWebhook"]["secret"].startswith("whsec_")
    hook_id = data["registerWebhook"]["webhook"]["id"]
    body = await parties.msb.call(client, register_q, {"url": "http://msb.sc.example.gov.cn/hub-hook"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    listed = await parties.msb.ok(client, "{ webhooks { id url disabledAt } }")
    assert {"id": hook_id, "url": "https://msb.sc.example.gov.cn/hub-hook", "disabledAt": None} in listed["webhooks"]
    other = await parties.drc.call(client, "mutation($id: Int!) { removeWebhook(id: $id) { id } }", {"id": hook_id})
    assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    gone = await parties.msb.ok(client, "mutation($id: Int!) { removeWebhook(id: $id) { disabledAt } }", {"id": hook_id})
    assert gone["removeWebhook"]["disabledAt"]
    await asyncio.sleep(0)
