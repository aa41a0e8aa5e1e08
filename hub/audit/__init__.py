"""The audit log core: one tamper-evident record per GraphQL operation.

Public API (imported lazily, so that ``hub.audit.verify`` runs without the database code)::

    AuditEvent(...)                                   # all fields of one operation (event.py)
    Outcome                                           # OK, PARTIAL, VALIDATION_ERROR, ...
    await append(engine_or_sessions, event, *, settings=None) -> Appended(seq, hash)
        # own short transaction, committed on return; raises AuditUnavailable (fail closed)
    await load_keyring(engine_or_sessions)            # at start-up: makes keyed_hash usable
    keyed_hash(value) -> str                          # HMAC-SHA256 hex, for sensitive variables
    person_hash(id_number) -> str                     # keyed hash of a normalised ID number
    await checkpoint(engine_or_sessions, *, only_if_due=False) -> dict | None
    checkpoints_route(engine_or_sessions, path="/audit/checkpoints") -> starlette Route
    await search(session, *, since, until, client_id, profile, operation_name, outcome,
                 field, subject, cursor, limit) -> SearchPage
    await subject_access_report(session, subject, since=None, until=None) -> list[SubjectAccess]
    await verify_database(engine_or_sessions, *, from_seq=None) -> Report
    AuditUnavailable, AuditEventInvalid, AuditQueryInvalid

Layout (Trillian's split): ``canonical`` + ``hashing`` (pure), ``verify`` (pure, depends on
hashing only: runs on an export without SQLAlchemy), ``models`` + ``store`` + ``keys`` +
``checkpoints`` + ``partitions`` (storage), ``integrity`` (verify the database), ``export``,
``prune``, ``repository`` (auditors' search), ``http`` (the checkpoints route). A leaf: imports
no domain package.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AuditEvent": "hub.audit.event",
    "Outcome": "hub.audit.event",
    "AuditUnavailable": "hub.audit.errors",
    "AuditEventInvalid": "hub.audit.errors",
    "AuditQueryInvalid": "hub.audit.errors",
    "append": "hub.audit.store",
    "Appended": "hub.audit.store",
    "load_keyring": "hub.audit.store",
    "checkpoint": "hub.audit.store",
    "keyed_hash": "hub.audit.keys",
    "person_hash": "hub.audit.keys",
    "checkpoints_route": "hub.audit.http",
    "checkpoints_endpoint": "hub.audit.http",
    "search": "hub.audit.repository",
    "SearchPage": "hub.audit.repository",
    "subject_access_report": "hub.audit.repository",
    "SubjectAccess": "hub.audit.repository",
    "verify_database": "hub.audit.integrity",
    "Report": "hub.audit.verify",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hub.audit' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
