"""From a request's records to audit events, and their writing, fail closed.

Reads end their data transaction first and then append in one short transaction of their
own; a mutation's records are appended inside the mutation's transaction, so that a change
and its record commit together or not at all. Either way the records are durable before the
response is sent; if they cannot be written the client gets 503 and none of the data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.audit import AuditEvent, Outcome, keys
from hub.audit.keys import keyed_hash, person_hash
from hub.audit.store import Pending, append_in, load_keyring
from hub.auth.caller import Caller
from hub.db.engine import unit_of_work
from hub.domains.identifiers import resident_id_check_char
from hub.settings import Settings
from hub.web.records import OperationRecord, RequestInfo

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
_ACCOUNT = re.compile(r"^\d{8,32}$")
NO_OPERATION = "none"

_OUTCOMES = {
    "OK": Outcome.OK,
    "PARTIAL": Outcome.PARTIAL,
    "VALIDATION_ERROR": Outcome.VALIDATION_ERROR,
    "UNAUTHENTICATED": Outcome.UNAUTHENTICATED,
    "REFUSED": Outcome.FORBIDDEN,
    "REJECTED": Outcome.REJECTED,
    "ERROR": Outcome.ERROR,
}


def _sensitive(value: str) -> bool:
    """ID numbers (with a valid check character) and account numbers are never stored."""
    if _ID_NUMBER.match(value) and resident_id_check_char(value[:17]) == value[17].upper():
        return True
    return bool(_ACCOUNT.match(value))


def scrub(value: Any, database: str | None = None) -> Any:
    """Variables as the log keeps them: sensitive values replaced by keyed hashes (with the
    key of ``database``, the one the record goes to)."""
    if isinstance(value, str):
        return f"hmac:{keyed_hash(value.upper(), database)}" if _sensitive(value) else value
    if isinstance(value, dict):
        return {k: scrub(v, database) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, database) for v in value]
    return value


_STRING_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def scrub_document(document: str, database: str | None = None) -> str:
    """The document as the log stores it: ID and account numbers written inline as string
    literals are replaced by keyed hashes too (clients should pass them as variables)."""

    def replace(match: re.Match[str]) -> str:
        value = match.group(1)
        return f'"{scrub(value, database)}"' if _sensitive(value) else match.group(0)

    return _STRING_LITERAL.sub(replace, document)


def operation_event(info: RequestInfo, caller: Caller, record: OperationRecord, database: str | None = None) -> AuditEvent:
    """``database`` is the log's database (``store.database_key``): its key hashes subjects."""
    return AuditEvent(
        request_id=info.request_id,
        profile=caller.profile,
        operation_type=record.operation_type or NO_OPERATION,
        outcome=_OUTCOMES[record.outcome],
        client_id=caller.client_id,
        token_sub=caller.subject,
        token_jti=caller.token_id,
        scopes=sorted(caller.scopes),
        policy_version=str(record.policy_version),
        operation_name=record.operation_name,
        document=scrub_document(record.query, database),
        variables=scrub(record.variables, database),
        fields_served=record.served,
        fields_masked=record.masked,
        fields_refused=record.refused,
        subjects_uscc=record.enterprises,
        subjects_person=[person_hash(n, database) for n in record.persons],
        row_count=record.rows,
        error_codes=record.error_codes,
        duration_us=int(record.duration_ms * 1000),
        client_address=info.client_address,
        user_agent=info.user_agent,
        purpose=info.purpose,
    )


def request_event(info: RequestInfo, caller: Caller | None, outcome: Outcome, code: str, duration_us: int) -> AuditEvent:
    """A request refused before any operation ran (bad token, malformed body)."""
    return AuditEvent(
        request_id=info.request_id,
        profile=caller.profile if caller else "UNKNOWN",
        operation_type=NO_OPERATION,
        outcome=outcome,
        client_id=caller.client_id if caller else None,
        scopes=sorted(caller.scopes) if caller else (),
        error_codes=(code,),
        duration_us=duration_us,
        client_address=info.client_address,
        user_agent=info.user_agent,
        purpose=info.purpose,
    )


async def ensure_keys(sessions: async_sessionmaker[AsyncSession], database: str, settings: Settings) -> None:
    """Load the log's keys if this process does not hold them (at start-up the database may
    not have been ready; a failed append forgets them). Called before a request's data
    transaction, never inside one: on SQLite it takes the write lock."""
    if keys.cached(database) is None:
        await load_keyring(sessions, settings=settings)


async def append_within(session: AsyncSession, events: Sequence[AuditEvent]) -> list[Pending]:
    return [await append_in(session, event) for event in events]


async def append_all(sessions: async_sessionmaker[AsyncSession], events: Sequence[AuditEvent]) -> None:
    """Append the events in one short transaction of their own and commit."""
    async with unit_of_work(sessions, write=True) as session:
        pending = await append_within(session, events)
    for p in pending:
        p.committed()
