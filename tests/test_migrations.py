"""Migrations and models agree, and upgrade/downgrade round-trips, on the suite's database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from hub.db.engine import create_engine
from hub.db.migrations import (
    current_revision,
    downgrade_with,
    head_revision,
    include_name,
    upgrade_with,
)
from hub.db.models import metadata


def _diff(connection: Connection) -> list[object]:
    ctx = MigrationContext.configure(
        connection, opts={
            "compare_type": True,
            "compare_server_default": True,
            "include_name": include_name,
        },
    )
    return list(compare_metadata(ctx, metadata))


async def test_autogenerate_finds_no_difference(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == [], f"models and migrations disagree: {diff}"


async def test_upgrade_downgrade_upgrade_round_trips(tmp_path, database_url: str) -> None:
    # A second, empty database of the same kind as the suite's.
    from tests.support.databases import fresh_database

    with fresh_database(tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade_with(engine)
            assert await current_revision(engine) == head_revision()
            await downgrade_with(engine, "base")
            assert await current_revision(engine) is None
            async with engine.connect() as conn:
                assert await conn.run_sync(lambda c: c.dialect.get_table_names(c)) in (
                    ["alembic_version"],
                    [],
                )
            await upgrade_with(engine)
            assert await current_revision(engine) == head_revision()
        finally:
            await engine.dispose()
