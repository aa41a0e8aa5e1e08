"""Key rotation: old tokens keep working until they expire; retired keys then leave the JWKS."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from hub.db.engine import unit_of_work
from hub.db.types import utcnow
from hub.oauth2.keys import rotate_signing_key
from hub.oauth2.models import SigningKey
from hub.settings import Settings
from tests.support.oauth import bearer, client_for, get_token, make_app, register


def _kid(token: str) -> str:
    from joserfc import jws

    return str(jws.extract_compact(token.encode()).headers()["kid"])


async def _kids(http: httpx.AsyncClient) -> set[str]:
    return {k["kid"] for k in (await http.get("/oauth/jwks")).json()["keys"]}


async def test_rotation(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    old_token = await get_token(http, client_id, secret)
    old_kid = _kid(old_token)

    async with unit_of_work(sessions, write=True) as session:
        new_key = await rotate_signing_key(session, Settings())
    assert new_key.kid != old_kid

    new_token = await get_token(http, client_id, secret)
    assert _kid(new_token) == new_key.kid
    assert {old_kid, new_key.kid} <= await _kids(http)
    async with client_for(make_app(sessions)) as fresh:
        for token in (old_token, new_token):
            assert (await http.get("/whoami", headers=bearer(token))).status_code == 200
            assert (await fresh.get("/whoami", headers=bearer(token))).status_code == 200

    async with unit_of_work(sessions) as session:
        old = (await session.execute(
            SigningKey.__table__.select().where(SigningKey.kid == old_kid)
        )).one()
    assert old.published_until - old.retired_at == timedelta(seconds=600 + 30)

    # Time passes: the retired key's last token has expired.
    async with unit_of_work(sessions, write=True) as session:
        await session.execute(
            update(SigningKey).where(SigningKey.kid == old_kid)
            .values(published_until=utcnow() - timedelta(seconds=1))
        )
    assert old_kid not in await _kids(http)
    assert new_key.kid in await _kids(http)
    async with client_for(make_app(sessions)) as fresh:
        refused = await fresh.get("/whoami", headers=bearer(old_token))
        assert refused.status_code == 401
        assert (await fresh.get("/whoami", headers=bearer(new_token))).status_code == 200


async def test_jwks_is_public_keys_only(http: httpx.AsyncClient) -> None:
    response = await http.get("/oauth/jwks")
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    for key in response.json()["keys"]:
        assert key["kty"] == "EC" and key["alg"] == "ES256" and key["use"] == "sig"
        assert "d" not in key
