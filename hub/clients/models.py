"""The ``oauth2_clients`` table. The model is also authlib's client (``ClientMixin``): the
authorization server asks it which grant, authentication methods and scopes it may use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.util import scope_to_list
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.auth.scopes import format_scopes
from hub.clients.secrets import verify_secret
from hub.db.base import Base, IdMixin, TimestampMixin
from hub.db.enums import enum_column
from hub.db.types import UTCDateTime
from hub.domains.departments.models import Profile

#: Authentication methods at the token, introspection and revocation endpoints.
SECRET_METHODS = frozenset({"client_secret_basic", "client_secret_post"})
PRIVATE_KEY_JWT = "private_key_jwt"
CLIENT_CREDENTIALS = "client_credentials"


class OAuthClient(IdMixin, TimestampMixin, Base, ClientMixin):
    __tablename__ = "oauth2_clients"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    profile: Mapped[Profile] = mapped_column(enum_column(Profile))
    #: Granted scopes (a list of ``Scope`` values): the most any token of the client carries.
    scopes: Mapped[list[str]] = mapped_column(JSON)
    #: GB/T 2260 division codes; required for DISTRICT clients, empty for the others.
    districts: Mapped[list[str]] = mapped_column(JSON)
    department: Mapped[str | None] = mapped_column(String(40))
    secret_hash: Mapped[str | None] = mapped_column(String(255))
    #: Public keys for ``private_key_jwt`` (RFC 7523), as a JWK Set.
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    # --- authlib's ClientMixin -------------------------------------------------------

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None  # client credentials only: no redirects

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == CLIENT_CREDENTIALS

    def get_allowed_scope(self, scope: str | None) -> str:
        """No ``scope`` means every granted scope (RFC 6749 §3.3 lets the server pick the
        default); a requested scope beyond the grant was already refused by the grant."""
        granted = set(self.scopes)
        if not scope:
            return format_scopes(granted)
        return format_scopes(granted.intersection(scope_to_list(scope) or []))

    def check_client_secret(self, client_secret: str) -> bool:
        return self.is_active and verify_secret(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        if not self.is_active:
            return False
        if method in SECRET_METHODS:
            return self.secret_hash is not None
        if method == PRIVATE_KEY_JWT:
            return bool(self.jwks and self.jwks.get("keys"))
        return False
