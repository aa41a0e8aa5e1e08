"""``hub webhooks``: subscriptions, the delivery log, and replaying deliveries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.audit import load_keyring
from hub.console.clients import emit
from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.db.serial import SerialSession
from hub.errors import InvalidInput, NotFound
from hub.policy.service import PolicyService
from hub.push import repository, webhooks
from hub.push.delivery import deliver_due
from hub.push.models import DeliveryStatus
from hub.settings import get_settings

T = TypeVar("T")
app = typer.Typer(help="Webhook subscriptions and their deliveries.", no_args_is_help=True)


def _with_sessions(work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[T]]) -> T:
    settings = get_settings()

    async def main() -> T:
        engine = create_engine(settings.database_url, settings)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return run(main)


def _in_session(work: Callable[[SerialSession], Awaitable[T]], write: bool = True) -> T:
    async def inner(sessions: async_sessionmaker[AsyncSession]) -> T:
        async with unit_of_work(sessions, write=write) as session:
            return await work(SerialSession(session))

    return _with_sessions(inner)


@app.command()
def add(
    client_id: str = typer.Option(..., "--client", help="The subscribing client's id."),
    url: str = typer.Option(..., help="Its HTTPS endpoint."),
    purpose: str | None = typer.Option(None, help="Why it needs identity numbers in full (else left out)."),
) -> None:
    """Subscribe a client's endpoint (clients can also call `registerWebhook`). Prints the secret once."""

    async def work(db: SerialSession) -> dict[str, Any]:
        if await repository.client(db, client_id) is None:
            raise NotFound(f"no client {client_id!r}")
        sub, secret = await webhooks.register(db, client_id, url, purpose, get_settings())
        return {"id": sub.id, "client_id": client_id, "url": sub.url, "secret": secret}

    emit(_in_session(work))


@app.command("list")
def list_() -> None:
    """Every subscription, with its delivery counts."""

    async def work(db: SerialSession) -> list[tuple[Any, dict[str, int]]]:
        rows = []
        for sub in await repository.subscriptions(db):
            counts: dict[str, int] = {}
            for d in await repository.deliveries(db, subscription_ids=[sub.id], limit=100_000):
                counts[d.status.value] = counts.get(d.status.value, 0) + 1
            rows.append((sub, counts))
        return rows

    table = Table("id", "client", "url", "active", "deliveries")
    for sub, counts in _in_session(work, write=False):
        table.add_row(str(sub.id), sub.client_id, sub.url, "no" if sub.disabled_at else "yes",
                      " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    out.print(table)


@app.command()
def remove(subscription_id: int = typer.Argument(..., help="Subscription id.")) -> None:
    """Stop deliveries to an endpoint (its log is kept)."""
    _in_session(lambda db: webhooks.disable(db, subscription_id))
    out.print(f"subscription {subscription_id} disabled")


@app.command()
def deliveries(
    subscription: int | None = typer.Option(None, help="Only this subscription's."),
    status: str | None = typer.Option(None, help="PENDING, DELIVERED, FAILED or SKIPPED."),
    limit: int = typer.Option(50, help="How many, newest first."),
) -> None:
    """The delivery log: each delivery with its attempts."""
    try:
        wanted = DeliveryStatus(status.upper()) if status else None
    except ValueError:
        raise typer.BadParameter("status is one of PENDING, DELIVERED, FAILED, SKIPPED") from None

    async def work(db: SerialSession) -> list[dict[str, Any]]:
        rows = await repository.deliveries(db, subscription_ids=[subscription] if subscription else None,
                                           status=wanted, limit=limit)
        return [{
            "id": d.id, "subscription": d.subscription_id, "sequence": d.event_id, "status": d.status.value,
            "attempts": [{"at": a.at.isoformat(), "status_code": a.status_code, "error": a.error,
                          "duration_ms": a.duration_ms} for a in await repository.attempts(db, d.id)],
            "next_attempt_at": d.next_attempt_at.isoformat(),
        } for d in rows]

    emit(_in_session(work, write=False))


@app.command()
def redeliver(
    delivery: list[int] = typer.Option([], "--delivery", help="Delivery id (repeatable)."),
    subscription: int | None = typer.Option(None, help="Every change for this subscription after --since."),
    since: int = typer.Option(0, help="With --subscription: changes after this sequence number."),
    failed: bool = typer.Option(False, "--failed", help="Every FAILED delivery."),
) -> None:
    """Queue deliveries again, due now (the job in `hub serve`, or `hub webhooks deliver`, sends them)."""
    if not delivery and subscription is None and not failed:
        raise InvalidInput("name --delivery, --subscription or --failed")
    n = _in_session(lambda db: webhooks.redeliver(
        db, delivery_ids=delivery, subscription_id=subscription, since_event=since if subscription else None,
        failed=failed))
    out.print(f"{n} deliver{'y' if n == 1 else 'ies'} queued")


@app.command()
def deliver(
    subscription: list[int] = typer.Option([], "--subscription", help="Only this subscription's (repeatable)."),
) -> None:
    """Attempt the deliveries that are due now, once (what the job in `hub serve` does)."""
    settings = get_settings()

    async def main() -> str:
        engine = create_engine(settings.database_url, settings)
        try:
            await load_keyring(engine, settings=settings)  # deliveries are audited: keyed hashes need it
            return await deliver_due(session_factory(engine), settings, PolicyService(settings),
                                     subscription_ids=subscription or None)
        finally:
            await engine.dispose()

    out.print(run(main))
