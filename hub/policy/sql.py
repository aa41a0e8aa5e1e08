"""Row rules to SQL: a rule's ``where`` becomes a SQLAlchemy predicate on the entity's model,
so that row rules run in the database (counts and pages stay right; nothing leaks)."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.types import Enum as SAEnum

from hub.auth.caller import Caller
from hub.policy.document import RowRule, Where

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _column(model: type[Any], field: str) -> Any:
    column = getattr(model, _CAMEL.sub("_", field).lower(), None)
    if column is None:
        raise LookupError(f"row rule names {model.__name__}.{field}, which has no column")
    return column


def _value(raw: Any, column: Any, caller: Caller, today: dt.date) -> Any:
    if raw == "$today":
        return today
    if raw == "$caller.districts":
        return sorted(caller.districts)
    if raw == "$caller.department":
        return caller.department
    if isinstance(raw, list):
        return [_value(v, column, caller, today) for v in raw]
    col_type = column.property.columns[0].type
    if isinstance(col_type, SAEnum) and isinstance(raw, str) and col_type.enum_class:
        enum_class: type[enum.Enum] = col_type.enum_class
        return enum_class[raw]
    return raw


def _predicate(model: type[Any], where: Where, caller: Caller, today: dt.date) -> ColumnElement[bool]:
    if where.all is not None:
        return and_(*(_predicate(model, w, caller, today) for w in where.all))
    if where.any is not None:
        return or_(*(_predicate(model, w, caller, today) for w in where.any))
    assert where.field is not None
    col = _column(model, where.field)
    if where.in_ is not None:
        values = _value(where.in_, col, caller, today)
        return col.in_(values) if values else false()
    if where.not_in is not None:
        return col.not_in(_value(where.not_in, col, caller, today))
    if where.eq is not None:
        value = _value(where.eq, col, caller, today)
        return false() if value is None else col == value  # e.g. a caller bound to no department
    if where.gte is not None:
        return col >= _value(where.gte, col, caller, today)  # type: ignore[no-any-return]
    return col <= _value(where.lte, col, caller, today)  # type: ignore[no-any-return]


def business_today(timezone: str) -> dt.date:
    """Dates in the rules (expiry of a listing) are dates where the hub's departments are."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def compile_rows(
    rules: Mapping[str, Sequence[RowRule]],
    models: Mapping[str, type[Any]],
    caller: Caller,
    today: dt.date,
) -> dict[str, tuple[ColumnElement[bool], ...]]:
    return {
        entity: tuple(_predicate(models[entity], r.where, caller, today) for r in entity_rules)
        for entity, entity_rules in rules.items()
    }


def check_rows(rules: Sequence[RowRule], models: Mapping[str, type[Any]]) -> None:
    """Refuse a policy whose row rules name unknown entities or fields (at publish time)."""
    probe = Caller(profile="CHECK", scopes=frozenset(), client_id="check", districts=frozenset({"000000"}))
    for rule in rules:
        if rule.entity not in models:
            raise LookupError(f"row rule names unknown entity {rule.entity!r}")
        _predicate(models[rule.entity], rule.where, probe, dt.date(2000, 1, 1))
