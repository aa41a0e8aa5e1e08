"""RFC 6749: the authorization server and its one grant, client credentials (§4.4).

authlib does the protocol (parameter checks, client authentication, error responses); this
module gives it storage hooks and a Starlette response. Everything here runs in a worker
thread; storage hooks reach the database through ``OAuth2Runtime.call``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from authlib.oauth2.rfc6749 import AuthorizationServer, grants
from authlib.oauth2.rfc6749.errors import InvalidScopeError
from authlib.oauth2.rfc6749.util import scope_to_list
from starlette.responses import JSONResponse, Response

from hub.auth.scopes import ALL_SCOPES
from hub.clients.models import PRIVATE_KEY_JWT, OAuthClient
from hub.oauth2.rfc7009 import HubRevocationEndpoint
from hub.oauth2.rfc7523 import PrivateKeyJWT
from hub.oauth2.rfc7662 import HubIntrospectionEndpoint
from hub.oauth2.rfc9068 import HubJWTBearerTokenGenerator
from hub.oauth2.starlette import StarletteOAuth2Request

if TYPE_CHECKING:
    from hub.oauth2.runtime import OAuth2Runtime

log = structlog.get_logger(__name__)

#: How clients authenticate at every endpoint (token, introspection, revocation).
CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", PRIVATE_KEY_JWT]


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    """§4.4 with the hub's three authentication methods and scope rules: asking for a
    scope the client was not granted is ``invalid_scope`` (never silently narrowed);
    asking for none yields every granted scope (see ``OAuthClient.get_allowed_scope``)."""

    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def validate_requested_scope(self) -> None:
        requested = set(scope_to_list(self.request.payload.scope) or [])
        client: OAuthClient = self.request.client
        beyond = requested - set(client.scopes)
        if beyond:
            raise InvalidScopeError(
                f"Scope not granted to this client: {' '.join(sorted(beyond))}"
            )
        super().validate_requested_scope()


class HubAuthorizationServer(AuthorizationServer):
    def __init__(self, runtime: OAuth2Runtime) -> None:
        super().__init__(scopes_supported=list(ALL_SCOPES))
        self.runtime = runtime
        self.register_grant(ClientCredentialsGrant)
        self.register_client_auth_method(PRIVATE_KEY_JWT, PrivateKeyJWT(runtime))
        self.register_token_generator("default", HubJWTBearerTokenGenerator(runtime))
        self.register_endpoint(HubRevocationEndpoint(runtime, server=self))
        self.register_endpoint(HubIntrospectionEndpoint(runtime, server=self))

    def query_client(self, client_id: str) -> OAuthClient | None:
        # A disabled client is returned: its ClientMixin methods refuse every method.
        return self.runtime.call(self.runtime.load_client, client_id)

    def save_token(self, token: dict[str, Any], request: StarletteOAuth2Request) -> None:
        """Nothing to store: the JWT is self-contained and revocation is a deny list."""
        log.info(
            "oauth2.token_issued",
            client_id=request.client.get_client_id(),
            scope=token.get("scope"),
            auth_method=request.auth_method,
        )

    def create_oauth2_request(self, request: StarletteOAuth2Request) -> StarletteOAuth2Request:
        return request  # already adapted on the event loop (hub.oauth2.starlette)

    def create_json_request(self, request: Any) -> Any:
        raise NotImplementedError("no JSON endpoints")

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]] | dict[str, str]
    ) -> Response:
        return JSONResponse(body, status_code=status, headers=dict(headers or {}))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        log.debug("oauth2.signal", signal=name)
