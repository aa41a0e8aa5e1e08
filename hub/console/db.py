"""``hub db``: migrate the configured database (``HUB_DATABASE_URL``)."""

from __future__ import annotations

import typer

from hub.console.runtime import out, run
from hub.db import migrations
from hub.db.engine import create_engine
from hub.settings import get_settings

app = typer.Typer(help="Migrate the database.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrations.upgrade(get_settings().database_url, revision)
    out.print(f"database at {revision}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Undo migrations down to REVISION ('-1' for one step, 'base' for an empty database)."""
    migrations.downgrade(get_settings().database_url, revision)
    out.print(f"database downgraded to {revision}")


@app.command()
def current() -> None:
    """Print the database's revision and whether it is at head."""

    async def main() -> None:
        engine = create_engine(get_settings().database_url)
        try:
            rev = await migrations.current_revision(engine)
        finally:
            await engine.dispose()
        head = migrations.head_revision()
        state = "(head)" if rev == head else f"(head is {head}: run `hub db upgrade`)"
        out.print(f"{rev or 'none'} {state}")

    run(main)
