"""Authorization server metadata."""

from __future__ import annotations

import httpx


async def test_metadata(http: httpx.AsyncClient) -> None:
    meta = (await http.get("/.well-known/oauth-authorization-server")).json()
    base = "http://127.0.0.1:8000"
    assert meta["issuer"] == base
    assert meta["token_endpoint"] == base + "/oauth/token"
    assert meta["jwks_uri"] == base + "/oauth/jwks"
    assert meta["introspection_endpoint"] == base + "/oauth/introspect"
    assert meta["revocation_endpoint"] == base + "/oauth/revoke"
    assert meta["grant_types_supported"] == ["client_credentials"]
    assert set(meta["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic", "client_secret_post", "private_key_jwt"}
    assert "wages:read" in meta["scopes_supported"]
    assert "HS256" not in meta["token_endpoint_auth_signing_alg_values_supported"]
