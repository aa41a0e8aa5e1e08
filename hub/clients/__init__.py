"""OAuth clients of the hub: the agency systems that call it, each of one department profile,
with its granted scopes, its districts and its credentials (a hashed secret and/or a JWKS)."""
