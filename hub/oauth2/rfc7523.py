"""RFC 7523 §2.2, ``private_key_jwt``: a client proves itself with a JWT it signed with a
key whose public half it registered (``hub client set-jwks``).

Checks beyond authlib's: ``aud`` must be the issuer or the token endpoint; an assertion
may live at most ``MAX_ASSERTION_LIFETIME`` (so the jti store stays small); its ``jti`` is
inserted into a database table with a primary key, so a replay is refused on every
worker and host, even when both copies arrive at once.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from joserfc import jwt
from joserfc.jwk import KeySet

from hub.clients.models import PRIVATE_KEY_JWT, OAuthClient

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime

#: Longest ``exp - now`` accepted for an assertion, in seconds.
MAX_ASSERTION_LIFETIME = 600


class PrivateKeyJWT(JWTBearerClientAssertion):
    CLIENT_AUTH_METHOD = PRIVATE_KEY_JWT

    def __init__(self, runtime: OAuth2Runtime) -> None:
        super().__init__(validate_jti=True, leeway=runtime.settings.oauth_leeway)
        self.runtime = runtime

    def get_audiences(self) -> list[str]:
        from hub.oauth2.runtime import TOKEN_PATH

        return [self.runtime.settings.oauth_issuer, self.runtime.url(TOKEN_PATH)]

    def verify_claims(self, claims: jwt.Claims) -> None:
        exp = claims.get("exp")
        if isinstance(exp, (int, float)) and exp - time.time() > MAX_ASSERTION_LIFETIME:
            raise InvalidClientError(
                description=f"The assertion may live at most {MAX_ASSERTION_LIFETIME} s."
            )
        super().verify_claims(claims)

    def validate_jti(self, claims: dict[str, Any], jti: Any) -> bool:
        if not isinstance(jti, str) or not jti or len(jti) > 200:
            return False
        return self.runtime.call(self.runtime.use_assertion, claims["sub"], jti, claims["exp"])

    def resolve_client_public_key(self, client: OAuthClient) -> KeySet:
        if not client.jwks:
            raise InvalidClientError(description="The client has registered no keys.")
        return KeySet.import_key_set(client.jwks)  # type: ignore[arg-type]
