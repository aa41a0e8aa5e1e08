"""``hub signals``: compute the early-warning signals now; list the rules."""

from __future__ import annotations

import inspect
from datetime import date

import typer
from rich.table import Table

from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.domains.monitoring import rules, signals
from hub.settings import get_settings

app = typer.Typer(help="Early-warning signals on projects' wage accounts.", no_args_is_help=True)


@app.command()
def compute(
    as_of: str | None = typer.Option(None, "--as-of", help="Judge as of this date, YYYY-MM-DD "
                                     "(default HUB_SIGNALS_AS_OF, else today within the data)."),
) -> None:
    """Recompute every signal now (what `hub serve` does every HUB_SIGNALS_INTERVAL_SECONDS)."""
    settings = get_settings()
    day = date.fromisoformat(as_of) if as_of else None

    async def main() -> signals.ComputeResult:
        engine = create_engine(settings.database_url, settings)
        try:
            async with unit_of_work(session_factory(engine), write=True) as session:
                return await signals.compute(session, settings, as_of=day)
        finally:
            await engine.dispose()

    result = run(main)
    out.print(result.line(), highlight=False)
    table = Table()
    table.add_column("kind")
    table.add_column("RED", justify="right")
    table.add_column("YELLOW", justify="right")
    for kind in rules.KINDS:
        counts = result.by_kind.get(kind)
        if counts:
            table.add_row(kind, str(counts.get("RED", 0)), str(counts.get("YELLOW", 0)))
    out.print(table)


@app.command("rules")
def show_rules() -> None:
    """Print the rules: kinds, severities and when they fire."""
    out.print(inspect.getdoc(rules) or "", markup=False, highlight=False)
