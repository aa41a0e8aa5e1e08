"""Optimistic concurrency for services: the version a client read must be the row's version
now, and a concurrent change caught by the UPDATE's version predicate is a CONFLICT too."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from hub.errors import Conflict


def expect_version(row: Any, version: int, what: str) -> None:
    if row.version != version:
        raise Conflict(
            f"{what} is at version {row.version}, not {version}: someone changed it since you "
            "read it; read it again and retry", current=row.version,
        )


async def flush(session: AsyncSession, what: str = "the row") -> None:
    """Flush, turning a lost race on a versioned row into CONFLICT."""
    try:
        await session.flush()
    except StaleDataError:
        raise Conflict(f"{what} was changed by another request at the same time: read it again "
                       "and retry") from None
