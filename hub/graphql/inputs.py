"""Filter inputs shared by the listings: ranges of dates, times and money."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy import ColumnElement

from hub.domains.identifiers import validate_money
from hub.errors import InvalidInput


@strawberry.input(description="Dates from `from` to `to`, both included; either may be open.")
class DateRange:
    from_: dt.date | None = strawberry.field(default=None, name="from")
    to: dt.date | None = None


@strawberry.input(description="Times from `from` (included) to `to` (excluded), in UTC.")
class DateTimeRange:
    from_: dt.datetime | None = strawberry.field(default=None, name="from")
    to: dt.datetime | None = None


@strawberry.input(description="Amounts from `min` to `max`, both included, as decimal strings.")
class MoneyRange:
    min: Decimal | None = None
    max: Decimal | None = None


def date_range(column: Any, value: DateRange | None, field: str) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    if value.from_ and value.to and value.from_ > value.to:
        raise InvalidInput(f"`{field}.from` is after `{field}.to`", field=field)
    preds = []
    if value.from_ is not None:
        preds.append(column >= value.from_)
    if value.to is not None:
        preds.append(column <= value.to)
    return preds


def datetime_range(column: Any, value: DateTimeRange | None, field: str) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    for bound in (value.from_, value.to):
        if bound is not None and bound.tzinfo is None:
            raise InvalidInput(f"`{field}` times need a UTC offset, e.g. 2026-01-01T00:00:00Z", field=field)
    if value.from_ and value.to and value.from_ > value.to:
        raise InvalidInput(f"`{field}.from` is after `{field}.to`", field=field)
    preds = []
    if value.from_ is not None:
        preds.append(column >= value.from_.astimezone(dt.UTC))
    if value.to is not None:
        preds.append(column < value.to.astimezone(dt.UTC))
    return preds


def money_range(column: Any, value: MoneyRange | None, field: str) -> list[ColumnElement[bool]]:
    if value is None:
        return []
    low = validate_money(value.min, f"{field}.min") if value.min is not None else None
    high = validate_money(value.max, f"{field}.max") if value.max is not None else None
    if low is not None and high is not None and low > high:
        raise InvalidInput(f"`{field}.min` is above `{field}.max`", field=field)
    preds = []
    if low is not None:
        preds.append(column >= low)
    if high is not None:
        preds.append(column <= high)
    return preds


def prefix(column: Any, value: str | None) -> list[ColumnElement[bool]]:
    """``LIKE 'abc%'`` with the wildcards of the value escaped."""
    if not value:
        return []
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [column.like(f"{escaped}%", escape="\\")]


REVEALS = "reveals"


def reveals(*coordinates: str, description: str | None = None) -> Any:
    """An optional filter field that exposes ``coordinates``: it is in a caller's schema only
    when all of them are, so no one can probe a hidden field through a filter."""
    return strawberry.field(default=None, description=description, metadata={REVEALS: coordinates})


def part_of(mutation: str, description: str | None = None, default: Any = dataclasses.MISSING) -> Any:
    """A field of a mutation's input object: governed by the mutation's coordinate
    (``Mutation.name``), so it is in a caller's schema exactly when the mutation is."""
    return strawberry.field(default=default, description=description, metadata={REVEALS: (mutation,)})
