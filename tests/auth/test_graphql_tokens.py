"""Bad tokens against ``/graphql`` itself (``test_bearer.py`` covers the same attacks
against a bare ``/whoami``): every one is a 401 ``invalid_token`` with no data, never the
public view. And the token endpoint never grants more than the client holds, while a
narrower token gets a narrower schema."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest
from joserfc import jwt
from sqlalchemy import select

from hub.clients import service
from hub.clients.models import OAuthClient
from hub.db.engine import unit_of_work
from hub.domains.persons.models import Person
from tests.auth.test_bearer import _b64, _hub_key, _parts, _resign
from tests.support.factories import Factory
from tests.support.http import gql
from tests.support.oauth import basic, client_key
from tests.support.tokens import fetch_token, register

QUERY = "{ viewer { profile clientId } blacklistEntries { totalCount } }"
PURPOSE = {"X-Hub-Purpose": "case JN-2026-0043"}
DISTRICT = "320105"  # rows this module writes live here only


@pytest.fixture
async def issued(client: httpx.AsyncClient, sessions) -> dict[str, Any]:
    """A real DISTRICT token from /oauth/token, its parts, and the hub's signing key."""
    client_id, secret = await register(sessions, "DISTRICT", districts=(DISTRICT,))
    token = await fetch_token(client, client_id, secret)
    header, claims = _parts(token)
    return {"token": token, "header": header, "claims": claims, "client_id": client_id, "secret": secret,
            "key": await _hub_key(sessions)}


async def _post(client: httpx.AsyncClient, token: str | None = None, authorization: str | None = None) -> httpx.Response:
    headers = {"Authorization": authorization if authorization is not None else f"Bearer {token}"}
    return await client.post("/graphql", json={"query": QUERY}, headers=headers)


def _refused(response: httpx.Response, fragment: str = "") -> None:
    assert response.status_code == 401, response.text
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer error="invalid_token"'), challenge
    assert fragment in challenge, challenge
    body = response.json()
    assert "data" not in body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID_TOKEN"]
    assert "totalCount" not in response.text and "PUBLIC" not in response.text


async def test_the_real_token_and_an_unchanged_forgery_work(client, issued) -> None:
    """The baseline: without it, every refusal below could be a broken helper."""
    for token in (issued["token"], _resign(issued)):
        response = await _post(client, token)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["viewer"] == {"profile": "DISTRICT", "clientId": issued["client_id"]}


@pytest.mark.parametrize("authorization", [
    "", "Basic abc", "Bearer", "Bearer   ", "Token abc", "bearer a.b", "Bearer not-a-jwt", "Bearer a.b.c",
    "Bearer " + "x" * 9000,
])
async def test_malformed(client, authorization: str) -> None:
    _refused(await _post(client, authorization=authorization))


async def test_garbled_tokens(client, issued) -> None:
    token = issued["token"]
    for bad in (token + "x", token[:-3], token.replace(".", "", 1),
                _b64(b"[]") + "." + _b64(b"[]") + "."):
        _refused(await _post(client, bad))


async def test_expired(client, issued) -> None:
    now = int(time.time())
    _refused(await _post(client, _resign(issued, iat=now - 900, exp=now - 120)), "expired")


async def test_not_yet_valid(client, issued) -> None:
    now = int(time.time())
    _refused(await _post(client, _resign(issued, nbf=now + 600)))
    _refused(await _post(client, _resign(issued, iat=now + 600, exp=now + 1200)))


async def test_wrongly_signed(client, issued) -> None:
    _refused(await _post(client, _resign(issued, key=client_key())), "signature")
    header, payload, _ = issued["token"].split(".")
    _, _, signature = _resign(issued, scope="wages:read:account").split(".")
    _refused(await _post(client, f"{header}.{payload}.{signature}"))
    # claims changed under the real signature
    claims = {**issued["claims"], "districts": ["320104"]}
    _refused(await _post(client, f"{header}.{_b64(json.dumps(claims).encode())}.{issued['token'].split('.')[2]}"))


async def test_alg_none(client, issued) -> None:
    for alg in ("none", "None", "NONE"):
        header = {**issued["header"], "alg": alg}
        token = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(issued['claims']).encode())}."
        _refused(await _post(client, token))


async def test_hs256_signed_with_the_public_key(client, issued) -> None:
    public = issued["key"].as_dict(private=False)
    for secret in (json.dumps(public).encode(), json.dumps(public, separators=(",", ":")).encode(),
                   issued["key"].as_pem(private=False)):
        header = {**issued["header"], "alg": "HS256"}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(issued['claims']).encode())}"
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        _refused(await _post(client, f"{signing_input}.{_b64(mac)}"), "signature")


async def test_unknown_kid(client, issued) -> None:
    other = client_key()
    _refused(await _post(client, jwt.encode({**issued["header"], "kid": "no-such-key"}, issued["claims"], other)),
             "unknown")
    _refused(await _post(client, jwt.encode({"alg": "ES256", "typ": "at+jwt"}, issued["claims"], other)))


async def test_wrong_issuer_or_audience(client, issued) -> None:
    _refused(await _post(client, _resign(issued, iss="https://evil.example")), "issuer")
    _refused(await _post(client, _resign(issued, aud="another-api")), "aud")
    _refused(await _post(client, _resign(issued, aud=None)))


async def test_revoked(client, issued) -> None:
    assert (await _post(client, issued["token"])).status_code == 200
    response = await client.post("/oauth/revoke", data={"token": issued["token"]},
                                 headers=basic(issued["client_id"], issued["secret"]))
    assert response.status_code == 200, response.text
    _refused(await _post(client, issued["token"]), "revoked")
    # a forgery of the revoked token's claims is refused as well (same jti)
    _refused(await _post(client, _resign(issued)))


async def test_disabled_client(client, sessions, issued) -> None:
    async with unit_of_work(sessions, write=True) as session:
        await service.disable_client(session, issued["client_id"])
    _refused(await _post(client, issued["token"]), "disabled")
    async with unit_of_work(sessions, write=True) as session:
        await service.enable_client(session, issued["client_id"])
    assert (await _post(client, issued["token"])).status_code == 200


async def test_token_of_an_unknown_client(client, issued) -> None:
    _refused(await _post(client, _resign(issued, client_id="nobody", sub="nobody")))


async def test_claimed_scopes_and_districts_are_not_trusted(client, issued) -> None:
    """A validly signed token cannot widen the client's grant or move its districts."""
    token = _resign(issued, scope="wages:read wages:read:account person:read:identity admin",
                    districts=["320104", "110115"], profile="HRSS")
    body = await gql(client, "{ viewer { profile scopes districts } }", headers={"Authorization": f"Bearer {token}"})
    assert body["data"]["viewer"]["profile"] == "DISTRICT"
    assert body["data"]["viewer"]["districts"] == [DISTRICT]
    assert "wages:read:account" not in body["data"]["viewer"]["scopes"]
    assert "admin" not in body["data"]["viewer"]["scopes"]
    body = await gql(client, "{ wageAccounts { nodes { balance } } }", headers={"Authorization": f"Bearer {token}", **PURPOSE})
    assert "data" not in body and body["errors"][0]["message"].startswith("Cannot query field 'balance'")


async def test_a_narrowed_grant_narrows_live_tokens_at_once(client, sessions, issued) -> None:
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert "errors" not in await gql(client, "{ wageAccounts { totalCount } }", headers=headers)
    async with unit_of_work(sessions, write=True) as session:
        row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == issued["client_id"]))
        row.scopes = ["enterprise:read", "blacklist:read"]
    body = await gql(client, "{ viewer { scopes } wageAccounts { totalCount } }", headers=headers)
    assert "data" not in body
    assert body["errors"][0]["message"] == "Cannot query field 'wageAccounts' on type 'Query'."
    body = await gql(client, "{ viewer { scopes } }", headers=headers)
    assert body["data"]["viewer"]["scopes"] == ["blacklist:read", "enterprise:read"]


# --------------------------------------------------------------------------------------
# The token endpoint
# --------------------------------------------------------------------------------------


async def _token_response(client, client_id: str, secret: str, scope: str) -> httpx.Response:
    return await client.post("/oauth/token", data={"grant_type": "client_credentials", "scope": scope},
                             headers=basic(client_id, secret))


@pytest.mark.parametrize(("profile", "scope"), [
    ("DISTRICT", "wages:read:account"),
    ("DISTRICT", "wages:read person:read:identity"),
    ("MSB", "wages:read"),
    ("BANK", "person:read:identity"),
    ("HRSS", "admin"),
    ("AUDITOR", "enterprise:read"),
    ("ADMIN", "audit:read"),
    ("HRSS", "superuser"),
])
async def test_scope_escalation_is_invalid_scope(client, sessions, profile: str, scope: str) -> None:
    client_id, secret = await register(sessions, profile, districts=(DISTRICT,) if profile == "DISTRICT" else ())
    response = await _token_response(client, client_id, secret, scope)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_scope"
    assert "access_token" not in response.json()


async def test_a_narrower_token_gets_the_narrower_schema(client, sessions) -> None:
    client_id, secret = await register(sessions, "HRSS")
    full = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret)}"}
    narrow = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret, 'enterprise:read blacklist:read')}"}

    body = await gql(client, "{ viewer { scopes } }", headers=narrow)
    assert body["data"]["viewer"]["scopes"] == ["blacklist:read", "enterprise:read"]

    for query, name in (
        ("{ wageAccounts { totalCount } }", "'wageAccounts' on type 'Query'"),
        ("{ blacklistEntries { nodes { internalNotes } } }", "'internalNotes' on type 'BlacklistEntry'"),
        ("{ enterprises { nodes { contactPhone } } }", "'contactPhone' on type 'Enterprise'"),
    ):
        assert "errors" not in await gql(client, query, headers={**full, **PURPOSE}), query
        body = await gql(client, query, headers={**narrow, **PURPOSE})
        assert "data" not in body and body["errors"][0]["message"] == f"Cannot query field {name}.", body

    introspect = '{ __type(name: "WageAccount") { name } }'
    assert (await gql(client, introspect, headers=full))["data"]["__type"] == {"name": "WageAccount"}
    assert (await gql(client, introspect, headers=narrow))["data"]["__type"] is None

    # without person:read:identity the ID number is masked (and needs no purpose)
    async with unit_of_work(sessions, write=True) as s:
        enterprise = await Factory(s).enterprise(district=DISTRICT)
        uscc = enterprise.uscc
        number = (await s.get(Person, enterprise.legal_representative_id)).id_number
    query = f'{{ enterprise(uscc: "{uscc}") {{ legalRepresentative {{ idNumber }} }} }}'
    masked = (await gql(client, query, headers=narrow))["data"]["enterprise"]["legalRepresentative"]
    unmasked = (await gql(client, query, headers={**full, **PURPOSE}))["data"]["enterprise"]["legalRepresentative"]
    assert unmasked == {"idNumber": number}
    assert masked == {"idNumber": number[:3] + "*" * 11 + number[-4:]}


async def test_a_token_with_wage_scopes_only_gets_a_working_schema(client, sessions) -> None:
    """A bank job asking for its wage scopes alone (least privilege): the enterprises its
    accounts point to have no field of their own but ``id``, and the schema is still valid
    (it once failed to build: every request of such a token was a 500)."""
    async with unit_of_work(sessions, write=True) as s:
        f = Factory(s)
        contractor = await f.enterprise(district=DISTRICT)
        await f.account(await f.project(contractor, district=DISTRICT), contractor)
        uscc = contractor.uscc
    client_id, secret = await register(sessions, "BANK")
    headers = {"Authorization": f"Bearer {await fetch_token(client, client_id, secret, 'wages:read wages:read:account')}"}
    response = await client.post("/graphql", headers=headers, json={"query": f"""{{ wageAccounts(filter: {{districtCode: "{DISTRICT}"}}) {{
        nodes {{ balance openingUnit {{ id projects {{ totalCount }} }} project {{ generalContractor {{ id }} }} }} }} }}"""})
    assert response.status_code == 200, response.text
    nodes = response.json()["data"]["wageAccounts"]["nodes"]
    assert nodes and all(n["openingUnit"]["id"] == n["project"]["generalContractor"]["id"] for n in nodes)
    # the enterprise's registration data stays out of reach
    body = await gql(client, "{ wageAccounts { nodes { openingUnit { uscc } } } }", headers=headers)
    assert body["errors"][0]["message"] == "Cannot query field 'uscc' on type 'Enterprise'."
    assert uscc not in str(body)
