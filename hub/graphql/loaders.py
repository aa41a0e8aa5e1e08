"""Data loaders of one request: every lookup by id and every nested page is batched, so the
number of SQL statements depends on the depth of the query, not on the number of rows.

Loaders are keyed by what changes the SQL (model, foreign key, page, and a ``where_key``
that the caller derives from its filter and the entity's row rules); all parents asking for
the same page of children are answered by one windowed statement.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from strawberry.dataloader import DataLoader

from hub.db.keyset import Page, PageRequest, count_children, fetch_child_pages
from hub.db.serial import SerialSession


class Loaders:
    def __init__(self, db: SerialSession) -> None:
        self._db = db
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def _get(self, key: Hashable, batch: Any) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=batch)
        return loader

    async def by_id(
        self,
        model: type[Any],
        pk: int,
        predicates: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = (),
    ) -> Any:
        """The row with this primary key, or None (also when a row rule hides it)."""

        async def batch(keys: list[int]) -> list[Any]:
            stmt = select(model).where(model.id.in_(keys), *predicates)
            found = {row.id: row for row in (await self._db.scalars(stmt)).all()}
            return [found.get(k) for k in keys]

        return await self._get(("id", model, where_key), batch).load(pk)

    async def child_page(
        self,
        model: type[Any],
        parent_col: Any,
        parent_id: int,
        req: PageRequest,
        predicates: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = (),
    ) -> Page[Any]:
        async def batch(keys: list[int]) -> list[Page[Any]]:
            pages = await fetch_child_pages(self._db, model, parent_col, keys, req, predicates)  # type: ignore[arg-type]
            return [pages[k] for k in keys]

        key = ("page", model, parent_col.key, req, where_key)
        return await self._get(key, batch).load(parent_id)

    async def child_count(
        self,
        parent_col: Any,
        parent_id: int,
        predicates: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = (),
    ) -> int:
        async def batch(keys: list[int]) -> list[int]:
            counts = await count_children(self._db, parent_col, keys, predicates)  # type: ignore[arg-type]
            return [counts[k] for k in keys]

        key = ("count", parent_col.table.name, parent_col.key, where_key)
        return await self._get(key, batch).load(parent_id)

    async def children(
        self,
        model: type[Any],
        parent_col: Any,
        parent_id: int,
        order_by: Any = None,
        predicates: Sequence[ColumnElement[bool]] = (),
        where_key: Hashable = (),
    ) -> list[Any]:
        """All children of a parent (small, bounded lists such as a blacklist entry's
        persons or history), in one statement per request level."""

        async def batch(keys: list[int]) -> list[list[Any]]:
            stmt = select(model).where(parent_col.in_(keys), *predicates).order_by(order_by or parent_col)
            grouped: dict[int, list[Any]] = {k: [] for k in keys}
            for row in (await self._db.scalars(stmt)).all():
                grouped[getattr(row, parent_col.key)].append(row)
            return [grouped[k] for k in keys]

        return await self._get(("all", model, parent_col.key, where_key), batch).load(parent_id)

