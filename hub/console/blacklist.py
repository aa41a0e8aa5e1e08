"""``hub blacklist``: the blacklist's scheduled work, on demand."""

from __future__ import annotations

from datetime import date

import typer

from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory
from hub.domains.blacklist.jobs import expire_listings
from hub.settings import get_settings

app = typer.Typer(help="The wage-arrears blacklist.", no_args_is_help=True)


@app.command()
def expire(
    today: str | None = typer.Option(None, help="Business date to expire as of (YYYY-MM-DD; default: today)."),
) -> None:
    """Remove, as EXPIRED, every listed entry whose three years are up (`hub serve` does this
    on a schedule too). Each removal is a decision in the history, pushed to subscribers."""
    settings = get_settings()
    as_of = date.fromisoformat(today) if today else None

    async def main() -> str:
        engine = create_engine(settings.database_url, settings)
        try:
            return await expire_listings(session_factory(engine), settings, as_of)
        finally:
            await engine.dispose()

    out.print(run(main))
