"""All SQL of the authorization server: signing keys, the deny list, used assertions, and
the one query a resource request costs (client state + deny list, one round trip)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clients.models import OAuthClient
from hub.domains.departments.models import Profile
from hub.oauth2.models import RevokedToken, SigningKey, UsedAssertion


@dataclass(frozen=True, slots=True)
class TokenState:
    """What a resource request needs to know beyond the token itself."""

    client_id: str
    profile: Profile
    scopes: frozenset[str]
    districts: frozenset[str]
    department: str | None
    active: bool
    revoked: bool


class OAuth2Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- signing keys --------------------------------------------------------------

    async def active_key(self) -> SigningKey | None:
        return await self.session.scalar(
            select(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .order_by(SigningKey.id.desc())
            .limit(1)
        )

    async def published_keys(self, now: datetime) -> Sequence[SigningKey]:
        return (
            await self.session.scalars(
                select(SigningKey)
                .where(or_(SigningKey.published_until.is_(None), SigningKey.published_until > now))
                .order_by(SigningKey.id.desc())
            )
        ).all()

    async def all_keys(self) -> Sequence[SigningKey]:
        return (await self.session.scalars(select(SigningKey).order_by(SigningKey.id))).all()

    async def add_key(self, key: SigningKey) -> None:
        self.session.add(key)
        await self.session.flush()

    async def retire_active_keys(self, now: datetime, published_until: datetime) -> None:
        await self.session.execute(
            update(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .values(retired_at=now, published_until=published_until)
        )

    # --- deny list and used assertions ---------------------------------------------

    async def deny(self, issuer: str, jti: str, client_id: str, expires_at: datetime) -> None:
        """Add to the deny list; revoking twice is not an error (RFC 7009 §2.2)."""
        await self._insert_ignore(
            RevokedToken,
            {"issuer": issuer, "jti": jti, "client_id": client_id, "expires_at": expires_at},
        )

    async def use_assertion(self, client_id: str, jti: str, expires_at: datetime) -> bool:
        """Record an assertion id; False when it was already there (a replay)."""
        return await self._insert_ignore(
            UsedAssertion, {"client_id": client_id, "jti": jti, "expires_at": expires_at}
        )

    async def purge_expired(self, now: datetime) -> None:
        await self.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
        await self.session.execute(delete(UsedAssertion).where(UsedAssertion.expires_at < now))

    async def token_state(self, client_id: str, issuer: str, jti: str) -> TokenState | None:
        """The client's current state and whether ``jti`` is denied: one statement."""
        revoked = (
            select(RevokedToken.jti)
            .where(RevokedToken.issuer == issuer, RevokedToken.jti == jti)
            .exists()
        )
        row = (
            await self.session.execute(
                select(
                    OAuthClient.client_id,
                    OAuthClient.profile,
                    OAuthClient.scopes,
                    OAuthClient.districts,
                    OAuthClient.department,
                    OAuthClient.disabled_at,
                    revoked.label("revoked"),
                ).where(OAuthClient.client_id == client_id)
            )
        ).first()
        if row is None:
            return None
        return TokenState(
            client_id=row.client_id,
            profile=row.profile,
            scopes=frozenset(row.scopes or ()),
            districts=frozenset(row.districts or ()),
            department=row.department,
            active=row.disabled_at is None,
            revoked=bool(row.revoked),
        )

    async def _insert_ignore(self, model: type[Any], values: dict[str, Any]) -> bool:
        # INSERT ... ON CONFLICT DO NOTHING: a duplicate neither raises nor aborts the
        # transaction (PostgreSQL would), and a concurrent duplicate loses cleanly.
        dialect = self.session.bind.dialect.name if self.session.bind else "postgresql"
        insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
        result = await self.session.execute(
            insert(model).values(**values).on_conflict_do_nothing()
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
