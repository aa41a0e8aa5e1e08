"""RFC 6750, bearer token usage: from an ``Authorization: Bearer`` token to a ``Caller``.

The order matters: nothing in a token is believed before its signature is verified with a
key chosen by ``iss`` + ``kid`` among keys the hub trusts; then the claims; then one query
reads the client's current state and the deny list. Every failure is ``InvalidToken``:
there is no path from a bad token to the public view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hub.auth.caller import Caller
from hub.errors import InvalidToken
from hub.oauth2.keys import ALGORITHM
from hub.oauth2.repository import TokenState
from hub.oauth2.rfc9068 import peek, scope_set, verify

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    claims: dict[str, Any]
    caller: Caller


class BearerTokenVerifier:
    def __init__(self, runtime: OAuth2Runtime) -> None:
        self.runtime = runtime

    async def verify(self, token: str) -> VerifiedToken:
        """Fully validate an access token (the hub's or a trusted issuer's)."""
        header, unverified = peek(token)
        issuer = unverified.get("iss")
        if not isinstance(issuer, str):
            raise InvalidToken("the token names no issuer")
        if issuer == self.runtime.settings.oauth_issuer:
            return await self._verify_hub(token, header)
        if self.runtime.trusted.get(issuer) is not None:
            return await self._verify_trusted(token, header, issuer)
        raise InvalidToken("the token's issuer is not trusted")

    async def verify_signature(self, token: str) -> dict[str, Any]:
        """Signature, issuer and audience of a hub token, expiry and state not checked:
        what revocation needs (revoking an expired or revoked token is harmless)."""
        header, _ = peek(token)
        key = await self._hub_key(header)
        settings = self.runtime.settings
        return verify(
            token, key, algorithms=[ALGORITHM], issuer=settings.oauth_issuer,
            audience=settings.oauth_audience, leeway=settings.oauth_leeway, check_exp=False,
        )

    async def _hub_key(self, header: dict[str, Any]) -> Any:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("the token names no signing key")
        key = await self.runtime.local_keys.get(kid)
        if key is None:
            raise InvalidToken("the token's signing key is unknown")
        return key

    async def _verify_hub(self, token: str, header: dict[str, Any]) -> VerifiedToken:
        settings = self.runtime.settings
        key = await self._hub_key(header)
        claims = verify(
            token, key, algorithms=[ALGORITHM], issuer=settings.oauth_issuer,
            audience=settings.oauth_audience, leeway=settings.oauth_leeway,
        )
        if not isinstance(claims["client_id"], str):
            raise InvalidToken("the token's client_id is not a string")
        state = await self._state(claims["client_id"], claims["iss"], claims["jti"])
        scopes = scope_set(claims.get("scope")) & state.scopes
        return VerifiedToken(claims, _caller(state, claims, scopes))

    async def _verify_trusted(
        self, token: str, header: dict[str, Any], issuer: str
    ) -> VerifiedToken:
        config = self.runtime.trusted.get(issuer)
        assert config is not None
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("the token names no signing key")
        key = await self.runtime.trusted.key(issuer, kid)
        if key is None:
            raise InvalidToken("the token's signing key is unknown")
        claims = verify(
            token, key, algorithms=config.algorithms, issuer=issuer,
            audience=config.audience, leeway=self.runtime.settings.oauth_leeway,
            required=("iss", "exp", "aud", "jti", config.client_claim), require_typ=False,
        )
        client_id = config.clients.get(str(claims[config.client_claim]))
        if client_id is None:
            raise InvalidToken("the token's client is not mapped to a hub client")
        state = await self._state(client_id, issuer, claims["jti"])
        asked = claims.get(config.scope_claim)
        allowed = frozenset(config.allowed_scopes)
        scopes = (scope_set(asked) & allowed if asked is not None else allowed) & state.scopes
        return VerifiedToken(claims, _caller(state, claims, scopes))

    async def _state(self, client_id: str, issuer: str, jti: Any) -> TokenState:
        if not isinstance(jti, str):
            raise InvalidToken("the token's jti is not a string")
        state = await self.runtime.token_state(client_id, issuer, jti)
        if state is None:
            raise InvalidToken("the token's client does not exist")
        if not state.active:
            raise InvalidToken("the token's client is disabled")
        if state.revoked:
            raise InvalidToken("the token has been revoked")
        return state


def _caller(state: TokenState, claims: dict[str, Any], scopes: frozenset[str]) -> Caller:
    return Caller(
        profile=state.profile.value,
        scopes=scopes,
        client_id=state.client_id,
        department=state.department,
        districts=state.districts,
        subject=str(claims.get("sub") or state.client_id),
        token_id=claims["jti"],
        issuer=claims["iss"],
    )
