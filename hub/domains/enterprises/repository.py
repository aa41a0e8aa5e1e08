"""All SQL about enterprises: the filters a department needs, as predicates."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from hub.db.serial import SerialSession
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.identifiers import validate_division_code, validate_uscc
from hub.graphql.inputs import MoneyRange, money_range, prefix


def predicates(
    uscc: str | None = None,
    name_prefix: str | None = None,
    district_code: str | None = None,
    status: EnterpriseStatus | None = None,
    registered_capital: MoneyRange | None = None,
) -> list[ColumnElement[bool]]:
    preds: list[ColumnElement[bool]] = []
    if uscc is not None:
        preds.append(Enterprise.uscc == validate_uscc(uscc, "filter.uscc"))
    preds += prefix(Enterprise.name, name_prefix)
    if district_code is not None:
        preds.append(Enterprise.district_code == validate_division_code(district_code, "filter.districtCode"))
    if status is not None:
        preds.append(Enterprise.status == status)
    preds += money_range(Enterprise.registered_capital, registered_capital, "filter.registeredCapital")
    return preds


async def by_uscc(
    db: SerialSession, uscc: str, rows: list[ColumnElement[bool]] | tuple[()] = ()
) -> Enterprise | None:
    stmt = select(Enterprise).where(Enterprise.uscc == validate_uscc(uscc), *rows)
    return (await db.scalars(stmt)).first()  # type: ignore[no-any-return]
