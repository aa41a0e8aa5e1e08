"""The canonical encoding: the bytes an independent verifier must reproduce."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from hub.audit.canonical import CanonicalError, canonical_bytes, format_time, parse_time


def test_sorted_keys_compact_utf8() -> None:
    assert canonical_bytes({"b": 1, "a": [True, None], "名": "工资"}) == (
        '{"a":[true,null],"b":1,"名":"工资"}'.encode()
    )


def test_decimal_is_an_exact_string_and_datetime_utc_microseconds() -> None:
    at = datetime(2026, 11, 22, 8, 35, 52, 886310, tzinfo=timezone(timedelta(hours=8)))
    assert canonical_bytes({"m": Decimal("12.50"), "t": at, "d": date(2026, 1, 2)}) == (
        b'{"d":"2026-01-02","m":"12.50","t":"2026-11-22T00:35:52.886310Z"}'
    )
    assert parse_time(format_time(at)) == at.astimezone(UTC)


def test_sets_are_sorted_and_tuples_are_lists() -> None:
    assert canonical_bytes({"s": {"b", "a"}, "t": (1, 2)}) == b'{"s":["a","b"],"t":[1,2]}'


@pytest.mark.parametrize(
    "value",
    [float("nan"), Decimal("Infinity"), datetime(2026, 1, 1), b"raw", {1: "non-string key"}],
)
def test_values_without_a_canonical_form_are_refused(value: object) -> None:
    with pytest.raises(CanonicalError):
        canonical_bytes({"v": value})
