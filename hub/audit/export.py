"""``hub audit export``: JSON lines that verify on their own, or CSV for spreadsheets.

JSON lines, one object per line, each with a ``type``:

    header      format, exported_at, since, head {seq, hash}, anchor (checkpoint or null),
                pruned_through_seq
    key         key_id, algorithm, public_key (base64 raw Ed25519)
    checkpoint  seq, head, time, kind, key_id, signature
    record      the stored record (body + prev_hash + hash), in seq order
    document    sha256, text (the documents the exported records name)

With ``since``, the export starts at the newest signed checkpoint before the first record at
or after ``since`` (so it may hold a few older records): an export that began at an arbitrary
record would have to trust that record's ``prev_hash``. Everything is read in one snapshot,
so the header's head matches the records exactly.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import func, select

from hub.audit import checkpoints as cps
from hub.audit.canonical import format_time
from hub.audit.event import BODY_FIELDS, LIST_FIELDS
from hub.audit.integrity import BATCH, anchor_for, snapshot
from hub.audit.keys import public_keys
from hub.audit.models import AuditDocument, AuditRecord
from hub.audit.store import Target, read_head, record_dict
from hub.audit.verify import EXPORT_FORMAT
from hub.db.types import utcnow

CSV_COLUMNS = (*BODY_FIELDS, "prev_hash", "hash")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _line(kind: str, item: dict[str, Any]) -> str:
    return json.dumps({"type": kind, **item}, ensure_ascii=False, sort_keys=True) + "\n"


async def _first_seq_since(session: Any, since: datetime) -> int | None:
    return await session.scalar(
        select(func.min(AuditRecord.seq)).where(AuditRecord.recorded_at >= since)
    )


async def export_jsonl(target: Target, out: TextIO, *, since: datetime | None = None) -> int:
    """Write a self-verifying export; return the number of records written."""
    async with snapshot(target) as session:
        head = await read_head(session)
        from_seq = None
        if since is not None:
            from_seq = await _first_seq_since(session, since) or head.seq + 1
        anchor = await anchor_for(session, head.pruned_through_seq, from_seq)
        out.write(
            _line(
                "header",
                {
                    "format": EXPORT_FORMAT,
                    "exported_at": format_time(utcnow()),
                    "since": format_time(since) if since else None,
                    "head": {"seq": head.seq, "hash": head.hash},
                    "anchor": anchor,
                    "pruned_through_seq": head.pruned_through_seq,
                },
            )
        )
        for key in await public_keys(session):
            out.write(_line("key", key))
        for checkpoint in await cps.list_checkpoints(session):
            out.write(_line("checkpoint", checkpoint))
        count, documents = 0, set()
        rows = await session.stream_scalars(
            select(AuditRecord)
            .where(AuditRecord.seq > (anchor["seq"] if anchor else 0))
            .order_by(AuditRecord.seq, AuditRecord.recorded_at)
            .execution_options(yield_per=BATCH)
        )
        async for row in rows:
            out.write(_line("record", record_dict(row)))
            if row.document_sha256:
                documents.add(row.document_sha256)
            count += 1
        names = sorted(documents)
        for i in range(0, len(names), BATCH):
            docs = await session.scalars(
                select(AuditDocument).where(AuditDocument.sha256.in_(names[i : i + BATCH]))
            )
            for doc in docs:
                out.write(_line("document", {"sha256": doc.sha256, "text": doc.text}))
        return count


def _cell(name: str, value: Any) -> str:
    if value is None:
        text = ""
    elif name in LIST_FIELDS:
        text = "; ".join(value)
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    # Spreadsheets run cells that start like a formula; user agents and purposes are
    # client-controlled, so such cells are quoted (CSV is for reading, JSONL for verifying).
    return "'" + text if text.startswith(_FORMULA_START) else text


async def export_csv(target: Target, out: TextIO, *, since: datetime | None = None) -> int:
    async with snapshot(target) as session:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        query = select(AuditRecord).order_by(AuditRecord.seq, AuditRecord.recorded_at)
        if since is not None:
            query = query.where(AuditRecord.recorded_at >= since)
        count = 0
        rows = await session.stream_scalars(query.execution_options(yield_per=BATCH))
        async for row in rows:
            record = record_dict(row)
            writer.writerow([_cell(name, record[name]) for name in CSV_COLUMNS])
            count += 1
        return count
