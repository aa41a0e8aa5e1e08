"""The documentation of each kind's columns, derived from its row model (one source)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from hub.imports.kinds import KINDS


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: str


def columns(kind: str) -> list[Column]:
    schema = KINDS[kind].schema
    return [
        Column(name, info.is_required(), info.description or "")
        for name, info in schema.model_fields.items()
    ]


def describe(kind: str) -> str:
    """The kind's docstring: its key and what happens to rows already in the hub."""
    text = inspect.cleandoc(KINDS[kind].schema.__doc__ or "")
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
