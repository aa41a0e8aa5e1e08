"""All SQL of the monitoring workflow: investigations, findings (anomalies) and referrals.
Every look-up a client's request makes carries that client's row rules (``rows``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.monitoring.models import (
    Investigation,
    InvestigationProject,
    Referral,
    ReferralStatus,
)
from hub.domains.projects.models import Project

M = TypeVar("M")
Rows = Sequence[ColumnElement[bool]]


async def get(session: AsyncSession, model: type[M], pk: int, rows: Rows = ()) -> M | None:
    """The row, or None when it does not exist or the caller's row rules hide it."""
    return (await session.scalars(select(model).where(model.id == pk, *rows))).first()  # type: ignore[attr-defined]


async def projects(session: AsyncSession, ids: Iterable[int], rows: Rows = ()) -> dict[int, Project]:
    found = await session.scalars(select(Project).where(Project.id.in_(sorted(set(ids))), *rows))
    return {p.id: p for p in found}


async def add_investigation(session: AsyncSession, investigation: Investigation,
                            project_ids: Iterable[int]) -> None:
    session.add(investigation)
    await session.flush()
    await session.execute(insert(InvestigationProject), [
        {"investigation_id": investigation.id, "project_id": p} for p in sorted(set(project_ids))
    ])


async def in_investigation(session: AsyncSession, investigation_id: int, project_id: int) -> bool:
    found = await session.scalar(select(InvestigationProject.project_id).where(
        InvestigationProject.investigation_id == investigation_id,
        InvestigationProject.project_id == project_id))
    return found is not None


def investigation_projects(investigation_id: int) -> ColumnElement[bool]:
    """Predicate on Project: the projects of one investigation."""
    return Project.id.in_(select(InvestigationProject.project_id).where(
        InvestigationProject.investigation_id == investigation_id))


async def open_referral_of(session: AsyncSession, *, anomaly_id: int | None = None,
                           signal_id: int | None = None) -> Referral | None:
    """A referral of this finding or signal that is not closed yet."""
    where = (Referral.anomaly_id == anomaly_id) if anomaly_id is not None else (
        Referral.signal_id == signal_id)
    return (await session.scalars(select(Referral).where(
        where, Referral.status != ReferralStatus.CLOSED))).first()


async def add(session: AsyncSession, row: Any) -> None:
    session.add(row)
    await session.flush()


def overdue(today: date) -> ColumnElement[bool]:
    return and_(Referral.status != ReferralStatus.CLOSED, Referral.deadline < today)


async def referral_summary(session: AsyncSession, rows: Rows, today: date,
                           district: str | None = None) -> Sequence[Any]:
    """Per district: open (not closed), overdue (open, past the deadline), closed, total."""
    is_open = Referral.status != ReferralStatus.CLOSED
    stmt = (select(Referral.district_code,
                   func.sum(case((is_open, 1), else_=0)),
                   func.sum(case((overdue(today), 1), else_=0)),
                   func.sum(case((Referral.status == ReferralStatus.CLOSED, 1), else_=0)),
                   func.count())
            .where(*rows).group_by(Referral.district_code).order_by(Referral.district_code))
    if district is not None:
        stmt = stmt.where(Referral.district_code == district)
    return (await session.execute(stmt)).all()

