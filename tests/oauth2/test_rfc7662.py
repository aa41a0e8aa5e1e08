"""Introspection for authenticated clients."""

from __future__ import annotations

import httpx

from tests.support.oauth import basic, get_token, register


async def test_own_token_is_active_with_its_claims(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "DISTRICT", districts=["330106"])
    token = await get_token(http, client_id, secret, scope="wages:read")
    body = (await http.post("/oauth/introspect", data={"token": token},
                            headers=basic(client_id, secret))).json()
    assert body["active"] is True
    assert body["client_id"] == client_id
    assert body["scope"] == "wages:read"
    assert body["profile"] == "DISTRICT" and body["districts"] == ["330106"]
    assert body["iss"] == "http://127.0.0.1:8000" and body["aud"] == "wage-data-hub"
    assert body["exp"] > body["iat"] and body["jti"]


async def test_other_clients_token_is_inactive_except_for_admin(http: httpx.AsyncClient, sessions) -> None:
    owner_id, owner_secret = await register(sessions, "HRSS")
    other_id, other_secret = await register(sessions, "BANK")
    admin_id, admin_secret = await register(sessions, "ADMIN")
    token = await get_token(http, owner_id, owner_secret)
    seen_by_other = await http.post("/oauth/introspect", data={"token": token},
                                    headers=basic(other_id, other_secret))
    assert seen_by_other.json() == {"active": False}
    seen_by_admin = await http.post("/oauth/introspect", data={"token": token},
                                    headers=basic(admin_id, admin_secret))
    assert seen_by_admin.json()["active"] is True


async def test_revoked_and_garbage_tokens_are_inactive(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    token = await get_token(http, client_id, secret)
    await http.post("/oauth/revoke", data={"token": token}, headers=basic(client_id, secret))
    for candidate in (token, "garbage"):
        body = (await http.post("/oauth/introspect", data={"token": candidate},
                                headers=basic(client_id, secret))).json()
        assert body == {"active": False}


async def test_introspection_needs_client_authentication(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    token = await get_token(http, client_id, secret)
    response = await http.post("/oauth/introspect", data={"token": token})
    assert response.status_code == 401
    response = await http.post("/oauth/introspect", data={"token": token},
                               headers=basic(client_id, "wrong"))
    assert response.status_code == 401
