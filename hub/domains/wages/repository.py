"""All SQL of wage accounts and their controls (registration, controls, lift notices)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.enterprises.models import Enterprise
from hub.domains.wages.models import AccountControl, ControlState, WageAccount

Rows = Sequence[ColumnElement[bool]]


async def get(session: AsyncSession, model: type[Any], pk: int, rows: Rows = ()) -> Any:
    return (await session.scalars(select(model).where(model.id == pk, *rows))).first()


async def enterprise_by_uscc(session: AsyncSession, uscc: str) -> Enterprise | None:
    return (await session.scalars(select(Enterprise).where(Enterprise.uscc == uscc))).first()


async def account_by_number(session: AsyncSession, bank: str, number: str) -> WageAccount | None:
    return (await session.scalars(select(WageAccount).where(
        WageAccount.bank_name == bank, WageAccount.account_number == number))).first()


async def active_controls(session: AsyncSession, account_id: int) -> list[AccountControl]:
    return list(await session.scalars(select(AccountControl).where(
        AccountControl.account_id == account_id, AccountControl.state == ControlState.ACTIVE
    ).order_by(AccountControl.id)))


async def add(session: AsyncSession, row: Any) -> None:
    session.add(row)
    await session.flush()
