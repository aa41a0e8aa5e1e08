"""An app made of the OAuth routes plus a protected ``/whoami`` that echoes the Caller, and
helpers to register clients and get tokens. Fixtures for tests/oauth2 and tests/auth."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.auth.bearer import InvalidToken, authenticate, invalid_token_response
from hub.clients import service
from hub.db.engine import unit_of_work
from hub.oauth2.routes import oauth_routes
from hub.oauth2.runtime import install
from hub.settings import Settings

ISSUER = "http://127.0.0.1:8000"
TOKEN_URL = ISSUER + "/oauth/token"
DISTRICT = "330106"


async def whoami(request: Request) -> Response:
    try:
        caller = await authenticate(request)
    except InvalidToken as exc:
        return invalid_token_response(exc)
    body = asdict(caller)
    body["scopes"] = sorted(body["scopes"])
    body["districts"] = sorted(body["districts"])
    return JSONResponse(body)


def make_app(
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Starlette:
    app = Starlette(routes=[*oauth_routes(), Route("/whoami", whoami)])
    app.state.sessions = sessions
    app.state.settings = settings or Settings()
    install(app, http_transport=transport)
    return app


def client_for(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://hub.test")


def unique(prefix: str = "client") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def register(
    sessions: async_sessionmaker[AsyncSession], profile: str = "HRSS", **kwargs: Any
) -> tuple[str, str | None]:
    async with unit_of_work(sessions, write=True) as session:
        return await service.create_client(session, unique(profile.lower()), profile, **kwargs)


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def get_token(
    http: httpx.AsyncClient, client_id: str, secret: str, scope: str | None = None
) -> str:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = await http.post("/oauth/token", data=data, headers=basic(client_id, secret))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"alg": "ES256"}, private=True, auto_kid=True)


def assertion(
    key: ECKey, client_id: str, *, aud: str = TOKEN_URL, jti: str | None = None,
    exp_in: int = 120,
) -> str:
    now = int(time.time())
    claims = {
        "iss": client_id, "sub": client_id, "aud": aud, "iat": now, "exp": now + exp_in,
        "jti": jti or uuid.uuid4().hex,
    }
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key)


@pytest.fixture
async def app(sessions: async_sessionmaker[AsyncSession]) -> Starlette:
    return make_app(sessions)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client
