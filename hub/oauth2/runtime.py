"""The authorization server's per-app state, kept in ``app.state.oauth2``.

What the app must hold (the integrator's app factory sets these):

- ``app.state.sessions``: the ``async_sessionmaker`` of the hub's database (required);
- ``app.state.settings``: the ``Settings`` (optional; ``get_settings()`` otherwise).

The runtime is built on first use from those two, or explicitly with ``install(app, ...)``
(tests pass an ``httpx`` transport for trusted issuers' JWKS this way).

Sync storage hooks, and why they hop back to the event loop: authlib's server is
synchronous and runs in a worker thread (``run_in_threadpool``), so its hooks (find the
client, consume an assertion ``jti``, load the signing key...) are synchronous too. They
run the hub's ordinary async repository code on the event loop with
``anyio.from_thread.run`` rather than through a second, synchronous engine: one engine,
one pool and one set of SQLite locking rules (``unit_of_work(write=True)``) serve both
paths, no sync driver (psycopg2) is needed at run time, and the thread only does the CPU
work that must stay off the loop anyway (scrypt secret checks, signing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio.from_thread
import httpx
from joserfc.jwk import ECKey, Key
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.types import ASGIApp

from hub.clients.models import OAuthClient
from hub.clients.repository import ClientRepository
from hub.db.engine import unit_of_work
from hub.db.types import utcnow
from hub.oauth2 import keys as signing_keys
from hub.oauth2.models import SigningKey
from hub.oauth2.repository import OAuth2Repository, TokenState
from hub.oauth2.trusted import KeyCache, TrustedIssuers
from hub.settings import Settings, get_settings

T = TypeVar("T")

TOKEN_PATH = "/oauth/token"
JWKS_PATH = "/oauth/jwks"
INTROSPECTION_PATH = "/oauth/introspect"
REVOCATION_PATH = "/oauth/revoke"
METADATA_PATH = "/.well-known/oauth-authorization-server"

#: Least seconds between two reloads of the hub's own keys on an unknown ``kid``.
LOCAL_MIN_REFRESH = 1.0
#: An assertion's ``jti`` is remembered this long past its ``exp`` (covers the leeway).
ASSERTION_JTI_MARGIN = timedelta(minutes=5)


class OAuth2Runtime:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self._http_transport = http_transport
        self._http: httpx.AsyncClient | None = None
        self.local_keys = KeyCache(
            self._load_local_keys, ttl=settings.jwks_cache_ttl, min_refresh=LOCAL_MIN_REFRESH
        )
        self.trusted = TrustedIssuers(
            settings.trusted_issuers,
            self.http,
            ttl=settings.jwks_cache_ttl,
            min_refresh=settings.jwks_min_refetch,
        )
        from hub.oauth2.rfc6749 import HubAuthorizationServer  # the server needs the runtime
        from hub.oauth2.rfc6750 import BearerTokenVerifier

        self.server = HubAuthorizationServer(self)
        self.verifier = BearerTokenVerifier(self)

    @classmethod
    def of(cls, app: ASGIApp) -> OAuth2Runtime:
        """The runtime of ``app`` (a Starlette app), built on first use."""
        state = app.state  # type: ignore[attr-defined]
        runtime = getattr(state, "oauth2", None)
        if runtime is None:
            settings = getattr(state, "settings", None) or get_settings()
            runtime = state.oauth2 = cls(state.sessions, settings)
        return runtime  # type: ignore[no-any-return]

    # --- endpoints' URLs -----------------------------------------------------------

    def url(self, path: str) -> str:
        return self.settings.oauth_issuer.rstrip("/") + path

    # --- the bridge for authlib's synchronous hooks --------------------------------

    @staticmethod
    def call(func: Callable[..., Awaitable[T]], *args: Any) -> T:
        """Run an async storage call on the event loop from authlib's worker thread."""
        return anyio.from_thread.run(func, *args)

    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                transport=self._http_transport, timeout=5.0, follow_redirects=False
            )
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # --- storage (async; each call is its own short unit of work) ------------------

    async def load_client(self, client_id: str) -> OAuthClient | None:
        async with unit_of_work(self.sessions) as session:
            return await ClientRepository(session).get(client_id)

    async def signing_key(self) -> SigningKey:
        """The current signing key, read on every token request (see rfc9068). Only a
        database without any key takes the write lock, to create the first one."""
        async with unit_of_work(self.sessions) as session:
            key = await OAuth2Repository(session).active_key()
        if key is None:
            async with unit_of_work(self.sessions, write=True) as session:
                key = await signing_keys.ensure_signing_key(session)
        # The same app validates the token next: make sure its cache knows the key.
        if not self.local_keys.knows(key.kid):
            self.local_keys.invalidate()
        return key

    async def use_assertion(self, client_id: str, jti: str, exp: float) -> bool:
        expires_at = datetime.fromtimestamp(exp, UTC) + ASSERTION_JTI_MARGIN
        async with unit_of_work(self.sessions, write=True) as session:
            repo = OAuth2Repository(session)
            await repo.purge_expired(utcnow())
            return await repo.use_assertion(client_id, jti, expires_at)

    async def deny(self, issuer: str, jti: str, client_id: str, exp: float) -> None:
        expires_at = datetime.fromtimestamp(exp, UTC) + timedelta(
            seconds=self.settings.oauth_leeway
        )
        async with unit_of_work(self.sessions, write=True) as session:
            repo = OAuth2Repository(session)
            await repo.purge_expired(utcnow())
            await repo.deny(issuer, jti, client_id, expires_at)

    async def token_state(self, client_id: str, issuer: str, jti: str) -> TokenState | None:
        async with unit_of_work(self.sessions) as session:
            return await OAuth2Repository(session).token_state(client_id, issuer, jti)

    async def published_keys(self) -> list[SigningKey]:
        async with unit_of_work(self.sessions) as session:
            return await signing_keys.published_keys(session)

    async def _load_local_keys(self) -> dict[str, tuple[Key, datetime | None]]:
        return {
            k.kid: (ECKey.import_key(signing_keys.public_jwk(k)), k.published_until)
            for k in await self.published_keys()
        }


def install(
    app: Starlette,
    *,
    sessions: async_sessionmaker[AsyncSession] | None = None,
    settings: Settings | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
) -> OAuth2Runtime:
    """Build the runtime now (instead of on first use) with explicit parts."""
    runtime = OAuth2Runtime(
        sessions or app.state.sessions,
        settings or getattr(app.state, "settings", None) or get_settings(),
        http_transport=http_transport,
    )
    app.state.oauth2 = runtime
    return runtime
