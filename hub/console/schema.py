"""``hub schema``: the published contract in ``schema/``."""

from __future__ import annotations

from pathlib import Path

import typer

from hub.console.runtime import out
from hub.graphql.schema import build_schema
from hub.settings import get_settings

SDL_PATH = Path("schema/hub.graphql")
REGENERATE = "hub schema export"

app = typer.Typer(help="The published GraphQL contract.", no_args_is_help=True)


def full_sdl() -> str:
    """The whole graph as the code produces it, before any policy hides a field."""
    return build_schema(get_settings()).as_str() + "\n"


@app.command()
def export(path: Path = typer.Option(SDL_PATH, help="Where to write the SDL.")) -> None:
    """Write the SDL the code produces to schema/hub.graphql."""
    path.write_text(full_sdl(), encoding="utf-8")
    out.print(f"wrote {path}")
