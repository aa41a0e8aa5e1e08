"""Running alembic from the hub: the CLI's ``hub db`` commands, the readiness probe and the
refusal of ``hub serve`` to start on a database that is not at head."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parents[2]
ALEMBIC_INI = ROOT / "alembic.ini"


#: Tables created at run time, not by migrations: PostgreSQL's monthly partitions
#: (``<parent>_pYYYYMM``, e.g. the audit log's). Autogenerate must not report them.
_RUNTIME_PARTITION = re.compile(r"^[a-z_]+_p\d{6}$")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic ``include_name`` hook: skip run-time partitions (env.py and the tests use it)."""
    return not (type_ == "table" and name is not None and _RUNTIME_PARTITION.match(name))


def alembic_config(url: str | None = None) -> Config:
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["configure_logger"] = False
    if url:
        cfg.attributes["url"] = url
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; merge them")
    return heads[0]


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def upgrade_with(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade through an engine from inside a running event loop (tests)."""
    async with engine.connect() as conn:
        await conn.run_sync(_upgrade_on, revision)
        await conn.commit()


def _upgrade_on(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _downgrade_on(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


async def downgrade_with(engine: AsyncEngine, revision: str) -> None:
    async with engine.connect() as conn:
        await conn.run_sync(_downgrade_on, revision)
        await conn.commit()


async def schema_problem(engine: AsyncEngine) -> str | None:
    """Why the database cannot serve, or None when it is reachable and at head."""
    try:
        current = await current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the answer
        return f"database unreachable: {type(exc).__name__}"
    head = head_revision()
    if current != head:
        return (
            f"database is at revision {current or 'none (empty)'}, the code needs {head}: "
            "run `hub db upgrade`"
        )
    return None
