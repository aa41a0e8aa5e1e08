"""All SQL about policy versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.db.serial import SerialSession
from hub.policy.models import PolicyVersion

Session = AsyncSession | SerialSession


async def version_in_force(session: Session) -> int | None:
    return await session.scalar(select(func.max(PolicyVersion.version)))  # type: ignore[no-any-return]


async def get(session: Session, version: int) -> PolicyVersion | None:
    return (await session.scalars(select(PolicyVersion).where(PolicyVersion.version == version))).first()  # type: ignore[no-any-return]


async def history(session: AsyncSession) -> Sequence[PolicyVersion]:
    return (await session.scalars(select(PolicyVersion).order_by(PolicyVersion.version))).all()


def add(session: AsyncSession, row: PolicyVersion) -> None:
    session.add(row)
