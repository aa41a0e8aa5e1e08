"""``hub audit``: verify, export, checkpoint, partition and prune the audit log."""

from __future__ import annotations

import enum
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.console.runtime import err, out, run
from hub.db.engine import create_engine
from hub.settings import get_settings

app = typer.Typer(help="Verify, export and maintain the audit log.", no_args_is_help=True)

EXIT_BROKEN = 1
T = TypeVar("T")


class Format(enum.StrEnum):
    jsonl = "jsonl"
    csv = "csv"


def _with_engine(work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return run(main)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise typer.BadParameter(f"not an ISO date or time: {value}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@app.command()
def verify(
    from_seq: int | None = typer.Option(None, "--from", min=1, help="Check from this seq on."),
) -> None:
    """Recompute the chain and checkpoint signatures; name the first bad record (exit 1)."""
    from hub.audit.integrity import verify_database

    report = _with_engine(lambda engine: verify_database(engine, from_seq=from_seq))
    if report.ok:
        out.print(report.summary())
        return
    err.print(f"[bold red]{report.summary()}[/]")
    raise typer.Exit(EXIT_BROKEN)


@app.command()
def export(
    since: str | None = typer.Option(None, help="ISO date or time (UTC unless given)."),
    format: Format = typer.Option(
        Format.jsonl, "--format", help="jsonl verifies on its own; csv is for spreadsheets."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: stdout)."
    ),
) -> None:
    """Write the log (from --since) as JSON lines or CSV."""
    from hub.audit.export import export_csv, export_jsonl

    writer = export_jsonl if format is Format.jsonl else export_csv
    start = _since(since)

    async def work(engine: AsyncEngine) -> int:
        if output is None:
            return await writer(engine, sys.stdout, since=start)
        with output.open("w", encoding="utf-8", newline="") as handle:
            return await writer(engine, handle, since=start)

    count = _with_engine(work)
    err.print(f"{count} records exported")


@app.command()
def checkpoint(
    if_due: bool = typer.Option(False, "--if-due", help="Only when the periodic rule says so."),
) -> None:
    """Sign a checkpoint at the current head (for a timer: --if-due)."""
    from hub.audit.store import checkpoint as sign

    result = _with_engine(lambda engine: sign(engine, only_if_due=if_due))
    out.print(
        f"checkpoint at seq {result['seq']}: {result['head']}" if result else "nothing to sign"
    )


@app.command()
def partitions(
    ahead: int | None = typer.Option(None, min=0, help="Months ahead (default: the setting)."),
) -> None:
    """PostgreSQL: create the monthly partitions of the current and coming months."""
    from hub.audit.partitions import ensure_partitions
    from hub.db.engine import session_factory, unit_of_work
    from hub.db.types import utcnow

    months = get_settings().audit_partitions_ahead if ahead is None else ahead

    async def work(engine: AsyncEngine) -> list[str] | None:
        if engine.dialect.name != "postgresql":
            return None
        async with unit_of_work(session_factory(engine)) as session:
            return await ensure_partitions(session, utcnow(), months)

    created = _with_engine(work)
    if created is None:
        out.print("SQLite: the audit log is not partitioned")
    else:
        out.print(f"created: {', '.join(created)}" if created else "all partitions exist")


@app.command()
def prune(
    retention_months: int | None = typer.Option(None, min=1, help="Default: the setting."),
    yes: bool = typer.Option(False, "--yes", help="Really remove (otherwise only say what)."),
) -> None:
    """Drop records older than the retention, leaving a signed checkpoint at the cut."""
    from hub.audit.prune import cutoff_for
    from hub.audit.prune import prune as run_prune
    from hub.db.types import utcnow

    months = retention_months or get_settings().audit_retention_months
    if not yes:
        out.print(f"would remove records before {cutoff_for(utcnow(), months).date()} (add --yes)")
        return
    result = _with_engine(lambda engine: run_prune(engine, retention_months=months))
    if result.cut_seq is None:
        out.print(f"nothing recorded before {result.cutoff.date()}")
    else:
        dropped = ", ".join(result.dropped_partitions) or f"{result.deleted_rows} rows"
        out.print(f"pruned through seq {result.cut_seq} ({dropped}); verification starts there")
