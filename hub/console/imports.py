"""``hub import KIND FILE``: import a CSV or JSON Lines file, all rows or none.

One sub-command per kind (its help lists the kind's columns) and ``hub import columns KIND``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hub.console.runtime import EXIT_USER_ERROR, err, out, run
from hub.db.engine import create_engine, session_factory
from hub.imports import KINDS, Format, ImportFailed, ImportResult, columns, import_file
from hub.imports.columns import describe
from hub.settings import get_settings


def _columns_markdown(kind: str) -> str:
    return "\n".join(
        f"* `{c.name}`{' **(required)**' if c.required else ''}: {c.description}"
        for c in columns(kind)
    )


app = typer.Typer(
    help="Import a CSV (header row) or JSON Lines file of one KIND. Every row is validated "
    "first; if any row is bad, the errors are listed (line, field, reason) and nothing is "
    "written. `hub import columns KIND` lists a kind's columns.",
    epilog="Kinds and their columns (* = required):\n\n"
    + "\n\n".join(
        f"{kind}: "
        + ", ".join(f"{c.name}{'*' if c.required else ''}" for c in columns(kind))
        for kind in KINDS
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


class _Bar:
    """A rich progress bar on the terminal (import_file's Progress protocol)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def start(self, phase: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[0].total)
        self.task = self.progress.add_task(phase, total=total)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)


def _run_import(kind: str, file: Path, fmt: Format | None, max_errors: int) -> None:
    async def main() -> ImportResult:
        engine = create_engine(get_settings().database_url)
        try:
            sessions = session_factory(engine)
            if not out.is_terminal:  # no progress bar in pipes, files and CI logs
                return await import_file(sessions, kind, file, fmt=fmt, error_limit=max_errors)
            with Progress(TextColumn("{task.description:>10}"), BarColumn(),
                          MofNCompleteColumn(), TimeElapsedColumn(), console=out,
                          transient=True) as bar:
                return await import_file(sessions, kind, file, fmt=fmt, progress=_Bar(bar),
                                         error_limit=max_errors)
        except ImportFailed as exc:  # every row error, not only the summary run() prints
            _print_failure(exc)
            raise typer.Exit(EXIT_USER_ERROR) from None
        finally:
            await engine.dispose()

    result = run(main)
    out.print(
        f"imported {result.rows:,} {kind} from {file.name}: {result.inserted:,} inserted, "
        f"{result.updated:,} updated in {result.seconds:.1f} s"
    )


def _print_failure(exc: ImportFailed) -> None:
    err.print(f"[bold red]{exc.code}[/]: {exc.message}", highlight=False)
    for line in exc.lines():
        err.print(f"  {line}", highlight=False, markup=False)


def _command(kind: str) -> None:
    def command(
        file: Path = typer.Argument(..., help="The .csv or .jsonl file.", dir_okay=False),
        fmt: Format | None = typer.Option(
            None, "--format", help="csv or jsonl (default: from the file's extension)."
        ),
        max_errors: int = typer.Option(100, "--max-errors", min=1,
                                       help="Errors listed before 'and N more'."),
    ) -> None:
        _run_import(kind, file, fmt, max_errors)

    summary = describe(kind).split("\n\n")[0].replace("\n", " ")
    app.command(
        kind,
        help=describe(kind) + "\n\n" + _columns_markdown(kind),
        short_help=summary,
    )(command)


for _kind in KINDS:
    _command(_kind)


@app.command("columns")
def columns_command(kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}.")) -> None:
    """Print the columns of KIND: name, whether required, meaning."""
    if kind not in KINDS:
        err.print(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
        raise typer.Exit(EXIT_USER_ERROR)
    table = Table(title=f"hub import {kind}", caption=describe(kind), caption_justify="left")
    table.add_column("column")
    table.add_column("required")
    table.add_column("meaning")
    for c in columns(kind):
        table.add_row(c.name, "yes" if c.required else "", c.description)
    out.print(table)
