"""The adapter from a Starlette request to authlib's request object.

authlib ships no Starlette server integration and its server is synchronous, so the body
is read here, on the event loop, and authlib then works on this snapshot in a worker
thread. The URI handed to authlib is the public one (the configured issuer plus the path):
authlib refuses plain http except on loopback, and behind a TLS-terminating proxy the
ASGI scope would say http even though clients used https.
"""

from __future__ import annotations

from collections import defaultdict

from authlib.oauth2.rfc6749 import OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request


class StarletteOAuth2Payload(OAuth2Payload):
    """Parameters of the request: the form body for POST, the query string otherwise."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in items:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class StarletteOAuth2Request(OAuth2Request):
    def __init__(
        self, method: str, uri: str, headers: Headers, form: list[tuple[str, str]],
        args: QueryParams,
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self.payload = StarletteOAuth2Payload(form if method == "POST" else list(args.multi_items()))
        self._args = args

    @property
    def args(self) -> QueryParams:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data

    @classmethod
    async def read(cls, request: Request, public_base: str) -> StarletteOAuth2Request:
        """Snapshot ``request``; a repeated parameter is ``invalid_request`` (RFC 6749 §3.2:
        parameters MUST NOT be included more than once)."""
        form: list[tuple[str, str]] = []
        if request.method == "POST":
            async with request.form(max_files=0, max_fields=50) as data:
                form = [(k, v) for k, v in data.multi_items() if isinstance(v, str)]
        seen: set[str] = set()
        for key, _ in form:
            if key in seen:
                raise InvalidRequestError(f"Parameter {key!r} is repeated.")
            seen.add(key)
        uri = public_base.rstrip("/") + request.url.path
        if request.url.query:
            uri += "?" + request.url.query
        return cls(request.method, uri, request.headers, form, request.query_params)
