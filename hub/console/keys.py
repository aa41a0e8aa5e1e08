"""``hub keys``: the access-token signing keys."""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from hub.console.clients import emit, in_session
from hub.console.runtime import out
from hub.oauth2.keys import rotate_signing_key
from hub.oauth2.repository import OAuth2Repository
from hub.settings import get_settings

app = typer.Typer(help="Manage the token signing keys.", no_args_is_help=True)


def _summary(key: Any) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "alg": key.alg,
        "created_at": key.created_at.isoformat(),
        "retired_at": key.retired_at.isoformat() if key.retired_at else None,
        "published_until": key.published_until.isoformat() if key.published_until else None,
    }


@app.command()
def rotate(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Sign with a new key from now on. Tokens of the old key keep working until they
    expire; the old key leaves the JWKS after that."""

    async def work(session: AsyncSession) -> dict[str, Any]:
        return _summary(await rotate_signing_key(session, get_settings()))

    key = in_session(work)
    if as_json:
        emit(key)
    else:
        out.print(f"signing with {key['kid']} ({key['alg']})")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List signing keys, newest first."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [_summary(k) for k in reversed(await OAuth2Repository(session).all_keys())]

    keys = in_session(work)
    if as_json:
        emit(keys)
        return
    for k in keys:
        state = f"retired, published until {k['published_until']}" if k["retired_at"] else "signing"
        out.print(f"{k['kid']}\t{k['alg']}\t{state}")
