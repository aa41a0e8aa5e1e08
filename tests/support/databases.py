"""Fresh databases for a test session: a temporary SQLite file, or a new PostgreSQL database
created on the server named by ``HUB_TEST_DATABASE_URL`` and dropped afterwards.

A PostgreSQL run that cannot reach its server fails: it never quietly falls back to SQLite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ENV_VAR = "HUB_TEST_DATABASE_URL"


def backend() -> str:
    url = os.environ.get(ENV_VAR)
    return make_url(url).get_backend_name() if url else "sqlite"


def _admin_url(url: str) -> sa.URL:
    return make_url(url).set(drivername="postgresql+psycopg2")


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    url = os.environ.get(ENV_VAR)
    if not url:
        yield f"sqlite+aiosqlite:///{tmp_dir / 'hub-test.db'}"
        return
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise RuntimeError(f"{ENV_VAR} must be a PostgreSQL URL, got {parsed.drivername}")
    name = f"hubtest_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"PostgreSQL at {parsed.host}:{parsed.port} is unreachable ({exc.orig}); "
            "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        ) from exc
    try:
        yield parsed.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
