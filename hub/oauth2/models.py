"""Tables of the authorization server: signing keys, the access-token deny list and the
used client-assertion ids. All three are shared by every worker and host through the
database, which is what makes rotation, revocation and replay detection hold everywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db.base import Base, IdMixin
from hub.db.types import UTCDateTime, utcnow


class SigningKey(IdMixin, Base):
    """One asymmetric key the hub signs access tokens with.

    The newest key without ``retired_at`` signs. A retired key stays published in the JWKS
    (and accepted by the hub's own validation) until ``published_until``: the moment the
    last token it signed expires.
    """

    __tablename__ = "oauth2_signing_keys"

    kid: Mapped[str] = mapped_column(String(64), unique=True)
    alg: Mapped[str] = mapped_column(String(10))
    #: The private JWK (the database is the key store; protect its backups accordingly).
    private_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RevokedToken(Base):
    """A ``jti`` that must no longer be accepted (RFC 7009). Rows outlive their token's
    ``exp`` by nothing: an expired token is refused anyway, so they are purged after it."""

    __tablename__ = "oauth2_revoked_tokens"

    issuer: Mapped[str] = mapped_column(String(300), primary_key=True)
    jti: Mapped[str] = mapped_column(String(200), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UsedAssertion(Base):
    """A ``private_key_jwt`` assertion already used (RFC 7523 §3 item 7). The primary key
    makes a replay, even a concurrent one on another worker, fail to insert."""

    __tablename__ = "oauth2_used_assertions"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jti: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
