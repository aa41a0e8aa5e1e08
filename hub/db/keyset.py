"""Keyset pagination in SQL: pages are ``WHERE id > :cursor ORDER BY id LIMIT n+1``, never
OFFSET, so page 1,000 costs what page 1 costs and rows inserted meanwhile do not shift pages.

Every connection in the hub is ordered by primary key: stable, unique and indexed together
with the foreign key or district of each listing (see the models' composite indexes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A validated page: ``limit`` rows after ``after_id`` (forward) or before ``before_id``
    (backward, when ``backward``)."""

    limit: int
    after_id: int | None = None
    before_id: int | None = None
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    rows: Sequence[T]
    has_next: bool
    has_previous: bool


def _bounded(stmt: Select[Any], id_col: Any, req: PageRequest) -> Select[Any]:
    if req.after_id is not None:
        stmt = stmt.where(id_col > req.after_id)
    if req.before_id is not None:
        stmt = stmt.where(id_col < req.before_id)
    return stmt


def _finish(rows: list[T], req: PageRequest) -> Page[T]:
    more = len(rows) > req.limit
    rows = rows[: req.limit]
    if req.backward:
        rows.reverse()
        return Page(rows, has_next=req.before_id is not None, has_previous=more)
    return Page(rows, has_next=more, has_previous=req.after_id is not None)


async def fetch_page(session: AsyncSession, stmt: Select[Any], id_col: Any, req: PageRequest) -> Page[Any]:
    """One page of the entities selected by ``stmt`` (one SQL statement)."""
    order = id_col.desc() if req.backward else id_col.asc()
    stmt = _bounded(stmt, id_col, req).order_by(order).limit(req.limit + 1)
    rows = list((await session.scalars(stmt)).all())
    return _finish(rows, req)


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    """Rows matched by ``stmt`` (filters and row rules included, cursor excluded)."""
    return int(await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


async def fetch_child_pages(
    session: AsyncSession,
    model: type[Any],
    parent_col: Any,
    parent_ids: Sequence[int],
    req: PageRequest,
    predicates: Sequence[ColumnElement[bool]] = (),
) -> dict[int, Page[Any]]:
    """The same page of children for many parents in ONE statement (ROW_NUMBER per parent):
    what lets a page of 50 parents cost what a page of 5 costs."""
    id_col = model.id
    order = id_col.desc() if req.backward else id_col.asc()
    rn = func.row_number().over(partition_by=parent_col, order_by=order).label("rn")
    inner = _bounded(select(model, rn).where(parent_col.in_(parent_ids), *predicates), id_col, req)
    sub = inner.subquery()
    entity = aliased(model, sub)
    stmt = select(entity).where(sub.c.rn <= req.limit + 1).order_by(sub.c.rn)
    grouped: dict[int, list[Any]] = {pid: [] for pid in parent_ids}
    fk_name = parent_col.key
    for row in (await session.scalars(stmt)).all():
        grouped[getattr(row, fk_name)].append(row)
    return {pid: _finish(rows, req) for pid, rows in grouped.items()}


async def count_children(
    session: AsyncSession,
    parent_col: Any,
    parent_ids: Sequence[int],
    predicates: Sequence[ColumnElement[bool]] = (),
) -> dict[int, int]:
    """Children per parent in one GROUP BY statement."""
    stmt = (
        select(parent_col, func.count())
        .where(parent_col.in_(parent_ids), *predicates)
        .group_by(parent_col)
    )
    counts = {pid: 0 for pid in parent_ids}
    for pid, n in (await session.execute(stmt)).all():
        counts[pid] = int(n)
    return counts
