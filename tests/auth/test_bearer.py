"""``authenticate``: every kind of bad token is a 401 ``invalid_token``, never the public view."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

from hub.clients import service
from hub.db.engine import unit_of_work
from hub.oauth2.repository import OAuth2Repository
from tests.support.oauth import bearer, client_key, get_token, register


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    pad = lambda s: s + "=" * (-len(s) % 4)  # noqa: E731
    return (json.loads(base64.urlsafe_b64decode(pad(header))),
            json.loads(base64.urlsafe_b64decode(pad(payload))))


async def _hub_key(sessions) -> ECKey:
    async with unit_of_work(sessions) as session:
        key = await OAuth2Repository(session).active_key()
    assert key is not None
    return ECKey.import_key(key.private_jwk)


@pytest.fixture
async def issued(http: httpx.AsyncClient, sessions) -> dict[str, Any]:
    client_id, secret = await register(sessions, "DISTRICT", districts=["330106", "330108"])
    token = await get_token(http, client_id, secret)
    header, claims = _parts(token)
    return {"token": token, "header": header, "claims": claims, "client_id": client_id,
            "key": await _hub_key(sessions)}


async def _status(http: httpx.AsyncClient, token: str) -> httpx.Response:
    return await http.get("/whoami", headers=bearer(token))


def _assert_invalid(response: httpx.Response, fragment: str = "") -> None:
    assert response.status_code == 401, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="invalid_token", error_description="')
    assert fragment in challenge
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TOKEN"


def _resign(issued: dict[str, Any], key: Any = None, alg: str = "ES256", **changes: Any) -> str:
    claims = {**issued["claims"], **changes}
    claims = {k: v for k, v in claims.items() if v is not None}
    header = {**issued["header"], "alg": alg}
    return jwt.encode(header, claims, key or issued["key"], algorithms=[alg])


async def test_no_header_is_public(http: httpx.AsyncClient) -> None:
    me = (await http.get("/whoami")).json()
    assert me["profile"] == "PUBLIC" and me["client_id"] is None and me["scopes"] == []


async def test_valid_token_gives_the_clients_caller(http: httpx.AsyncClient, issued) -> None:
    me = (await _status(http, issued["token"])).json()
    assert me["client_id"] == issued["client_id"]
    assert me["profile"] == "DISTRICT"
    assert me["districts"] == ["330106", "330108"]
    assert "referral:handle" in me["scopes"]
    assert me["token_id"] == issued["claims"]["jti"]
    assert me["issuer"] == "http://127.0.0.1:8000"
    # the forging helper itself produces an acceptable token when nothing is changed
    assert (await _status(http, _resign(issued))).status_code == 200


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer   ", "Token x", "bearer a.b"])
async def test_malformed_headers_and_tokens(http: httpx.AsyncClient, header: str) -> None:
    _assert_invalid(await http.get("/whoami", headers={"Authorization": header}))


async def test_garbage_tokens(http: httpx.AsyncClient, issued) -> None:
    token = issued["token"]
    for bad in ("not-a-jwt", token + "x", token.replace(".", "", 1), "a.b.c",
                _b64(b"[]") + "." + _b64(b"[]") + ".", "x" * 9000):
        _assert_invalid(await _status(http, bad))


async def test_expired(http: httpx.AsyncClient, issued) -> None:
    now = int(time.time())
    _assert_invalid(await _status(http, _resign(issued, iat=now - 900, exp=now - 120)), "expired")


async def test_not_yet_valid(http: httpx.AsyncClient, issued) -> None:
    now = int(time.time())
    _assert_invalid(await _status(http, _resign(issued, nbf=now + 600)))
    _assert_invalid(await _status(http, _resign(issued, iat=now + 600, exp=now + 1200)))


async def test_wrong_signature(http: httpx.AsyncClient, issued) -> None:
    other = client_key()
    _assert_invalid(await _status(http, _resign(issued, key=other)), "signature")
    # a valid signature of different claims pasted onto these claims
    header, payload, _ = issued["token"].split(".")
    _, _, signature = _resign(issued, scope="admin").split(".")
    _assert_invalid(await _status(http, f"{header}.{payload}.{signature}"))


async def test_alg_none(http: httpx.AsyncClient, issued) -> None:
    header = {**issued["header"], "alg": "none"}
    token = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(issued['claims']).encode())}."
    _assert_invalid(await _status(http, token), "signature")


async def test_hs256_keyed_with_the_public_key(http: httpx.AsyncClient, issued) -> None:
    public = issued["key"].as_dict(private=False)
    candidates = [
        json.dumps(public).encode(),
        json.dumps(public, separators=(",", ":")).encode(),
        issued["key"].as_pem(private=False),
    ]
    for secret in candidates:
        header = {**issued["header"], "alg": "HS256"}
        signing_input = (
            f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(issued['claims']).encode())}"
        )
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        _assert_invalid(await _status(http, f"{signing_input}.{_b64(mac)}"), "signature")


async def test_unknown_kid(http: httpx.AsyncClient, issued) -> None:
    other = client_key()
    header = {**issued["header"], "kid": "no-such-key"}
    token = jwt.encode(header, issued["claims"], other)
    _assert_invalid(await _status(http, token), "unknown")
    header.pop("kid")
    _assert_invalid(await _status(http, jwt.encode({"alg": "ES256", "typ": "at+jwt"},
                                                    issued["claims"], other)))


async def test_wrong_issuer_audience_or_typ(http: httpx.AsyncClient, issued) -> None:
    _assert_invalid(await _status(http, _resign(issued, iss="https://evil.example")), "issuer")
    _assert_invalid(await _status(http, _resign(issued, aud="someone-else")), "aud")
    _assert_invalid(await _status(http, _resign(issued, aud=None)))
    issued["header"]["typ"] = "JWT"
    _assert_invalid(await _status(http, _resign(issued)), "typ")


async def test_rs256_token_is_refused(http: httpx.AsyncClient, issued) -> None:
    rsa = RSAKey.generate_key(2048, private=True, auto_kid=True)
    header = {**issued["header"], "alg": "RS256"}
    _assert_invalid(await _status(http, jwt.encode(header, issued["claims"], rsa)))


async def test_missing_claims(http: httpx.AsyncClient, issued) -> None:
    for claim in ("jti", "client_id", "exp", "sub"):
        _assert_invalid(await _status(http, _resign(issued, **{claim: None})))


async def test_token_of_unknown_client(http: httpx.AsyncClient, issued) -> None:
    _assert_invalid(await _status(http, _resign(issued, client_id="nobody")), "does not exist")


async def test_scopes_are_bounded_by_the_clients_current_grant(http, issued) -> None:
    token = _resign(issued, scope="admin audit:read wages:read")
    assert (await _status(http, token)).json()["scopes"] == ["wages:read"]


async def test_disabled_client_is_refused_at_once(http: httpx.AsyncClient, sessions, issued) -> None:
    assert (await _status(http, issued["token"])).status_code == 200
    async with unit_of_work(sessions, write=True) as session:
        await service.disable_client(session, issued["client_id"])
    _assert_invalid(await _status(http, issued["token"]), "disabled")
    async with unit_of_work(sessions, write=True) as session:
        await service.enable_client(session, issued["client_id"])
    assert (await _status(http, issued["token"])).status_code == 200
