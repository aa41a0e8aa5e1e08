"""Persisted queries: a client may send a document's SHA-256 instead of its text once the hub
has seen the text. The texts are the ones the audit log already keeps once per hash, so a
persisted query is an ordinary operation: it runs through the same path, policy and log.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.audit.models import AuditDocument
from hub.web.operations import Operation

NOT_FOUND_CODE = "PERSISTED_QUERY_NOT_FOUND"
NOT_FOUND_MESSAGE = "PersistedQueryNotFound: send the query's text with its hash once, then the hash alone"


async def resolve(sessions: async_sessionmaker[AsyncSession], operations: list[Operation]) -> list[Operation]:
    """Fill in the text of operations sent by hash; unknown hashes stay empty (their
    operation answers PERSISTED_QUERY_NOT_FOUND)."""
    wanted = {op.persisted for op in operations if op.persisted}
    if not wanted:
        return operations
    async with sessions() as session:
        rows = await session.execute(select(AuditDocument.sha256, AuditDocument.text).where(AuditDocument.sha256.in_(wanted)))
        texts: dict[str, str] = {sha: text for sha, text in rows.all()}
    return [replace(op, query=texts[op.persisted], persisted=None) if op.persisted in texts else op for op in operations]
