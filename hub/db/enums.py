"""How enums are stored: by name, as VARCHAR, on both databases, so that adding a value is a
code change and never an ALTER TYPE."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Enum

ENUM_LENGTH = 40


def enum_column(enum_class: type[enum.Enum]) -> Any:
    return Enum(enum_class, native_enum=False, length=ENUM_LENGTH, create_constraint=False)
