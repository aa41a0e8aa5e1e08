"""The HTTP surface of the authorization server: ``oauth_routes()`` returns Starlette
routes to mount at the root of the integrator's app (the well-known path is fixed by
RFC 8414, and the endpoint URLs in the metadata are the issuer plus these paths).

The app must hold ``app.state.sessions`` (and may hold ``app.state.settings``); see
``hub.oauth2.runtime``.
"""

from __future__ import annotations

from authlib.oauth2.rfc6749.errors import OAuth2Error
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.oauth2.keys import public_jwks
from hub.oauth2.rfc8414 import server_metadata
from hub.oauth2.runtime import (
    INTROSPECTION_PATH,
    JWKS_PATH,
    METADATA_PATH,
    REVOCATION_PATH,
    TOKEN_PATH,
    OAuth2Runtime,
)
from hub.oauth2.starlette import StarletteOAuth2Request

#: How long HTTP caches may keep the JWKS. Short, so that a rotated key is seen soon by
#: verifiers that do not refetch on an unknown kid.
JWKS_MAX_AGE = 60


async def _adapted(request: Request, runtime: OAuth2Runtime) -> StarletteOAuth2Request | Response:
    try:
        return await StarletteOAuth2Request.read(request, runtime.settings.oauth_issuer)
    except OAuth2Error as error:
        return runtime.server.handle_response(*error())


async def token(request: Request) -> Response:
    runtime = OAuth2Runtime.of(request.app)
    adapted = await _adapted(request, runtime)
    if isinstance(adapted, Response):
        return adapted
    return await run_in_threadpool(runtime.server.create_token_response, adapted)


async def introspect(request: Request) -> Response:
    return await _endpoint(request, "introspection")


async def revoke(request: Request) -> Response:
    return await _endpoint(request, "revocation")


async def _endpoint(request: Request, name: str) -> Response:
    runtime = OAuth2Runtime.of(request.app)
    adapted = await _adapted(request, runtime)
    if isinstance(adapted, Response):
        return adapted
    response = await run_in_threadpool(runtime.server.create_endpoint_response, name, adapted)
    assert response is not None
    return response  # type: ignore[no-any-return]


async def jwks(request: Request) -> Response:
    runtime = OAuth2Runtime.of(request.app)
    keys = await runtime.published_keys()
    return JSONResponse(
        public_jwks(keys),
        headers={"Cache-Control": f"public, max-age={JWKS_MAX_AGE}"},
        media_type="application/jwk-set+json",
    )


async def metadata(request: Request) -> Response:
    runtime = OAuth2Runtime.of(request.app)
    return JSONResponse(server_metadata(runtime), headers={"Cache-Control": "public, max-age=300"})


def oauth_routes() -> list[Route]:
    return [
        Route(METADATA_PATH, metadata, methods=["GET"]),
        Route(JWKS_PATH, jwks, methods=["GET"]),
        Route(TOKEN_PATH, token, methods=["POST"]),
        Route(INTROSPECTION_PATH, introspect, methods=["POST"]),
        Route(REVOCATION_PATH, revoke, methods=["POST"]),
    ]
