"""``hub demo``: load the deterministic demo data set into the configured database."""

from __future__ import annotations

import typer
from rich.table import Table

from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory
from hub.demo import DemoSummary, load_demo
from hub.demo.clients import DemoClient, ensure_demo_clients
from hub.demo.lifecycle import subscribe_publishers, walk_lifecycle
from hub.policy.service import PolicyService, ensure_shipped_policy
from hub.settings import get_settings

app = typer.Typer(help="Load the demo data set (idempotent: run it again, nothing doubles).")


@app.callback(invoke_without_command=True)
def demo() -> None:
    """Load the demo data set: 2,100 enterprises, the blacklist in every state, and the Daxing
    pilot (193 projects, 54 with account problems). Dates are relative to 2026-11-01. Then
    subscribe DRC, MSB and BDC to blacklist changes by webhook and walk a few Sichuan units
    through the lifecycle today (once per database)."""

    settings = get_settings()

    async def main() -> tuple[DemoSummary, list[DemoClient], list[str], list[str]]:
        engine = create_engine(settings.database_url)
        try:
            sessions = session_factory(engine)
            await ensure_shipped_policy(PolicyService(settings), sessions)
            summary, clients = await load_demo(sessions), await ensure_demo_clients(sessions)
            hooks = await subscribe_publishers(sessions, clients, settings)
            return summary, clients, hooks, await walk_lifecycle(sessions, clients, settings)
        finally:
            await engine.dispose()

    summary, clients, hooks, walked = run(main)
    print_summary(summary)
    print("\nWebhook subscriptions of the publishing departments (`hub webhooks list`):")
    for line in hooks:
        print(f"  {line}")
    print("Blacklist lifecycle walked today (each decision pushed to the subscribers):")
    for line in walked:
        print(f"  {line}")
    print_clients(clients, f"http://{settings.host}:{settings.port}")


def print_clients(clients: list[DemoClient], base: str) -> None:
    # Plain lines, not a table: secrets must be copied whole, never folded.
    print("\nDemo clients (secrets are re-issued on every run of `hub demo`):")
    print(f"  {'profile':<9} {'client id':<28} {'client secret':<45} districts")
    for c in clients:
        print(f"  {c.profile:<9} {c.client_id:<28} {c.secret:<45} {' '.join(c.districts)}")
    hrss = next(c for c in clients if c.profile == "HRSS")
    out.print("A token for HRSS (then paste it into GraphiQL's headers as "
              '{"Authorization": "Bearer <access_token>"}):')
    print(f"  curl -s -u '{hrss.client_id}:{hrss.secret}' -d grant_type=client_credentials {base}/oauth/token")
    out.print(f"GraphiQL: {base}/graphql   (run `hub serve` first)")


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
