"""The edge of every resource request: ``authenticate`` turns the ``Authorization`` header
into a ``Caller``; ``invalid_token_response`` is the RFC 6750 §3 answer to a bad token.

    caller = await authenticate(request)           # PUBLIC when no Authorization header
    ...
    except InvalidToken as exc:
        return invalid_token_response(exc)         # 401, WWW-Authenticate: Bearer ...

Cost: no thread, no blocking call; at most one small database query per request (client
state and deny list together), plus a key reload when a new ``kid`` appears (bounded).
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from hub.auth.caller import PUBLIC, Caller
from hub.errors import InvalidToken
from hub.oauth2.runtime import OAuth2Runtime

__all__ = ["InvalidToken", "authenticate", "invalid_token_response"]

#: Longest token looked at: hub tokens are well under 1 kB; this bounds parsing work.
MAX_TOKEN_LENGTH = 8192


async def authenticate(
    request: HTTPConnection, runtime: OAuth2Runtime | None = None
) -> Caller:
    """The caller of ``request``. No ``Authorization`` header: ``PUBLIC``. Anything else
    that is not a valid bearer access token raises ``InvalidToken``, never ``PUBLIC``."""
    header = request.headers.get("authorization")
    if header is None:
        return PUBLIC
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise InvalidToken("the Authorization header must be 'Bearer <access token>'")
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("the token is too long")
    runtime = runtime or OAuth2Runtime.of(request.app)
    return (await runtime.verifier.verify(token)).caller


def invalid_token_response(error: InvalidToken) -> JSONResponse:
    """HTTP 401 with ``WWW-Authenticate: Bearer error="invalid_token", ...`` and a JSON
    body carrying the hub's error code."""
    description = error.message.replace("\\", "").replace('"', "'")
    return JSONResponse(
        {"errors": [{"message": error.message, "extensions": error.as_extensions()}]},
        status_code=401,
        headers={
            "WWW-Authenticate": (
                f'Bearer error="invalid_token", error_description="{description}"'
            ),
            "Cache-Control": "no-store",
        },
    )
