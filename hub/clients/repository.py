"""All SQL about clients."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clients.models import OAuthClient


class ClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, client_id: str) -> OAuthClient | None:
        return await self.session.scalar(
            select(OAuthClient).where(OAuthClient.client_id == client_id)
        )

    async def get_by_name(self, name: str) -> OAuthClient | None:
        return await self.session.scalar(select(OAuthClient).where(OAuthClient.name == name))

    async def list(self, *, include_disabled: bool = True) -> Sequence[OAuthClient]:
        stmt = select(OAuthClient).order_by(OAuthClient.id)
        if not include_disabled:
            stmt = stmt.where(OAuthClient.disabled_at.is_(None))
        return (await self.session.scalars(stmt)).all()

    async def add(self, client: OAuthClient) -> OAuthClient:
        self.session.add(client)
        await self.session.flush()
        return client

    async def flush(self) -> None:
        await self.session.flush()
