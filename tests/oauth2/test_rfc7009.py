"""Revocation: a revoked token stops working at once, on this app and on another one."""

from __future__ import annotations

import httpx

from tests.support.oauth import basic, bearer, client_for, get_token, make_app, register


async def test_revoked_token_is_refused_at_once_everywhere(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    token = await get_token(http, client_id, secret)
    async with client_for(make_app(sessions)) as other:
        assert (await other.get("/whoami", headers=bearer(token))).status_code == 200
        assert (await http.get("/whoami", headers=bearer(token))).status_code == 200

        response = await http.post("/oauth/revoke", data={"token": token},
                                   headers=basic(client_id, secret))
        assert response.status_code == 200, response.text

        for app_client in (http, other):
            refused = await app_client.get("/whoami", headers=bearer(token))
            assert refused.status_code == 401
            assert "revoked" in refused.headers["www-authenticate"]
    # revoking again is fine; the client's other tokens still work
    again = await http.post("/oauth/revoke", data={"token": token, "token_type_hint": "access_token"},
                            headers=basic(client_id, secret))
    assert again.status_code == 200
    fresh = await get_token(http, client_id, secret)
    assert (await http.get("/whoami", headers=bearer(fresh))).status_code == 200


async def test_a_client_cannot_revoke_another_clients_token(http: httpx.AsyncClient, sessions) -> None:
    owner_id, owner_secret = await register(sessions, "HRSS")
    other_id, other_secret = await register(sessions, "BANK")
    token = await get_token(http, owner_id, owner_secret)
    response = await http.post("/oauth/revoke", data={"token": token},
                               headers=basic(other_id, other_secret))
    assert response.status_code == 400
    assert (await http.get("/whoami", headers=bearer(token))).status_code == 200


async def test_revocation_needs_client_authentication(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    token = await get_token(http, client_id, secret)
    response = await http.post("/oauth/revoke", data={"token": token})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert (await http.get("/whoami", headers=bearer(token))).status_code == 200


async def test_unknown_token_is_a_quiet_success(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    response = await http.post("/oauth/revoke", data={"token": "garbage"},
                               headers=basic(client_id, secret))
    assert response.status_code == 200
