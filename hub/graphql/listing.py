"""Connections from SQL: the two shapes every listing takes (a root listing and the page of
children of each parent), with the caller's row rules always applied."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select

from hub.db.keyset import count, fetch_page
from hub.graphql.context import RequestContext
from hub.graphql.pagination import Connection, connection, page_request

T = TypeVar("T")


async def root_connection(
    ctx: RequestContext,
    model: type[Any],
    predicates: Sequence[ColumnElement[bool]],
    wrap: Callable[[Any], T],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    req = page_request(ctx.settings, first, after, last, before)
    stmt = select(model).where(*predicates, *ctx.access.rows(model.__name__))
    page = await fetch_page(ctx.db, stmt, model.id, req)  # type: ignore[arg-type]
    return connection(page, wrap, lambda: count(ctx.db, stmt))  # type: ignore[arg-type]


async def child_connection(
    ctx: RequestContext,
    model: type[Any],
    parent_col: Any,
    parent_id: int,
    predicates: Sequence[ColumnElement[bool]],
    filter_key: Hashable,
    wrap: Callable[[Any], T],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[T]:
    req = page_request(ctx.settings, first, after, last, before)
    where = (*predicates, *ctx.access.rows(model.__name__))
    key = (filter_key, model.__name__)
    page = await ctx.loaders.child_page(model, parent_col, parent_id, req, where, key)
    return connection(
        page, wrap, lambda: ctx.loaders.child_count(parent_col, parent_id, where, key)
    )


async def fetch_one(ctx: RequestContext, model: type[Any], pk: int) -> Any:
    """A row by primary key through the batching loader, None when absent or hidden."""
    return await ctx.loaders.by_id(model, pk, ctx.access.rows(model.__name__), model.__name__)


async def present_one(
    ctx: RequestContext, model: type[Any], pk: int | None, present: Callable[[Any, RequestContext], T]
) -> T | None:
    """The object a to-one field points at, presented; None when there is no key, or when the
    row does not exist for this caller (a row rule hides it)."""
    if pk is None:
        return None
    row = await fetch_one(ctx, model, pk)
    return present(row, ctx) if row is not None else None
