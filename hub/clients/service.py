"""Use cases for clients. Services never commit: the caller's unit of work does."""

from __future__ import annotations

import secrets as _random
from collections.abc import Iterable, Sequence
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.scopes import PROFILE_SCOPES, Scope, format_scopes, parse_scopes
from hub.clients.models import OAuthClient
from hub.clients.repository import ClientRepository
from hub.clients.secrets import generate_secret, hash_secret
from hub.db.types import utcnow
from hub.domains.departments.models import Profile
from hub.domains.identifiers import validate_division_code
from hub.errors import Conflict, InvalidInput, NotFound


def _profile(value: Profile | str) -> Profile:
    try:
        return value if isinstance(value, Profile) else Profile(value.upper())
    except ValueError:
        names = ", ".join(p.value for p in Profile)
        raise InvalidInput(f"unknown profile {value!r}; one of {names}", field="profile") from None


def _districts(profile: Profile, districts: Iterable[str]) -> list[str]:
    codes = sorted({validate_division_code(d, field="district") for d in districts})
    if profile is Profile.DISTRICT and not codes:
        raise InvalidInput("a DISTRICT client needs at least one district code", field="district")
    return codes


def _scopes(profile: Profile, scopes: Iterable[str] | str | None) -> list[str]:
    chosen: frozenset[Scope] = (
        PROFILE_SCOPES[profile] if scopes is None else parse_scopes(scopes)
    )
    return format_scopes(chosen).split()


def _new_client_id(profile: Profile) -> str:
    return f"{profile.value.lower()}-{_random.token_hex(8)}"


def validate_jwks(jwks: dict[str, Any]) -> dict[str, Any]:
    """A JWK Set of public signing keys: private material is refused (it would be stored)."""
    try:
        keyset = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"not a valid JWK Set: {exc}", field="jwks") from None
    if not keyset.keys:
        raise InvalidInput("the JWK Set has no keys", field="jwks")
    if any(k.is_private for k in keyset.keys):
        raise InvalidInput("the JWK Set holds private keys: give public keys only", field="jwks")
    return dict(keyset.as_dict(private=False))


async def create_client(
    session: AsyncSession,
    name: str,
    profile: Profile | str,
    districts: Iterable[str] = (),
    scopes: Iterable[str] | str | None = None,
    *,
    department: str | None = None,
    jwks: dict[str, Any] | None = None,
    with_secret: bool = True,
) -> tuple[str, str | None]:
    """Register a client; return ``(client_id, secret)``. The secret is shown only here:
    the database keeps its scrypt hash. ``scopes=None`` grants the profile's defaults.
    ``with_secret=False`` makes a ``private_key_jwt``-only client (``jwks`` required)."""
    repo = ClientRepository(session)
    name = name.strip()
    if not name:
        raise InvalidInput("a client needs a name", field="name")
    if await repo.get_by_name(name) is not None:
        raise Conflict(f"a client named {name!r} exists", field="name")
    prof = _profile(profile)
    if not with_secret and not jwks:
        raise InvalidInput("a client without a secret needs a JWK Set", field="jwks")
    secret = generate_secret() if with_secret else None
    client = OAuthClient(
        client_id=_new_client_id(prof),
        name=name,
        profile=prof,
        scopes=_scopes(prof, scopes),
        districts=_districts(prof, districts),
        department=department,
        secret_hash=hash_secret(secret) if secret else None,
        jwks=validate_jwks(jwks) if jwks else None,
    )
    await repo.add(client)
    return client.client_id, secret


async def ensure_client(
    session: AsyncSession,
    name: str,
    profile: Profile | str,
    districts: Iterable[str] = (),
    scopes: Iterable[str] | str | None = None,
    *,
    department: str | None = None,
) -> tuple[str, str | None]:
    """Idempotent ``create_client`` for demo set-up: an existing client of that name is
    returned as ``(client_id, None)`` (its secret cannot be recovered; use
    ``rotate_secret`` to get a new one). It must match the profile asked for."""
    existing = await ClientRepository(session).get_by_name(name.strip())
    if existing is None:
        return await create_client(
            session, name, profile, districts, scopes, department=department
        )
    if existing.profile is not _profile(profile):
        raise Conflict(
            f"client {name!r} exists with profile {existing.profile.value}", field="name"
        )
    return existing.client_id, None


async def get_client(session: AsyncSession, client_id: str) -> OAuthClient:
    client = await ClientRepository(session).get(client_id)
    if client is None:
        raise NotFound(f"no client {client_id!r}")
    return client


async def list_clients(session: AsyncSession) -> Sequence[OAuthClient]:
    return await ClientRepository(session).list()


async def disable_client(session: AsyncSession, client_id: str) -> OAuthClient:
    """Every token of the client stops working at once: validation reads client state."""
    client = await get_client(session, client_id)
    if client.disabled_at is None:
        client.disabled_at = utcnow()
        await ClientRepository(session).flush()
    return client


async def enable_client(session: AsyncSession, client_id: str) -> OAuthClient:
    client = await get_client(session, client_id)
    client.disabled_at = None
    await ClientRepository(session).flush()
    return client


async def rotate_secret(session: AsyncSession, client_id: str) -> str:
    """A new secret replaces the old one at once (tokens already issued stay valid)."""
    client = await get_client(session, client_id)
    secret = generate_secret()
    client.secret_hash = hash_secret(secret)
    await ClientRepository(session).flush()
    return secret


async def set_jwks(session: AsyncSession, client_id: str, jwks: dict[str, Any] | None) -> None:
    """Register (or, with ``None``, remove) the public keys for ``private_key_jwt``."""
    client = await get_client(session, client_id)
    client.jwks = validate_jwks(jwks) if jwks else None
    await ClientRepository(session).flush()


def client_summary(client: OAuthClient) -> dict[str, Any]:
    """A client as the CLI and logs show it: never a secret or its hash."""
    methods = []
    if client.secret_hash:
        methods += ["client_secret_basic", "client_secret_post"]
    if client.jwks:
        methods.append("private_key_jwt")
    return {
        "client_id": client.client_id,
        "name": client.name,
        "profile": client.profile.value,
        "scopes": list(client.scopes),
        "districts": list(client.districts),
        "department": client.department,
        "auth_methods": methods,
        "disabled": client.disabled_at is not None,
    }
