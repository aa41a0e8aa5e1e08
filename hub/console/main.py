"""The ``hub`` command: one Typer app assembled from the concern modules."""

from __future__ import annotations

import typer

from hub.console import audit, blacklist, clients, db, demo, imports, keys, policy, schema, serve, signals, webhooks
from hub.settings import settings_table

app = typer.Typer(
    name="hub",
    help="The wage-data hub: serve the GraphQL graph, load data, manage clients and keys.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(imports.app, name="import")
app.add_typer(clients.app, name="client")
app.add_typer(keys.app, name="keys")
app.add_typer(policy.app, name="policy")
app.add_typer(audit.app, name="audit")
app.add_typer(schema.app, name="schema")
app.add_typer(signals.app, name="signals")
app.add_typer(blacklist.app, name="blacklist")
app.add_typer(webhooks.app, name="webhooks")


@app.command("settings")
def show_settings() -> None:
    """Print every HUB_* setting with its default and meaning (the README's table)."""
    print(settings_table(), end="")


if __name__ == "__main__":
    app()
