"""Signing keys: ES256 keys kept in the database, rotated by ``hub keys rotate``.

Why ES256: small keys and signatures, fast to verify, and an asymmetric key means resource
servers (and agencies) verify with the public JWKS only. Why the database: every worker and
host signs and verifies with the same keys, and rotation is one transaction.

Rotation retires the signing key but keeps it published (and accepted) until the last token
it can have signed expires: ``published_until = retired_at + token lifetime + leeway``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from joserfc.jwk import ECKey, KeySet
from sqlalchemy.ext.asyncio import AsyncSession

from hub.db.types import utcnow
from hub.oauth2.models import SigningKey
from hub.oauth2.repository import OAuth2Repository
from hub.settings import Settings

ALGORITHM = "ES256"
_CURVE = "P-256"


def new_signing_key(now: datetime | None = None) -> SigningKey:
    """A fresh key; its ``kid`` is the RFC 7638 thumbprint."""
    key = ECKey.generate_key(
        _CURVE, parameters={"alg": ALGORITHM, "use": "sig"}, private=True, auto_kid=True
    )
    return SigningKey(
        kid=str(key.kid),
        alg=ALGORITHM,
        private_jwk=dict(key.as_dict(private=True)),
        created_at=now or utcnow(),
    )


async def ensure_signing_key(session: AsyncSession) -> SigningKey:
    """The key that signs now; the first one is created on first use (a fresh install or
    a demo needs no extra step). Production runs ``hub keys rotate`` at install time."""
    repo = OAuth2Repository(session)
    key = await repo.active_key()
    if key is None:
        key = new_signing_key()
        await repo.add_key(key)
    return key


async def rotate_signing_key(session: AsyncSession, settings: Settings) -> SigningKey:
    """Retire the signing key(s) and add a new one; the old ones stay published until
    every token they signed has expired."""
    now = utcnow()
    repo = OAuth2Repository(session)
    until = now + timedelta(seconds=settings.access_token_lifetime + settings.oauth_leeway)
    await repo.retire_active_keys(now, until)
    key = new_signing_key(now)
    await repo.add_key(key)
    return key


async def published_keys(session: AsyncSession) -> list[SigningKey]:
    return list(await OAuth2Repository(session).published_keys(utcnow()))


def private_keyset(key: SigningKey) -> KeySet:
    """What authlib's JWT generator signs with: one key, so joserfc puts its kid in the
    header."""
    return KeySet([ECKey.import_key(key.private_jwk)])


def public_jwk(key: SigningKey) -> dict[str, Any]:
    return dict(ECKey.import_key(key.private_jwk).as_dict(private=False))


def public_jwks(keys: Iterable[SigningKey]) -> dict[str, Any]:
    """The RFC 7517 JWK Set served at ``/oauth/jwks``: public parts only."""
    return {"keys": [public_jwk(k) for k in keys]}
