"""Relay cursor connections over keyset pages (``hub.db.keyset``).

Cursors are opaque to clients (base64 of a versioned id) and validated on the way in;
page sizes are bounded by settings and an oversize request is an error, never a silent cap.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from hub.db.keyset import Page, PageRequest
from hub.errors import InvalidInput, PageSizeExceeded
from hub.settings import Settings

T = TypeVar("T")
_CURSOR_PREFIX = "c1:"


def encode_cursor(row_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{row_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, field: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if raw.startswith(_CURSOR_PREFIX):
            return int(raw[len(_CURSOR_PREFIX) :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidInput(
        f"`{field}` is not a cursor this hub issued: pass a cursor from pageInfo or edges",
        field=field,
    )


def page_request(
    settings: Settings,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    """Validate Relay arguments into a keyset page request."""
    if first is not None and last is not None:
        raise InvalidInput("give `first` or `last`, not both", field="first")
    size = first if first is not None else last
    name = "first" if last is None else "last"
    if size is None:
        size = settings.page_size_default
    if size < 0:
        raise InvalidInput(f"`{name}` must not be negative", field=name)
    if size > settings.page_size_max:
        raise PageSizeExceeded(
            f"`{name}` is {size}; at most {settings.page_size_max} rows per page: "
            "page through the rest with the `after` cursor",
            field=name,
            maximum=settings.page_size_max,
        )
    return PageRequest(
        limit=size,
        after_id=decode_cursor(after, "after") if after else None,
        before_id=decode_cursor(before, "before") if before else None,
        backward=last is not None,
    )


@strawberry.type(description="Where a page stands in its connection.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a listing, in a stable order (oldest first).")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Rows matching the filters that the caller may see.")
    async def total_count(self) -> int:
        return await self._count()

    @strawberry.field(description="The nodes of `edges`, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(
    page: Page[object],
    wrap: Callable[[object], T],
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    edges: Sequence[Edge[T]] = [Edge(cursor=encode_cursor(row.id), node=wrap(row)) for row in page.rows]  # type: ignore[attr-defined]
    return Connection(
        edges=list(edges),
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )
