"""What one operation leaves in the log: the ``AuditEvent`` the hub fills in, and the record
body it becomes once the store gives it a sequence number and a time.

Pure (no database code): the verifier and the export use the same field list.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.audit.canonical import CanonicalError, format_time, normalize
from hub.audit.errors import AuditEventInvalid

_KEYED_HASH_RE = re.compile(r"^[0-9a-f]{64}$")


class Outcome(enum.StrEnum):
    OK = "OK"
    PARTIAL = "PARTIAL"
    VALIDATION_ERROR = "VALIDATION_ERROR"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    #: allowed and well-formed, but refused by a business rule (stale version, illegal step)
    REJECTED = "REJECTED"
    ERROR = "ERROR"


#: Longest stored text per field. Longer values are clipped *before* hashing, so a client
#: sending a 10 kB User-Agent cannot make the append fail (and so the hub answer 503).
LIMITS: dict[str, int] = {
    "request_id": 100,
    "client_id": 100,
    "profile": 40,
    "token_sub": 200,
    "token_jti": 100,
    "policy_version": 64,
    "operation_type": 16,
    "operation_name": 200,
    "outcome": 40,
    "client_address": 64,
    "user_agent": 512,
    "purpose": 500,
}
MAX_LIST_ITEM = 200


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One GraphQL operation as the audit log sees it.

    ``variables`` must already have the values the policy marks sensitive replaced by
    ``keyed_hash(value)``; ``subjects_person`` holds keyed hashes of ID numbers, never the
    numbers (``append`` refuses anything that is not a keyed hash there). ``document`` is the
    GraphQL text: the log stores it once per SHA-256 and the record keeps the hash.
    """

    request_id: str
    profile: str
    operation_type: str
    outcome: Outcome | str
    client_id: str | None = None
    token_sub: str | None = None
    token_jti: str | None = None
    scopes: Iterable[str] = ()
    policy_version: str | None = None
    operation_name: str | None = None
    document: str | None = None
    variables: Mapping[str, Any] = field(default_factory=dict)
    fields_served: Iterable[str] = ()
    fields_masked: Iterable[str] = ()
    fields_refused: Iterable[str] = ()
    subjects_uscc: Iterable[str] = ()
    subjects_person: Iterable[str] = ()
    row_count: int = 0
    error_codes: Sequence[str] = ()
    duration_us: int = 0
    client_address: str | None = None
    user_agent: str | None = None
    purpose: str | None = None


#: The hashed body's keys, in the order the export's CSV lists them.
BODY_FIELDS: tuple[str, ...] = (
    "seq",
    "recorded_at",
    "request_id",
    "client_id",
    "profile",
    "token_sub",
    "token_jti",
    "scopes",
    "policy_version",
    "operation_type",
    "operation_name",
    "document_sha256",
    "variables",
    "fields_served",
    "fields_masked",
    "fields_refused",
    "subjects_uscc",
    "subjects_person",
    "row_count",
    "outcome",
    "error_codes",
    "duration_us",
    "client_address",
    "user_agent",
    "purpose",
)
LIST_FIELDS = frozenset(
    {
        "scopes",
        "fields_served",
        "fields_masked",
        "fields_refused",
        "subjects_uscc",
        "subjects_person",
        "error_codes",
    }
)


def _clip(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    return str(value)[: LIMITS[name]]


def _string_set(name: str, values: Iterable[str], *, upper: bool = False) -> list[str]:
    if isinstance(values, str):
        raise AuditEventInvalid(f"{name} must be a list of strings, not one string")
    items = (str(v).strip().upper() if upper else str(v) for v in values)
    return sorted({item[:MAX_LIST_ITEM] for item in items})


def build_body(
    event: AuditEvent, *, seq: int, recorded_at: datetime, document_sha256: str | None
) -> dict[str, Any]:
    """The normalised record body (plain JSON types) the store writes and the chain hashes.

    Set-like lists (scopes, fields, subjects) are sorted and deduplicated so the same facts
    always hash the same; ``error_codes`` keeps its order (the first error matters).
    """
    persons = _string_set("subjects_person", event.subjects_person)
    raw = [p for p in persons if not _KEYED_HASH_RE.match(p)]
    if raw:
        raise AuditEventInvalid(
            "subjects_person must hold keyed hashes (use keyed_hash), never ID numbers"
        )
    if isinstance(event.row_count, bool) or event.row_count < 0:
        raise AuditEventInvalid("row_count must be a non-negative integer")
    try:
        variables = normalize(dict(event.variables))
        time = format_time(recorded_at)
    except CanonicalError as exc:
        raise AuditEventInvalid(f"event cannot be encoded: {exc}") from exc
    outcome = event.outcome.value if isinstance(event.outcome, Outcome) else str(event.outcome)
    return {
        "seq": seq,
        "recorded_at": time,
        "request_id": _clip("request_id", event.request_id),
        "client_id": _clip("client_id", event.client_id),
        "profile": _clip("profile", event.profile),
        "token_sub": _clip("token_sub", event.token_sub),
        "token_jti": _clip("token_jti", event.token_jti),
        "scopes": _string_set("scopes", event.scopes),
        "policy_version": _clip("policy_version", event.policy_version),
        "operation_type": _clip("operation_type", event.operation_type),
        "operation_name": _clip("operation_name", event.operation_name),
        "document_sha256": document_sha256,
        "variables": variables,
        "fields_served": _string_set("fields_served", event.fields_served),
        "fields_masked": _string_set("fields_masked", event.fields_masked),
        "fields_refused": _string_set("fields_refused", event.fields_refused),
        "subjects_uscc": _string_set("subjects_uscc", event.subjects_uscc, upper=True),
        "subjects_person": persons,
        "row_count": int(event.row_count),
        "outcome": _clip("outcome", outcome),
        "error_codes": [str(c)[:MAX_LIST_ITEM] for c in event.error_codes],
        "duration_us": max(0, int(event.duration_us)),
        "client_address": _clip("client_address", event.client_address),
        "user_agent": _clip("user_agent", event.user_agent),
        "purpose": _clip("purpose", event.purpose),
    }
