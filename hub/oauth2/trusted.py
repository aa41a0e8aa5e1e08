"""Signing keys by ``kid``: the hub's own (from the database) and those of trusted external
issuers (fetched from their JWKS URL), each cached with a TTL.

A token naming an unknown ``kid`` triggers a refresh (a key was just rotated), but at most
once per ``min_refresh`` seconds, and concurrent misses share one refresh: forged kids
cannot turn into a flood of database queries or HTTP fetches.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from hub.db.types import utcnow
from hub.settings import TrustedIssuer

#: Key types a JWKS may contribute: public-key ones. A symmetric ("oct") key in a public
#: document would let anyone sign.
_ASYMMETRIC_KTY = frozenset({"RSA", "EC", "OKP"})


class KeyCache:
    """``kid`` -> public key, loaded by ``loader`` and reused for ``ttl`` seconds."""

    def __init__(
        self,
        loader: Callable[[], Awaitable[dict[str, tuple[Key, datetime | None]]]],
        *,
        ttl: float,
        min_refresh: float,
    ) -> None:
        self._loader = loader
        self.ttl = ttl
        self.min_refresh = min_refresh
        self._keys: dict[str, tuple[Key, datetime | None]] = {}
        self._loaded_at: float | None = None
        self._lock = asyncio.Lock()
        self.loads = 0

    async def get(self, kid: str) -> Key | None:
        now = time.monotonic()
        fresh = self._loaded_at is not None and now - self._loaded_at < self.ttl
        if not fresh or (kid not in self._keys and self._may_refresh(now)):
            await self._refresh(self._loaded_at)
        found = self._keys.get(kid)
        if found is None:
            return None
        key, until = found
        if until is not None and until <= utcnow():
            return None  # retired and past its publication: no valid token can use it
        return key

    def knows(self, kid: str) -> bool:
        return kid in self._keys

    def invalidate(self) -> None:
        """Force the next lookup to reload (the local server just signed with a new key)."""
        self._loaded_at = None

    def _may_refresh(self, now: float) -> bool:
        return self._loaded_at is None or now - self._loaded_at >= self.min_refresh

    async def _refresh(self, seen_loaded_at: float | None) -> None:
        async with self._lock:
            if self._loaded_at != seen_loaded_at:
                return  # another task refreshed while we waited
            try:
                self._keys = await self._loader()
            finally:
                # Also after a failure: a failing source is not retried on every request.
                self._loaded_at = time.monotonic()
                self.loads += 1


def keys_from_jwks(document: object) -> dict[str, tuple[Key, datetime | None]]:
    """Public signing keys with a ``kid`` from a JWK Set document; others are ignored."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWK Set")
    usable = [
        k for k in document["keys"]
        if isinstance(k, dict) and k.get("kid") and k.get("kty") in _ASYMMETRIC_KTY
        and k.get("use", "sig") == "sig"
        and not any(p in k for p in ("d", "p", "q", "dp", "dq", "qi", "k"))
    ]
    keyset = KeySet.import_key_set({"keys": usable})  # type: ignore[typeddict-item]
    return {str(k.kid): (k, None) for k in keyset.keys}


class TrustedIssuers:
    """The configured external issuers, each with its own cached JWKS."""

    def __init__(
        self,
        issuers: list[TrustedIssuer],
        http: Callable[[], httpx.AsyncClient],
        *,
        ttl: float,
        min_refresh: float,
    ) -> None:
        self._http = http
        self.configs = {i.issuer: i for i in issuers}
        self.caches = {
            i.issuer: KeyCache(self._loader(i), ttl=ttl, min_refresh=min_refresh)
            for i in issuers
        }

    def get(self, issuer: str) -> TrustedIssuer | None:
        return self.configs.get(issuer)

    async def key(self, issuer: str, kid: str) -> Key | None:
        return await self.caches[issuer].get(kid)

    def _loader(
        self, config: TrustedIssuer
    ) -> Callable[[], Awaitable[dict[str, tuple[Key, datetime | None]]]]:
        previous: dict[str, tuple[Key, datetime | None]] = {}

        async def load() -> dict[str, tuple[Key, datetime | None]]:
            nonlocal previous
            try:
                response = await self._http().get(config.jwks_uri)
                response.raise_for_status()
                previous = keys_from_jwks(response.json())
            except (httpx.HTTPError, ValueError, JoseError):
                pass  # keep serving the keys we had: an outage must not drop known keys
            return previous

        return load
