"""Auditors' queries over the log: ``search`` and ``subject_access_report``.

All SQL for reading the log lives here (the integrator puts GraphQL on top). Results are the
stored ``AuditRecord`` rows, newest first, paged by an opaque keyset cursor on ``seq``.

List columns (fields, subjects) are matched by JSON containment: JSONB ``@>`` on PostgreSQL,
``json_each`` on SQLite. A subject is given as a USCC or an ID number; it matches records that
list it as a USCC *or* whose person subjects hold its keyed hash (an 18-digit string can be
either, so both are tried). Pass a time range: on PostgreSQL it limits the months scanned.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from hub.audit.errors import AuditQueryInvalid
from hub.audit.event import Outcome
from hub.audit.hashing import keyed_hash_with
from hub.audit.keys import stored_hmac_key
from hub.audit.models import AuditRecord
from hub.settings import Settings, get_settings

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
REPORT_MAX_ROWS = 10_000
_CURSOR_PREFIX = "seq:"


@dataclass(frozen=True, slots=True)
class SearchPage:
    items: list[AuditRecord]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class SubjectAccess:
    """One disclosure of data about a subject: who, when, through which fields, why."""

    seq: int
    recorded_at: datetime
    request_id: str
    client_id: str | None
    profile: str
    token_sub: str | None
    operation_name: str | None
    purpose: str | None
    outcome: str
    fields_served: list[str]
    fields_masked: list[str]


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(_CURSOR_PREFIX):
            raise ValueError(raw)
        return int(raw[len(_CURSOR_PREFIX) :])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise AuditQueryInvalid("invalid cursor", field="cursor") from None


def _contains(session: AsyncSession, column: Any, value: str) -> ColumnElement[bool]:
    if session.bind.dialect.name == "postgresql":
        return type_coerce(column, JSONB).contains([value])
    each = func.json_each(column).table_valued("value")
    return exists().select_from(each).where(each.c.value == value)


async def _subject_clause(
    session: AsyncSession, subject: str, settings: Settings
) -> ColumnElement[bool]:
    value = subject.strip().upper()
    if not value:
        raise AuditQueryInvalid("subject is empty", field="subject")
    clauses = [_contains(session, AuditRecord.subjects_uscc, value)]
    key = await stored_hmac_key(session, settings)
    if key is not None:
        clauses.append(_contains(session, AuditRecord.subjects_person, keyed_hash_with(key, value)))
    return or_(*clauses)


def _time_range(query: Select[Any], since: datetime | None, until: datetime | None) -> Select[Any]:
    if since is not None and until is not None and since >= until:
        raise AuditQueryInvalid("`since` must be before `until`", field="since")
    if since is not None:
        query = query.where(AuditRecord.recorded_at >= since)
    if until is not None:
        query = query.where(AuditRecord.recorded_at < until)
    return query


async def search(
    session: AsyncSession,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    client_id: str | None = None,
    profile: str | None = None,
    operation_name: str | None = None,
    outcome: Outcome | str | None = None,
    field: str | None = None,
    subject: str | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    settings: Settings | None = None,
) -> SearchPage:
    """Records matching every given filter, newest first. ``field`` is a coordinate such as
    ``Enterprise.uscc`` (served, masked or refused); ``until`` is exclusive."""
    if not 1 <= limit <= MAX_LIMIT:
        raise AuditQueryInvalid(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    query = _time_range(select(AuditRecord), since, until)
    if client_id is not None:
        query = query.where(AuditRecord.client_id == client_id)
    if profile is not None:
        query = query.where(AuditRecord.profile == profile)
    if operation_name is not None:
        query = query.where(AuditRecord.operation_name == operation_name)
    if outcome is not None:
        query = query.where(AuditRecord.outcome == Outcome(outcome).value)
    if field is not None:
        query = query.where(
            or_(
                _contains(session, AuditRecord.fields_served, field),
                _contains(session, AuditRecord.fields_masked, field),
                _contains(session, AuditRecord.fields_refused, field),
            )
        )
    if subject is not None:
        query = query.where(await _subject_clause(session, subject, settings or get_settings()))
    if cursor is not None:
        query = query.where(AuditRecord.seq < decode_cursor(cursor))
    rows = list(
        (await session.scalars(query.order_by(AuditRecord.seq.desc()).limit(limit + 1))).all()
    )
    more = len(rows) > limit
    items = rows[:limit]
    return SearchPage(items=items, next_cursor=encode_cursor(items[-1].seq) if more else None)


async def subject_access_report(
    session: AsyncSession,
    subject: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    settings: Settings | None = None,
) -> list[SubjectAccess]:
    """Every operation that disclosed data about ``subject`` (USCC or ID number), oldest
    first. The fields are those the operation served; the log does not know which of them
    belonged to this subject when an operation disclosed several."""
    query = _time_range(select(AuditRecord), since, until)
    query = query.where(await _subject_clause(session, subject, settings or get_settings()))
    rows = await session.scalars(query.order_by(AuditRecord.seq).limit(REPORT_MAX_ROWS + 1))
    out = [
        SubjectAccess(
            seq=r.seq,
            recorded_at=r.recorded_at,
            request_id=r.request_id,
            client_id=r.client_id,
            profile=r.profile,
            token_sub=r.token_sub,
            operation_name=r.operation_name,
            purpose=r.purpose,
            outcome=r.outcome,
            fields_served=list(r.fields_served),
            fields_masked=list(r.fields_masked),
        )
        for r in rows
    ]
    if len(out) > REPORT_MAX_ROWS:
        raise AuditQueryInvalid(
            f"more than {REPORT_MAX_ROWS} disclosures: narrow the time range", field="since"
        )
    return out
