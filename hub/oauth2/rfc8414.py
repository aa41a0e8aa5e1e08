"""RFC 8414, authorization server metadata, served at
``/.well-known/oauth-authorization-server``, checked with authlib's metadata model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc8414 import AuthorizationServerMetadata

from hub.auth.scopes import ALL_SCOPES
from hub.settings import ASYMMETRIC_ALGORITHMS

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime


class HubMetadata(AuthorizationServerMetadata):
    def validate_response_types_supported(self) -> None:
        # RFC 8414 makes the member REQUIRED; the hub has no authorization endpoint, so
        # the honest value is an empty list (authlib would insist on a non-empty one).
        if self.get("response_types_supported") != []:
            super().validate_response_types_supported()


def server_metadata(runtime: OAuth2Runtime) -> dict[str, Any]:
    """The metadata document. ``ValueError`` when the issuer setting is unusable (for
    example plain http on a host other than loopback)."""
    from hub.oauth2.rfc6749 import CLIENT_AUTH_METHODS
    from hub.oauth2.runtime import INTROSPECTION_PATH, JWKS_PATH, REVOCATION_PATH, TOKEN_PATH

    methods = list(CLIENT_AUTH_METHODS)
    signing = sorted(ASYMMETRIC_ALGORITHMS)
    metadata = HubMetadata(
        {
            "issuer": runtime.settings.oauth_issuer,
            "token_endpoint": runtime.url(TOKEN_PATH),
            "jwks_uri": runtime.url(JWKS_PATH),
            "scopes_supported": list(ALL_SCOPES),
            "response_types_supported": [],
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": methods,
            "token_endpoint_auth_signing_alg_values_supported": signing,
            "revocation_endpoint": runtime.url(REVOCATION_PATH),
            "revocation_endpoint_auth_methods_supported": methods,
            "revocation_endpoint_auth_signing_alg_values_supported": signing,
            "introspection_endpoint": runtime.url(INTROSPECTION_PATH),
            "introspection_endpoint_auth_methods_supported": methods,
            "introspection_endpoint_auth_signing_alg_values_supported": signing,
        }
    )
    metadata.validate()
    return dict(metadata)
