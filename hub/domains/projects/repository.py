"""All SQL of projects."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.enterprises.models import Enterprise
from hub.domains.projects.models import Project


async def by_code(session: AsyncSession, code: str) -> Project | None:
    return (await session.scalars(select(Project).where(Project.code == code))).first()


async def enterprise_by_uscc(session: AsyncSession, uscc: str) -> Enterprise | None:
    return (await session.scalars(select(Enterprise).where(Enterprise.uscc == uscc))).first()


async def add(session: AsyncSession, project: Project) -> None:
    session.add(project)
    await session.flush()
