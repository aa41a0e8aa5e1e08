"""Tokens of a trusted external issuer (a province's Keycloak), whose JWKS is served by the
test (through an httpx transport, and once over real HTTP on loopback): mapped to a hub client
and treated like hub tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from hub.clients import service
from hub.db.engine import unit_of_work
from hub.oauth2.runtime import OAuth2Runtime
from hub.settings import Settings, TrustedIssuer
from tests.support.oauth import bearer, client_for, make_app, register

IDP = "https://idp.example/realms/zhejiang"
JWKS_URI = IDP + "/protocol/openid-connect/certs"


class IdP:
    """A JWKS endpoint whose keys the test rotates, counting fetches."""

    def __init__(self) -> None:
        self.keys = [RSAKey.generate_key(2048, private=True, auto_kid=True)]
        self.fetches = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == JWKS_URI
        self.fetches += 1
        return httpx.Response(200, json={"keys": [k.as_dict(private=False) for k in self.keys]})

    def token(self, key: RSAKey | None = None, alg: str = "RS256", **claims: Any) -> str:
        key = key or self.keys[-1]
        now = int(time.time())
        body = {"iss": IDP, "aud": "wage-data-hub", "azp": "hrss-portal", "iat": now,
                "exp": now + 300, "jti": uuid.uuid4().hex, "sub": "user-1",
                "scope": "openid profile enterprise:read wages:read", **claims}
        body = {k: v for k, v in body.items() if v is not None}
        return jwt.encode({"alg": alg, "kid": key.kid, "typ": "JWT"}, body, key, algorithms=[alg])


@pytest.fixture
async def setup(sessions):
    client_id, _ = await register(sessions, "HRSS")
    idp = IdP()

    def app_with(min_refetch: float = 0.0):
        settings = Settings(
            trusted_issuers=[TrustedIssuer(
                issuer=IDP, jwks_uri=JWKS_URI, audience="wage-data-hub", client_claim="azp",
                clients={"hrss-portal": client_id},
                allowed_scopes=["enterprise:read", "wages:read", "credit:read", "admin"],
            )],
            jwks_min_refetch=min_refetch,
        )
        return make_app(sessions, settings, httpx.MockTransport(idp.handler))

    return client_id, idp, app_with


async def test_external_token_maps_to_the_client(setup) -> None:
    client_id, idp, app_with = setup
    async with client_for(app_with()) as http:
        me = (await http.get("/whoami", headers=bearer(idp.token()))).json()
        assert me["client_id"] == client_id and me["profile"] == "HRSS"
        assert me["issuer"] == IDP and me["subject"] == "user-1"
        assert me["scopes"] == ["enterprise:read", "wages:read"]
        # no scope claim: everything allowed for the issuer within the client's grant
        # ("admin" is allowed to the issuer but not granted to this HRSS client)
        me = (await http.get("/whoami", headers=bearer(idp.token(scope=None)))).json()
        assert me["scopes"] == ["credit:read", "enterprise:read", "wages:read"]
        assert idp.fetches == 1  # cached


@pytest.mark.parametrize("changes", [
    {"aud": "someone-else"}, {"azp": "unmapped-app"}, {"azp": None}, {"jti": None},
    {"exp": int(time.time()) - 600}, {"iss": IDP + "-other"},
])
async def test_bad_external_tokens(setup, changes: dict[str, Any]) -> None:
    _, idp, app_with = setup
    async with client_for(app_with()) as http:
        assert (await http.get("/whoami", headers=bearer(idp.token(**changes)))).status_code == 401


async def test_foreign_key_and_hmac_are_refused(setup) -> None:
    _, idp, app_with = setup
    async with client_for(app_with()) as http:
        impostor = RSAKey.generate_key(2048, private=True)
        impostor_token = jwt.encode(
            {"alg": "RS256", "kid": idp.keys[0].kid},
            jwt.decode(idp.token(), idp.keys[0]).claims, impostor,
        )
        assert (await http.get("/whoami", headers=bearer(impostor_token))).status_code == 401
        public = json.dumps(idp.keys[0].as_dict(private=False)).encode()
        header = _b64(json.dumps({"alg": "HS256", "kid": idp.keys[0].kid}).encode())
        payload = _b64(json.dumps(jwt.decode(idp.token(), idp.keys[0]).claims).encode())
        mac = hmac.new(public, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        hs256 = f"{header}.{payload}.{_b64(mac)}"
        assert (await http.get("/whoami", headers=bearer(hs256))).status_code == 401


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


async def test_same_treatment_disabled_client_and_deny_list(setup, sessions) -> None:
    client_id, idp, app_with = setup
    app = app_with()
    token = idp.token()
    async with client_for(app) as http:
        assert (await http.get("/whoami", headers=bearer(token))).status_code == 200
        claims = jwt.decode(token, idp.keys[0]).claims
        await OAuth2Runtime.of(app).deny(IDP, claims["jti"], client_id, claims["exp"])
        assert (await http.get("/whoami", headers=bearer(token))).status_code == 401
        other = idp.token()
        async with unit_of_work(sessions, write=True) as session:
            await service.disable_client(session, client_id)
        assert (await http.get("/whoami", headers=bearer(other))).status_code == 401


async def test_unknown_kid_refetches_the_jwks(setup) -> None:
    _, idp, app_with = setup
    async with client_for(app_with(min_refetch=0)) as http:
        assert (await http.get("/whoami", headers=bearer(idp.token()))).status_code == 200
        idp.keys.append(RSAKey.generate_key(2048, private=True, auto_kid=True))
        assert (await http.get("/whoami", headers=bearer(idp.token()))).status_code == 200
        assert idp.fetches == 2


async def test_refetch_on_unknown_kid_is_bounded(setup) -> None:
    _, idp, app_with = setup
    async with client_for(app_with(min_refetch=3600)) as http:
        assert (await http.get("/whoami", headers=bearer(idp.token()))).status_code == 200
        stranger = RSAKey.generate_key(2048, private=True, auto_kid=True)
        for _ in range(5):
            token = idp.token(key=stranger)
            assert (await http.get("/whoami", headers=bearer(token))).status_code == 401
        assert idp.fetches == 1


async def test_a_jwks_served_over_real_http_on_loopback(sessions, database_url) -> None:
    """No transport override: the hub fetches the IdP's JWKS over HTTP from a server the test
    runs, and the external token gets the same treatment as the hub's own at /graphql."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from tests.support.http import gql, hub_client
    from tests.support.servers import serving

    idp = IdP()
    served = Starlette(routes=[Route("/certs", lambda _: JSONResponse({"keys": [k.as_dict(private=False) for k in idp.keys]}))])
    client_id, _ = await register(sessions, "MSB")
    async with serving(served) as base:
        issuer = f"{base}/realms/msb"
        trusted = [TrustedIssuer(issuer=issuer, jwks_uri=f"{base}/certs", audience="wage-data-hub", client_claim="azp",
                                 clients={"msb-portal": client_id}, allowed_scopes=["enterprise:read", "blacklist:read"])]
        token = idp.token(iss=issuer, azp="msb-portal", scope="enterprise:read blacklist:read wages:read")
        async with hub_client(database_url, trusted_issuers=trusted) as hub:
            body = await gql(hub, "{ viewer { profile clientId scopes } }", headers=bearer(token))
            assert body["data"]["viewer"] == {"profile": "MSB", "clientId": client_id, "scopes": ["blacklist:read", "enterprise:read"]}
            hidden = await gql(hub, "{ wageAccounts { totalCount } }", headers=bearer(token))
            assert hidden["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
            forged = idp.token(key=RSAKey.generate_key(2048, private=True, auto_kid=True), iss=issuer, azp="msb-portal")
            r = await hub.post("/graphql", json={"query": "{ viewer { profile } }"}, headers=bearer(forged))
            assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"]
