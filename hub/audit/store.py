"""Storage of the chain: ``append`` (fail closed, durable, serialised) and reading records back.

Serialisation: every append locks the one-row ``audit_chain_head`` (``SELECT ... FOR UPDATE``
on PostgreSQL; ``BEGIN IMMEDIATE`` on SQLite through ``unit_of_work(write=True)``), so sequence
numbers are allocated in the database, gap-free, one chain across all workers and hosts.
The append runs in its own short transaction, never the request's data session: the record
is committed when ``append`` returns, whatever the request's transaction does later.

Record times never go backwards along the chain (``max(now, last time)``): a host with a slow
clock cannot slip a record into an older month, so dropping old months (``prune``) always
removes a prefix of the chain, never a middle.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.audit import checkpoints, keys, partitions
from hub.audit.canonical import format_time
from hub.audit.errors import AuditEventInvalid, AuditUnavailable
from hub.audit.event import BODY_FIELDS, AuditEvent, build_body
from hub.audit.hashing import document_hash, record_hash
from hub.audit.models import AuditChainHead, AuditDocument, AuditRecord
from hub.db.engine import session_factory, unit_of_work
from hub.db.types import utcnow
from hub.errors import HubError
from hub.settings import Settings, get_settings

HEAD_ID = 1
Target = AsyncEngine | async_sessionmaker[AsyncSession]

_known_months: set[tuple[str, str]] = set()


class _HeadState(NamedTuple):
    """The head as ``checkpoints.is_due`` reads it, after this append."""

    seq: int
    checkpoint_seq: int
    checkpoint_at: datetime | None


class Appended(NamedTuple):
    """What ``append`` returns: ``seq, digest = await append(...)`` works too."""

    seq: int
    hash: str


def sessions_for(target: Target) -> async_sessionmaker[AsyncSession]:
    return session_factory(target) if isinstance(target, AsyncEngine) else target


def database_key(sessions: async_sessionmaker[AsyncSession]) -> str:
    bind = sessions.kw.get("bind")
    return bind.url.render_as_string(hide_password=True) if bind is not None else "?"


async def lock_head(session: AsyncSession) -> AuditChainHead:
    """Take the chain's lock and return its head row (created by the migration)."""
    head = await session.scalar(
        select(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
        .execution_options(populate_existing=True)  # the row moves under Core updates
    )
    if head is None:
        raise AuditUnavailable("audit chain head row is missing: run `hub db upgrade`")
    return head


async def ring_for(
    session: AsyncSession, database: str, settings: Settings
) -> tuple[keys.KeyRing, bool]:
    """The cached key ring, or one read/created in this transaction (``True``: cache it
    after commit)."""
    ring = keys.cached(database)
    if ring is not None:
        return ring, False
    return await keys.ensure_keyring(session, settings), True


async def _ensure_month(session: AsyncSession, database: str, at: datetime, ahead: int) -> None:
    if session.bind.dialect.name != "postgresql":
        return
    month = partitions.partition_name(partitions.month_start(at))
    if (database, month) in _known_months:
        return
    await partitions.ensure_partitions(session, at, ahead)


#: Documents known to be stored, per database: clients repeat the same few documents, and
#: a stored document never changes, so the insert is skipped once it is known to be there.
#: Only committed appends add to it (``Pending.committed``); a failed append forgets all.
_KNOWN_DOCUMENTS_MAX = 4096
_known_documents: OrderedDict[tuple[str, str], None] = OrderedDict()


def _document_known(database: str, digest: str) -> bool:
    key = (database, digest)
    if key in _known_documents:
        _known_documents.move_to_end(key)
        return True
    return False


def _remember_document(database: str, digest: str) -> None:
    _known_documents[(database, digest)] = None
    while len(_known_documents) > _KNOWN_DOCUMENTS_MAX:
        _known_documents.popitem(last=False)


async def _store_document(session: AsyncSession, database: str, text: str, at: datetime) -> str:
    digest = document_hash(text)
    if _document_known(database, digest):
        return digest
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(AuditDocument)
        .values(sha256=digest, text=text, first_seen_at=at)
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    await session.execute(statement)
    return digest


async def append(
    target: Target, event: AuditEvent, *, settings: Settings | None = None
) -> Appended:
    """Record ``event`` as the next link of the chain and commit; return its seq and hash.

    Raises ``AuditUnavailable`` when the record could not be committed (the caller must then
    refuse to send the response: fail closed) and ``AuditEventInvalid`` for an event that
    cannot be encoded. When it returns, the record is durable.
    """
    sessions = sessions_for(target)
    try:
        async with unit_of_work(sessions, write=True) as session:
            pending = await append_in(session, event, settings=settings)
    except (AuditEventInvalid, AuditUnavailable):
        _forget(database_key(sessions))
        raise
    except (SQLAlchemyError, OSError, HubError, ValueError) as exc:
        _forget(database_key(sessions))
        raise AuditUnavailable(f"audit record not written: {type(exc).__name__}") from exc
    return pending.committed()


class Pending(NamedTuple):
    """An append made inside a caller's transaction: ``committed()`` once it commits."""

    appended: Appended
    database: str
    ring: keys.KeyRing | None
    month: str
    document: str | None = None

    def committed(self) -> Appended:
        if self.ring is not None:
            keys.remember(self.database, self.ring)
        _known_months.add((self.database, self.month))
        if self.document is not None:
            _remember_document(self.database, self.document)
        return self.appended

    def rolled_back(self) -> None:
        _forget(self.database)


async def append_in(
    session: AsyncSession, event: AuditEvent, *, settings: Settings | None = None
) -> Pending:
    """The append itself, inside ``session``'s transaction, which the caller commits.

    A mutation's record is written this way in the mutation's own transaction, so that the
    change and its record commit together or not at all. The chain's lock is held from here
    to that commit: callers append last, just before committing.
    """
    settings = settings or get_settings()
    bind = session.bind
    database = bind.url.render_as_string(hide_password=True)
    try:
        head = await lock_head(session)
        ring, new_ring = await ring_for(session, database, settings)
        now = utcnow()
        if head.last_recorded_at is not None and head.last_recorded_at > now:
            now = head.last_recorded_at
        await _ensure_month(session, database, now, settings.audit_partitions_ahead)
        doc = await _store_document(session, database, event.document, now) if event.document else None
        seq = head.seq + 1
        body = build_body(event, seq=seq, recorded_at=now, document_sha256=doc)
        digest = record_hash(head.hash, body)
        fields = {k: v for k, v in body.items() if k != "recorded_at"}
        # A Core insert: the record is never read back through the ORM in this transaction.
        await session.execute(
            insert(AuditRecord).values(**fields, recorded_at=now, prev_hash=head.hash, hash=digest)
        )
        moved: dict[str, Any] = {"seq": seq, "hash": digest, "last_recorded_at": now}
        if checkpoints.is_due(_HeadState(seq, head.checkpoint_seq, head.checkpoint_at), now, settings):
            await checkpoints.sign(
                session, ring, seq=seq, head=digest, at=now, kind=checkpoints.KIND_PERIODIC
            )
            moved |= {"checkpoint_seq": seq, "checkpoint_at": now}
        # Core, not the ORM's flush: the append is on every request's path.
        await session.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(**moved))
    except (AuditEventInvalid, AuditUnavailable):
        _forget(database)
        raise
    except (SQLAlchemyError, OSError, HubError, ValueError) as exc:
        _forget(database)
        raise AuditUnavailable(f"audit record not written: {type(exc).__name__}") from exc
    month = partitions.partition_name(partitions.month_start(now))
    return Pending(Appended(seq=seq, hash=digest), database, ring if new_ring else None, month, doc)


def _forget(database: str) -> None:
    keys.forget(database)
    for item in [m for m in _known_months if m[0] == database]:
        _known_months.discard(item)
    for key in [k for k in _known_documents if k[0] == database]:
        del _known_documents[key]


async def load_keyring(target: Target, *, settings: Settings | None = None) -> keys.KeyRing:
    """Load (creating if needed) the audit keys and make ``keyed_hash`` usable. Call at start-up."""
    settings = settings or get_settings()
    sessions = sessions_for(target)
    database = database_key(sessions)
    try:
        async with unit_of_work(sessions, write=True) as session:
            await lock_head(session)
            ring = await keys.ensure_keyring(session, settings)
    except SQLAlchemyError as exc:
        raise AuditUnavailable(f"audit keys not loaded: {type(exc).__name__}") from exc
    keys.remember(database, ring)
    return ring


def record_dict(row: AuditRecord) -> dict[str, Any]:
    """A stored record as the verifier and the export see it: the body plus the chain."""
    out: dict[str, Any] = {}
    for name in BODY_FIELDS:
        value = getattr(row, name)
        out[name] = format_time(value) if name == "recorded_at" else value
    out["prev_hash"] = row.prev_hash
    out["hash"] = row.hash
    return out


async def read_head(session: AsyncSession) -> AuditChainHead:
    head = await session.get(AuditChainHead, HEAD_ID)
    if head is None:
        raise AuditUnavailable("audit chain head row is missing: run `hub db upgrade`")
    return head


async def checkpoint(
    target: Target,
    *,
    settings: Settings | None = None,
    only_if_due: bool = False,
    kind: str = checkpoints.KIND_MANUAL,
) -> dict[str, Any] | None:
    """Sign a checkpoint at the current head (``only_if_due``: only when the periodic rule
    says so, e.g. from a timer every ``HUB_AUDIT_CHECKPOINT_INTERVAL_SECONDS``). Returns it, or
    ``None`` when there is nothing new to sign."""
    settings = settings or get_settings()
    sessions = sessions_for(target)
    database = database_key(sessions)
    try:
        async with unit_of_work(sessions, write=True) as session:
            head = await lock_head(session)
            now = max(utcnow(), head.last_recorded_at or utcnow())
            if head.seq == 0 or head.seq == head.checkpoint_seq:
                return None
            if only_if_due and not checkpoints.is_due(head, now, settings):
                return None
            ring, new_ring = await ring_for(session, database, settings)
            row = await checkpoints.sign(
                session,
                ring,
                seq=head.seq,
                head=head.hash,
                at=now,
                kind=checkpoints.KIND_PERIODIC if only_if_due else kind,
            )
            head.checkpoint_seq, head.checkpoint_at = head.seq, now
            result = checkpoints.as_dict(row)
    except SQLAlchemyError as exc:
        _forget(database)
        raise AuditUnavailable(f"checkpoint not written: {type(exc).__name__}") from exc
    if new_ring:
        keys.remember(database, ring)
    return result
