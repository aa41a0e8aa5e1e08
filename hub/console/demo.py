"""``hub demo``: load the deterministic demo data set into the configured database."""

from __future__ import annotations

import typer
from rich.table import Table

from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory
from hub.demo import DemoSummary, load_demo
from hub.settings import get_settings

app = typer.Typer(help="Load the demo data set (idempotent: run it again, nothing doubles).")


@app.callback(invoke_without_command=True)
def demo() -> None:
    """Load the demo data set: 2,100 enterprises, the blacklist in every state, and the Daxing
    pilot (193 projects, 54 with account problems). Dates are relative to 2026-11-01."""

    async def main() -> DemoSummary:
        engine = create_engine(get_settings().database_url)
        try:
            return await load_demo(session_factory(engine))
        finally:
            await engine.dispose()

    print_summary(run(main))


def print_summary(summary: DemoSummary) -> None:
    table = Table(title=f"demo data set (seed {summary.seed}, today {summary.today})")
    table.add_column("table")
    table.add_column("rows in demo", justify="right")
    table.add_column("inserted now", justify="right")
    for name, rows in summary.rows.items():
        table.add_row(name, f"{rows:,}", f"{summary.inserted.get(name, 0):,}")
    out.print(table)
    out.print(
        f"pilot district 110115: {summary.extra.get('pilot_projects', 0)} projects, "
        f"{summary.extra.get('problem_projects', 0)} with problems; "
        f"{summary.total_inserted:,} rows inserted in {summary.seconds:.1f} s"
    )
