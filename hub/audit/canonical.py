"""The canonical encoding of audit data: the exact bytes that get hashed and signed.

Why a written-down encoding: a verifier on another machine (or in another language) must
rebuild byte-for-byte what the hub hashed, from a database row or an export line. The rules:

- JSON (RFC 8259), UTF-8, no insignificant whitespace (separators ``,`` and ``:``), object keys
  sorted by Unicode code point, non-ASCII characters written as themselves (not ``\\uXXXX``);
  control characters, ``"`` and ``\\`` escaped as Python's ``json`` module does.
- ``None``, ``bool``, ``int`` (any size) and ``str`` as JSON. ``float`` as the shortest
  repr that round-trips (Python's ``repr``); NaN and infinities are refused.
- ``Decimal`` as a JSON *string* of its exact digits (``Decimal("12.50")`` -> ``"12.50"``), so no
  precision is lost to a binary float. NaN/infinite decimals are refused.
- ``datetime`` must be timezone-aware; it becomes a UTC string with exactly six fractional
  digits: ``2026-11-22T00:35:52.886310Z``. ``date`` becomes ``YYYY-MM-DD``.
- tuples as lists; sets and frozensets as lists sorted by their own canonical bytes; enums
  by their value; UUIDs as strings. Mapping keys must be strings. Bytes are refused (the
  caller decides between hex and base64).

``normalize`` turns a Python value into plain JSON types following these rules; the hub stores
the normalised value, so what comes back from the database re-encodes to the same bytes.
This module is pure and imports nothing of the hub's database code.
"""

from __future__ import annotations

import enum
import json
import math
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class CanonicalError(ValueError):
    """A value that has no canonical encoding (naive datetime, NaN, bytes, non-string key)."""


def format_time(value: datetime) -> str:
    """UTC, microseconds, ``Z``: the one textual form of an instant in the audit log."""
    if value.tzinfo is None:
        raise CanonicalError("naive datetime has no canonical form; give it a time zone")
    return value.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    """Inverse of :func:`format_time` (strict: refuses any other layout)."""
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def normalize(value: Any) -> Any:
    """Return ``value`` as plain JSON types (dict, list, str, int, float, bool, None)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return normalize(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalError("NaN and infinities have no canonical form")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CanonicalError("NaN and infinite decimals have no canonical form")
        return str(value)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"object keys must be strings, got {type(key).__name__}")
            out[key] = normalize(item)
        return out
    if isinstance(value, (list, tuple)):
        return [normalize(item) for item in value]
    if isinstance(value, (set, frozenset)):
        items = [normalize(item) for item in value]
        return sorted(items, key=_encode)
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise CanonicalError("bytes have no canonical form: encode them as hex or base64 first")
    raise CanonicalError(f"{type(value).__name__} has no canonical form")


def _encode(value: Any) -> bytes:
    try:
        text = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        return text.encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        raise CanonicalError(str(exc)) from exc


def canonical_bytes(value: Any) -> bytes:
    """The canonical encoding of ``value`` (see the module docstring)."""
    return _encode(normalize(value))
