"""RFC 7009, token revocation, for JWT access tokens.

authlib's ``JWTRevocationEndpoint`` refuses to revoke JWTs (a signed token cannot be
unsigned); the hub revokes them by adding the ``jti`` to a deny list in the database,
which every validation reads, so a revoked token stops working at once on every worker.
A client may revoke only its own tokens; a token that is not the hub's, is malformed or
has expired needs no revoking and gets the same 200 (§2.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc7009 import RevocationEndpoint

from hub.errors import InvalidToken

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime


@dataclass(frozen=True, slots=True)
class RevocableToken:
    issuer: str
    jti: str
    client_id: str
    exp: float

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client_id


class HubRevocationEndpoint(RevocationEndpoint):
    SUPPORTED_TOKEN_TYPES = ("access_token",)

    def __init__(self, runtime: OAuth2Runtime, server: Any = None) -> None:
        super().__init__(server=server)
        self.runtime = runtime
        from hub.oauth2.rfc6749 import CLIENT_AUTH_METHODS

        self.CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> RevocableToken | None:
        try:
            claims = self.runtime.call(self.runtime.verifier.verify_signature, token_string)
        except InvalidToken:
            return None
        jti, client_id, exp = claims.get("jti"), claims.get("client_id"), claims.get("exp")
        if not (isinstance(jti, str) and isinstance(client_id, str)
                and isinstance(exp, (int, float))):
            return None
        return RevocableToken(claims["iss"], jti, client_id, float(exp))

    def revoke_token(self, token: RevocableToken, request: Any) -> None:
        self.runtime.call(self.runtime.deny, token.issuer, token.jti, token.client_id, token.exp)
