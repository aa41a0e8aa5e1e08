"""One AsyncSession used by concurrent resolvers.

GraphQL resolves sibling fields concurrently and data loaders dispatch in their own tasks,
but an AsyncSession runs one statement at a time. This wrapper queues statements on a lock
so that resolvers may share the request's single session (and its single transaction).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


class SerialSession:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock:
            return await self.session.execute(*args, **kwargs)

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock:
            return await self.session.scalars(*args, **kwargs)

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[AsyncSession]:
        """The session itself, for code written against a plain AsyncSession."""
        async with self._lock:
            yield self.session

    async def scalar(self, *args: Any, **kwargs: Any) -> Any:
        async with self._lock:
            return await self.session.scalar(*args, **kwargs)

    def add(self, instance: Any) -> None:
        self.session.add(instance)

    async def flush(self) -> None:
        async with self._lock:
            await self.session.flush()
