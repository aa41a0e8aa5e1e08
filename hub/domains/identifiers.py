"""Validation of the identifiers that join the government's data sets.

Every identifier is checked where it enters the hub (GraphQL input, imports, the demo), so
that nothing downstream has to wonder whether a USCC is real. The algorithms are the
national standards named in each function.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hub.errors import InvalidIdentifier, InvalidInput

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DIVISION_RE = re.compile(r"^[1-9]\d{5}$")
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_ACCOUNT_RE = re.compile(r"^\d{8,32}$")
CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999999999.99")


def uscc_check_char(first17: str) -> str:
    """GB 32100-2015: weights 3^(i-1) mod 31, check = 31 - (S mod 31), 31 read as 0."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str, field: str = "uscc") -> str:
    """Return the canonical (upper-case, stripped) USCC, or raise naming what is wrong."""
    code = value.strip().upper()
    if len(code) != 18:
        raise InvalidIdentifier(f"USCC must be 18 characters, got {len(code)}", field=field)
    bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
    if bad:
        raise InvalidIdentifier(
            f"USCC contains characters outside GB 32100 ({''.join(bad)}); "
            "I, O, S, V and Z are never used",
            field=field,
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidIdentifier(
            f"USCC check character is {code[17]}, expected {expected}: a digit is mistyped",
            field=field,
        )
    return code


def resident_id_check_char(first17: str) -> str:
    """GB 11643-1999 / ISO 7064 MOD 11-2."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str, field: str = "idNumber") -> str:
    """Return the canonical resident ID number, or raise naming what is wrong."""
    number = value.strip().upper()
    if not _ID_RE.match(number):
        raise InvalidIdentifier(
            "resident ID number must be 17 digits followed by a digit or X", field=field
        )
    if not _DIVISION_RE.match(number[:6]):
        raise InvalidIdentifier("resident ID number must start with a division code", field=field)
    month, day = int(number[10:12]), int(number[12:14])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise InvalidIdentifier("resident ID number holds an impossible birth date", field=field)
    expected = resident_id_check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdentifier(
            f"resident ID check character is {number[17]}, expected {expected}", field=field
        )
    return number


def validate_division_code(value: str, field: str = "districtCode") -> str:
    """GB/T 2260: six digits. Codes are revised yearly, so an old code is not an error."""
    code = value.strip()
    if not _DIVISION_RE.match(code):
        raise InvalidIdentifier("division code must be 6 digits, not starting with 0", field=field)
    return code


def validate_account_number(value: str, field: str = "accountNumber") -> str:
    """Digits only, 8 to 32 of them: Chinese bank accounts carry no reliable checksum."""
    number = value.strip().replace(" ", "")
    if not _ACCOUNT_RE.match(number):
        raise InvalidIdentifier("account number must be 8 to 32 digits", field=field)
    return number


def validate_money(value: Decimal | str | int, field: str = "amount") -> Decimal:
    """Money has at most two decimal places and is never negative or a float."""
    if isinstance(value, float):
        raise InvalidInput("money must be a decimal string, not a float", field=field)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not an amount of money", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise InvalidInput("amount must be between 0 and 9999999999999999.99", field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InvalidInput("amount has more than two decimal places", field=field)
    return amount.quantize(CENT)


def mask_identity(number: str) -> str:
    """Masked ID number: the division code's first 3 and the last 4 characters shown."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_account(number: str) -> str:
    """Masked account number: only the last 4 digits shown."""
    return "*" * (len(number) - 4) + number[-4:]
