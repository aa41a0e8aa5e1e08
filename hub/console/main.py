"""The ``hub`` command: one Typer app assembled from the concern modules."""

from __future__ import annotations

import typer

from hub.console import db, demo, imports

app = typer.Typer(
    name="hub",
    help="The wage-data hub: serve the GraphQL graph, load data, manage clients and keys.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(imports.app, name="import")


if __name__ == "__main__":
    app()
