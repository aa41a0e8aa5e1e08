"""``hub policy``: publish, inspect and explain the access policy."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from hub.console.runtime import out, run
from hub.db.engine import create_engine, session_factory, unit_of_work
from hub.policy import repository
from hub.policy.engine import ungoverned
from hub.policy.service import PolicyService
from hub.settings import get_settings

app = typer.Typer(help="The access policy (who sees which fields and rows).", no_args_is_help=True)


@app.command()
def publish(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A policy YAML file."),
    by: str = typer.Option(..., "--by", help="Who publishes it (kept with the version)."),
) -> None:
    """Validate FILE and put it in force as the next version (its `version:` must be current + 1)."""
    settings = get_settings()

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            service = PolicyService(settings)
            async with unit_of_work(session_factory(engine), write=True) as session:
                row = await service.publish(session, file.read_text(encoding="utf-8"), by, _profile_scope_sets())
            out.print(f"policy version {row.version} is in force (sha256 {row.sha256[:16]}…)")
        finally:
            await engine.dispose()

    run(main)


@app.command()
def versions() -> None:
    """List published versions; the last one is in force."""
    settings = get_settings()

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as session:
                rows = await repository.history(session)
        finally:
            await engine.dispose()
        table = Table("version", "published at (UTC)", "by", "sha256")
        for row in rows:
            table.add_row(str(row.version), row.published_at.isoformat(timespec="seconds"), row.published_by, row.sha256[:16])
        out.print(table)

    run(main)


@app.command()
def show(version: int | None = typer.Option(None, help="Default: the version in force.")) -> None:
    """Print a published version's source."""
    settings = get_settings()

    async def main() -> None:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as session:
                number = version or await repository.version_in_force(session)
                row = await repository.get(session, number) if number else None
        finally:
            await engine.dispose()
        if row is None:
            raise typer.BadParameter("no such policy version")
        print(row.source, end="")

    run(main)


@app.command()
def check(file: Path = typer.Argument(Path("schema/policy.yaml"), exists=True, dir_okay=False)) -> None:
    """Validate a policy file without publishing it; list fields it leaves ungoverned."""
    from hub.policy.document import parse_policy

    service = PolicyService(get_settings())
    compiled = service.compile(parse_policy(file.read_text(encoding="utf-8"), str(file)))
    service.validate_for_scope_sets(compiled, _profile_scope_sets())
    missing = sorted(ungoverned(compiled))
    for coordinate in missing:
        out.print(f"[yellow]ungoverned[/] {coordinate} (invisible to everyone)")
    out.print(f"{file}: valid; {len(compiled.coordinates)} fields, {len(missing)} ungoverned")


@app.command()
def matrix(
    file: Path = typer.Option(Path("schema/policy.yaml"), exists=True, dir_okay=False, help="Policy file to explain."),
    format: str = typer.Option("md", help="md (Markdown) is what schema/access-matrix.md holds."),
) -> None:
    """Print, for each profile, every field as visible, masked or hidden."""
    from hub.policy.document import parse_policy
    from hub.policy.matrix import render_markdown

    if format != "md":
        raise typer.BadParameter("only `md` is supported", param_hint="--format")
    service = PolicyService(get_settings())
    compiled = service.compile(parse_policy(file.read_text(encoding="utf-8"), str(file)))
    print(render_markdown(compiled, profile_scopes()), end="")


def profile_scopes() -> dict[str, frozenset[str]]:
    from hub.auth.scopes import PROFILE_SCOPES

    return {getattr(p, "value", str(p)): frozenset(str(s) for s in scopes) for p, scopes in PROFILE_SCOPES.items()}


def _profile_scope_sets() -> list[frozenset[str]]:
    return list(profile_scopes().values())


