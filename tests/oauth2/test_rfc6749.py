"""The token endpoint: client credentials with every authentication method, scope rules."""

from __future__ import annotations

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from hub.auth.scopes import PROFILE_SCOPES, format_scopes
from hub.domains.departments.models import Profile
from tests.support.oauth import (
    ISSUER,
    assertion,
    basic,
    bearer,
    client_key,
    get_token,
    register,
)


async def test_client_secret_basic_gets_an_rfc9068_jwt(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    response = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, headers=basic(client_id, secret)
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert "refresh_token" not in body
    assert body["scope"] == format_scopes(PROFILE_SCOPES[Profile.HRSS])

    jwks = KeySet.import_key_set((await http.get("/oauth/jwks")).json())
    token = jwt.decode(body["access_token"], jwks, algorithms=["ES256"])
    assert token.header["typ"] == "at+jwt"
    assert token.header["kid"] in {k.kid for k in jwks.keys}
    claims = token.claims
    assert claims["iss"] == ISSUER
    assert claims["sub"] == claims["client_id"] == client_id
    assert claims["aud"] == "wage-data-hub"
    assert claims["exp"] - claims["iat"] == 600
    assert claims["jti"]
    assert set(claims["scope"].split()) == {s.value for s in PROFILE_SCOPES[Profile.HRSS]}


async def test_client_secret_post(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "BANK")
    response = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id,
              "client_secret": secret, "scope": "wages:read"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "wages:read"


async def test_wrong_secret_and_unknown_client_are_invalid_client(
    http: httpx.AsyncClient, sessions
) -> None:
    client_id, _ = await register(sessions, "BANK")
    for headers in (basic(client_id, "wrong"), basic("nobody", "x")):
        response = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, headers=headers
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"


async def test_scope_escalation_is_invalid_scope(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "DISTRICT", districts=["330106"])
    for scope in ("wages:read:account", "wages:read admin", "no-such-scope"):
        response = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials", "scope": scope},
            headers=basic(client_id, secret),
        )
        assert response.status_code == 400, scope
        assert response.json()["error"] == "invalid_scope"


async def test_narrower_scope_is_granted(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    token = await get_token(http, client_id, secret, scope="enterprise:read credit:read")
    me = (await http.get("/whoami", headers=bearer(token))).json()
    assert me["scopes"] == ["credit:read", "enterprise:read"]


async def test_other_grant_types_are_refused(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    response = await http.post(
        "/oauth/token", data={"grant_type": "password", "username": "a", "password": "b"},
        headers=basic(client_id, secret),
    )
    assert response.json()["error"] == "unsupported_grant_type"


async def test_repeated_parameter_is_invalid_request(http: httpx.AsyncClient, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    response = await http.post(
        "/oauth/token", content="grant_type=client_credentials&scope=a&scope=b",
        headers={**basic(client_id, secret),
                 "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_disabled_client_cannot_get_a_token(http: httpx.AsyncClient, sessions) -> None:
    from hub.clients import service
    from hub.db.engine import unit_of_work

    client_id, secret = await register(sessions, "MSB")
    async with unit_of_work(sessions, write=True) as session:
        await service.disable_client(session, client_id)
    response = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, headers=basic(client_id, secret)
    )
    assert response.json()["error"] == "invalid_client"


async def test_private_key_jwt(http: httpx.AsyncClient, sessions) -> None:
    key = client_key()
    client_id, _ = await register(sessions, "DRC")
    from hub.clients import service
    from hub.db.engine import unit_of_work

    async with unit_of_work(sessions, write=True) as session:
        await service.set_jwks(session, client_id, {"keys": [key.as_dict(private=False)]})
    for aud in (ISSUER, ISSUER + "/oauth/token"):
        response = await http.post("/oauth/token", data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion(key, client_id, aud=aud),
        })
        assert response.status_code == 200, response.text
        me = await http.get("/whoami", headers=bearer(response.json()["access_token"]))
        assert me.json()["profile"] == "DRC"
