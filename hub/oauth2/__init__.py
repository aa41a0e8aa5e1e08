"""The hub's OAuth 2.0 authorization server, built on authlib; modules are named after the
RFC they implement, so each can be read beside its spec.

    rfc6749    the authorization server and the client credentials grant
    rfc7523    ``private_key_jwt`` client authentication (with a database jti store)
    rfc9068    JWT access tokens: issuing (authlib's generator) and verifying
    rfc7009    revocation: a ``jti`` deny list in the database
    rfc7662    introspection
    rfc8414    authorization server metadata
    starlette  the adapter from a Starlette request to authlib's request object
    keys       signing keys: creation, rotation, the published JWKS
    trusted    tokens of trusted external issuers (their JWKS fetched and cached)
    runtime    the per-app state (caches, the server) kept in ``app.state.oauth2``
    routes     ``oauth_routes()``: the HTTP surface
"""
