from decimal import Decimal

import pytest

from hub.domains import identifiers as ids
from hub.errors import InvalidIdentifier, InvalidInput


def test_uscc_example_from_the_brief_is_valid() -> None:
    assert ids.validate_uscc(" 91350200776049653a ") == "91350200776049653A"


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("91350200776049653", "18 characters"),
        ("91350200776049653B", "expected A"),
        ("9135020077604965OA", "outside GB 32100"),
    ],
)
def test_bad_uscc_says_what_is_wrong(value: str, needle: str) -> None:
    with pytest.raises(InvalidIdentifier, match=needle):
        ids.validate_uscc(value)


def test_resident_id_example_from_the_brief_is_valid() -> None:
    assert ids.validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("value", ["110105194912310021", "11010519491331002X", "1101051949123100"])
def test_bad_resident_id_is_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        ids.validate_resident_id(value)


def test_division_and_account_numbers() -> None:
    assert ids.validate_division_code("110115") == "110115"
    with pytest.raises(InvalidIdentifier):
        ids.validate_division_code("11011")
    assert ids.validate_account_number("6222 0212 3456 7890") == "6222021234567890"
    for bad in ("1234567", "12345678901234567890123456789012345", "62220212345A7890"):
        with pytest.raises(InvalidIdentifier):
            ids.validate_account_number(bad)


def test_money_is_decimal_with_two_places() -> None:
    assert ids.validate_money("12.5") == Decimal("12.50")
    for bad in ("1.005", "-1", "abc", "NaN"):
        with pytest.raises(InvalidInput):
            ids.validate_money(bad)
    with pytest.raises(InvalidInput, match="float"):
        ids.validate_money(1.5)  # type: ignore[arg-type]


def test_masks_keep_only_what_the_brief_allows() -> None:
    assert ids.mask_identity("11010519491231002X") == "110***********002X"
    assert ids.mask_account("6222021234567890") == "************7890"
