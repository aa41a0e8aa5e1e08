"""private_key_jwt: audience, replay across app instances, wrong keys, long-lived assertions."""

from __future__ import annotations

import asyncio

import httpx

from hub.clients import service
from hub.db.engine import unit_of_work
from tests.support.oauth import ISSUER, assertion, client_for, client_key, make_app, register

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


async def _jwt_client(sessions):
    key = client_key()
    client_id, _ = await register(sessions, "BDC")
    async with unit_of_work(sessions, write=True) as session:
        await service.set_jwks(session, client_id, {"keys": [key.as_dict(private=False)]})
    return key, client_id


def _form(signed: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": signed}


async def test_replayed_jti_is_refused_even_by_another_app(http: httpx.AsyncClient, sessions) -> None:
    key, client_id = await _jwt_client(sessions)
    signed = assertion(key, client_id)
    assert (await http.post("/oauth/token", data=_form(signed))).status_code == 200
    again = await http.post("/oauth/token", data=_form(signed))
    assert again.status_code == 400 and again.json()["error"] == "invalid_client"
    async with client_for(make_app(sessions)) as other:
        elsewhere = await other.post("/oauth/token", data=_form(signed))
    assert elsewhere.json()["error"] == "invalid_client"


async def test_concurrent_replay_wins_once(http: httpx.AsyncClient, sessions) -> None:
    key, client_id = await _jwt_client(sessions)
    signed = assertion(key, client_id)
    results = await asyncio.gather(*(http.post("/oauth/token", data=_form(signed)) for _ in range(3)))
    assert sorted(r.status_code for r in results) == [200, 400, 400]


async def test_wrong_audience_is_refused(http: httpx.AsyncClient, sessions) -> None:
    key, client_id = await _jwt_client(sessions)
    for aud in ("https://elsewhere.example/oauth/token", ISSUER + "/oauth/introspect"):
        response = await http.post("/oauth/token", data=_form(assertion(key, client_id, aud=aud)))
        assert response.json()["error"] == "invalid_client", aud


async def test_assertion_signed_by_another_key_is_refused(http: httpx.AsyncClient, sessions) -> None:
    _, client_id = await _jwt_client(sessions)
    response = await http.post("/oauth/token", data=_form(assertion(client_key(), client_id)))
    assert response.json()["error"] == "invalid_client"


async def test_long_lived_or_expired_assertion_is_refused(http: httpx.AsyncClient, sessions) -> None:
    key, client_id = await _jwt_client(sessions)
    for exp_in in (3600, -300):
        response = await http.post(
            "/oauth/token", data=_form(assertion(key, client_id, exp_in=exp_in))
        )
        assert response.json()["error"] == "invalid_client", exp_in


async def test_client_without_jwks_cannot_use_private_key_jwt(http: httpx.AsyncClient, sessions) -> None:
    client_id, _ = await register(sessions, "BDC")
    response = await http.post("/oauth/token", data=_form(assertion(client_key(), client_id)))
    assert response.json()["error"] == "invalid_client"
