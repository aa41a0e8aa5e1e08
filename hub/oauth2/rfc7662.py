"""RFC 7662, token introspection, for authenticated clients.

A client may introspect its own tokens; a client granted ``admin`` may introspect any.
Anyone else learns only ``{"active": false}`` (§2.2: the server need not say why). The
answer comes from the same validation as resource requests (signature, claims, client
state, deny list), for hub tokens and trusted issuers' tokens alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from hub.auth.scopes import Scope
from hub.clients.models import OAuthClient
from hub.errors import InvalidToken
from hub.oauth2.rfc6750 import VerifiedToken

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime


class _Introspected:
    """authlib's view of a token: already known active when built."""

    def __init__(self, verified: VerifiedToken) -> None:
        self.verified = verified

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return False


class HubIntrospectionEndpoint(IntrospectionEndpoint):
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def __init__(self, runtime: OAuth2Runtime, server: Any = None) -> None:
        super().__init__(server=server)
        self.runtime = runtime
        from hub.oauth2.rfc6749 import CLIENT_AUTH_METHODS

        self.CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> _Introspected | None:
        try:
            return _Introspected(self.runtime.call(self.runtime.verifier.verify, token_string))
        except InvalidToken:
            return None

    def check_permission(self, token: _Introspected, client: OAuthClient, request: Any) -> bool:
        own = token.verified.caller.client_id == client.get_client_id()
        return own or Scope.ADMIN.value in client.scopes

    def introspect_token(self, token: _Introspected) -> dict[str, Any]:
        claims, caller = token.verified.claims, token.verified.caller
        return {
            "active": True,
            "token_type": "Bearer",
            "client_id": caller.client_id,
            "scope": " ".join(sorted(caller.scopes)),
            "sub": claims.get("sub"),
            "aud": claims.get("aud"),
            "iss": claims.get("iss"),
            "exp": claims.get("exp"),
            "iat": claims.get("iat"),
            "jti": claims.get("jti"),
            "profile": caller.profile,
            "districts": sorted(caller.districts),
        }
