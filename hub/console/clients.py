"""``hub client``: register and manage the OAuth clients of agency systems."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clients import service
from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.errors import InvalidInput
from hub.settings import get_settings

T = TypeVar("T")

app = typer.Typer(help="Register and manage OAuth clients.", no_args_is_help=True)


@asynccontextmanager
async def write_session() -> AsyncIterator[AsyncSession]:
    """One unit of work on the configured database; commits when the command succeeds."""
    settings = get_settings()
    engine = create_engine(settings.database_url, settings)
    try:
        async with unit_of_work(session_factory(engine), write=True) as session:
            yield session
    finally:
        await engine.dispose()


def in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def main() -> T:
        async with write_session() as session:
            return await work(session)

    return run(main)


def emit(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _read_jwks(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read a JWK Set from {path}: {exc}", field="jwks") from None
    if isinstance(data, dict) and "keys" not in data and "kty" in data:
        data = {"keys": [data]}  # a single JWK is accepted too
    return data  # type: ignore[no-any-return]


@app.command()
def create(
    name: str = typer.Option(..., "--name", help="Unique name, e.g. 'Hangzhou HRSS portal'."),
    profile: str = typer.Option(..., "--profile", help="HRSS|DISTRICT|DRC|MSB|BDC|BANK|AUDITOR|ADMIN"),
    district: list[str] = typer.Option([], "--district", help="Division code (repeat)."),
    scopes: list[str] | None = typer.Option(
        None, "--scopes", help="Scopes to grant instead of the profile's defaults "
        "(space- or comma-separated, or repeated)."
    ),
    department: str | None = typer.Option(None, "--department", help="Department code."),
    jwks_file: Path | None = typer.Option(
        None, "--jwks-file", help="Public JWK Set for private_key_jwt."
    ),
    no_secret: bool = typer.Option(
        False, "--no-secret", help="No client secret: private_key_jwt only (needs --jwks-file)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Register a client. Its secret is printed once and never stored in clear."""
    jwks = _read_jwks(jwks_file) if jwks_file else None

    async def work(session: AsyncSession) -> dict[str, Any]:
        client_id, secret = await service.create_client(
            session, name, profile, district, scopes or None,
            department=department, jwks=jwks, with_secret=not no_secret,
        )
        summary = service.client_summary(await service.get_client(session, client_id))
        return {**summary, "client_secret": secret}

    result = in_session(work)
    if as_json:
        emit(result)
        return
    out.print(f"client_id:     {result['client_id']}")
    if result["client_secret"]:
        out.print(f"client_secret: {result['client_secret']}  (shown once: store it now)")
    out.print(f"scopes:        {' '.join(result['scopes'])}")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List clients (never their secrets)."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [service.client_summary(c) for c in await service.list_clients(session)]

    clients = in_session(work)
    if as_json:
        emit(clients)
        return
    for c in clients:
        state = "disabled" if c["disabled"] else "active"
        districts = ",".join(c["districts"])
        out.print(f"{c['client_id']}\t{c['profile']}\t{state}\t{c['name']}\t{districts}")


@app.command()
def disable(client_id: str = typer.Argument(..., help="The client to disable.")) -> None:
    """Disable a client: its tokens stop working at once and it gets no new ones."""
    in_session(lambda s: service.disable_client(s, client_id))
    out.print(f"client {client_id} disabled")


@app.command()
def enable(client_id: str = typer.Argument(..., help="The client to enable again.")) -> None:
    """Enable a disabled client."""
    in_session(lambda s: service.enable_client(s, client_id))
    out.print(f"client {client_id} enabled")


@app.command("rotate-secret")
def rotate_secret(
    client_id: str = typer.Argument(..., help="The client."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Issue a new secret (printed once); the old one stops working at once."""
    secret = in_session(lambda s: service.rotate_secret(s, client_id))
    if as_json:
        emit({"client_id": client_id, "client_secret": secret})
    else:
        out.print(f"client_secret: {secret}  (shown once: store it now)")


@app.command("set-jwks")
def set_jwks(
    client_id: str = typer.Argument(..., help="The client."),
    jwks_file: Path | None = typer.Option(None, "--jwks-file", help="Public JWK Set (JSON)."),
    clear: bool = typer.Option(False, "--clear", help="Remove the keys."),
) -> None:
    """Register the public keys a client signs its private_key_jwt assertions with."""
    if (jwks_file is None) == (not clear):
        raise typer.BadParameter("give --jwks-file or --clear")
    jwks = _read_jwks(jwks_file) if jwks_file else None
    in_session(lambda s: service.set_jwks(s, client_id, jwks))
    out.print(f"client {client_id}: keys {'removed' if clear else 'registered'}")
