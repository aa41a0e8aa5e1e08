"""RFC 9068, JWT profile for OAuth 2.0 access tokens: issuing with authlib's generator and
the checks a JWT must pass before anything in it is believed.

What the token carries: ``iss sub aud client_id scope jti iat exp`` (``typ: at+jwt``, ``kid``
in the header). The client's profile, districts and department are NOT in the token: they
are read from the client row at validation, in the same single query that checks the
deny list and whether the client is disabled. So a change to a client (districts moved,
scopes narrowed, client disabled) applies to its live tokens at once, and a token cannot
carry stale authority for up to its lifetime.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jwk import Key, KeySet

from hub.errors import InvalidToken
from hub.oauth2.keys import ALGORITHM, private_keyset

if TYPE_CHECKING:
    from hub.clients.models import OAuthClient
    from hub.oauth2.runtime import OAuth2Runtime

ACCESS_TOKEN_TYP = frozenset({"at+jwt", "application/at+jwt"})
#: Claims RFC 9068 §2.2 makes mandatory.
REQUIRED_CLAIMS = ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")


class HubJWTBearerTokenGenerator(JWTBearerTokenGenerator):
    """authlib's RFC 9068 generator with the hub's key, audience and lifetime.

    ``get_jwks`` runs in authlib's worker thread and fetches the current signing key from
    the database on every token request (never cached): after ``hub keys rotate`` no
    worker signs with the retired key, so ``published_until`` bounds its tokens.
    """

    def __init__(self, runtime: OAuth2Runtime) -> None:
        settings = runtime.settings
        super().__init__(
            issuer=settings.oauth_issuer,
            alg=ALGORITHM,
            expires_generator=settings.access_token_lifetime,
        )
        self.runtime = runtime

    def get_jwks(self) -> KeySet:
        key = self.runtime.call(self.runtime.signing_key)
        return private_keyset(key)

    def get_audiences(self, client: OAuthClient, user: Any, scope: str) -> str:
        return self.runtime.settings.oauth_audience


def peek(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of a compact JWS, NOT verified: only to choose the issuer and key.
    Anything that is not a well-formed JWS with a JSON object payload is refused here."""
    try:
        obj = jws.extract_compact(token.encode("ascii"))
        claims = json.loads(obj.payload)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise InvalidToken("the token is not a well-formed JWT") from exc
    header = obj.headers()
    if not isinstance(claims, dict) or not isinstance(header, dict):
        raise InvalidToken("the token is not a well-formed JWT")
    return header, claims


def verify(
    token: str,
    key: Key,
    *,
    algorithms: Collection[str],
    issuer: str,
    audience: str,
    leeway: int,
    required: Collection[str] = REQUIRED_CLAIMS,
    require_typ: bool = True,
    check_exp: bool = True,
) -> dict[str, Any]:
    """Verify signature and claims; return the claims. ``algorithms`` is an explicit
    allow-list, so ``alg: none`` and HS256 keyed with a public key never verify."""
    try:
        decoded = jwt.decode(token, key, algorithms=list(algorithms))
    except JoseError as exc:
        raise InvalidToken("the token signature is invalid") from exc
    if require_typ and str(decoded.header.get("typ", "")).lower() not in ACCESS_TOKEN_TYP:
        raise InvalidToken("the token is not an access token (typ must be at+jwt)")
    options: dict[str, Any] = {name: {"essential": True} for name in required}
    options["iss"] = {"essential": True, "value": issuer}
    options["aud"] = {"essential": True, "value": audience}
    claims = dict(decoded.claims)
    if not check_exp:
        claims.pop("exp", None)
        options.pop("exp", None)
    try:
        jwt.JWTClaimsRegistry(leeway=leeway, **options).validate(claims)
    except ExpiredTokenError as exc:
        raise InvalidToken("the token has expired") from exc
    except MissingClaimError as exc:
        raise InvalidToken(f"the token is not valid ({exc.description})") from exc
    except JoseError as exc:
        raise InvalidToken(f"the token is not valid ({exc.description})") from exc
    return dict(decoded.claims)


def scope_set(value: Any) -> frozenset[str]:
    """A ``scope`` claim as a set: RFC 9068 says a space-separated string; some issuers
    send a list."""
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()
