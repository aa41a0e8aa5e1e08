"""Client secrets: generated once, shown once, stored as a slow hash.

scrypt (hashlib, no extra dependency) makes a stolen table expensive to brute-force; the
comparison is constant-time. Verification costs ~tens of milliseconds of CPU, which is why
the token endpoint runs it in a worker thread (authlib calls ``check_client_secret`` there).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P, _DKLEN = 2**14, 8, 1, 32
_SCHEME = "scrypt"


def generate_secret() -> str:
    """A 256-bit random secret, URL-safe so it survives Basic auth and form encoding."""
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return "$".join(
        [_SCHEME, str(_N), str(_R), str(_P), _b64(salt), _b64(digest)]
    )


def verify_secret(secret: str, encoded: str | None) -> bool:
    """True when ``secret`` matches; False for any malformed or missing hash."""
    if not encoded or not secret:
        return False
    try:
        scheme, n, r, p, salt, expected = encoded.split("$")
        if scheme != _SCHEME:
            return False
        digest = hashlib.scrypt(
            secret.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(_unb64(expected)),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
