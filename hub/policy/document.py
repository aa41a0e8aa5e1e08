"""The policy document: its shape (validated with pydantic) and the expansion of its field
patterns against the coordinates the graph actually has.

Patterns: ``Type.field``, ``Type.{a, b}``, ``Type.*`` and ``*Suffix.*``. A pattern that
matches nothing is an error, so a typo cannot silently hide (or fail to hide) a field.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from hub.errors import InvalidInput

PUBLIC_SCOPE = "public"
SHIPPED_POLICY = Path(__file__).resolve().parents[2] / "schema" / "policy.yaml"
_BRACES = re.compile(r"^(?P<type>[^.]+)\.\{(?P<fields>[^}]*)\}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScopeRule(_Strict):
    description: str = ""
    fields: list[str] = Field(default_factory=list)


class MaskRule(_Strict):
    mask: Literal["identity", "account"]
    unmasked_by: str


class Applies(_Strict):
    """When a row rule applies: to the public, to district-bound clients, or to callers
    lacking a scope. Several conditions must all hold."""

    public: bool | None = None
    district_bound: bool | None = None
    unless_scope: str | None = None


class Where(_Strict):
    """A predicate over an entity's fields: a comparison, or ``all``/``any`` of predicates.
    Values may be literals, ``$today``, ``$caller.districts`` or ``$caller.department`` (a
    caller bound to no department matches nothing)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    field: str | None = None
    in_: list[Any] | str | None = Field(default=None, alias="in")
    not_in: list[Any] | str | None = None
    eq: Any = None
    gte: Any = None
    lte: Any = None
    all: list[Where] | None = None
    any: list[Where] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Where:
        ops = [o for o in ("in_", "not_in", "eq", "gte", "lte") if getattr(self, o) is not None]
        if self.all is not None or self.any is not None:
            if self.field or ops:
                raise ValueError("`all`/`any` stand alone, without `field`")
        elif not self.field or len(ops) != 1:
            raise ValueError("a comparison names one `field` and exactly one operator")
        return self


class RowRule(_Strict):
    entity: str
    why: str
    applies: Applies
    where: Where


class PolicyDocument(_Strict):
    version: int = Field(ge=1)
    title: str = ""
    everyone: list[str] = Field(default_factory=list)
    structural: list[str] = Field(default_factory=list)
    scopes: dict[str, ScopeRule]
    masks: dict[str, MaskRule] = Field(default_factory=dict)
    sensitive: list[str] = Field(default_factory=list)
    rows: list[RowRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _scopes_known(self) -> PolicyDocument:
        known = set(self.scopes)
        for coord, mask in self.masks.items():
            if mask.unmasked_by not in known:
                raise ValueError(f"mask of {coord} names unknown scope {mask.unmasked_by!r}")
        for rule in self.rows:
            if rule.applies.unless_scope and rule.applies.unless_scope not in known:
                raise ValueError(f"row rule on {rule.entity} names unknown scope {rule.applies.unless_scope!r}")
        return self


def parse_policy(text: str, source: str = "policy") -> PolicyDocument:
    try:
        raw = yaml.safe_load(text)
        return PolicyDocument.model_validate(raw)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{source} is not valid YAML: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"{source}: {where}: {first['msg']}", field=where) from None


def load_shipped_policy() -> PolicyDocument:
    return parse_policy(SHIPPED_POLICY.read_text(encoding="utf-8"), str(SHIPPED_POLICY.name))


def expand(patterns: Iterable[str], coordinates: frozenset[str], where: str) -> frozenset[str]:
    """The coordinates the patterns denote; an unmatched pattern is an error."""
    result: set[str] = set()
    for pattern in patterns:
        braces = _BRACES.match(pattern)
        names = (
            [f"{braces['type']}.{f.strip()}" for f in braces["fields"].split(",") if f.strip()]
            if braces
            else [pattern]
        )
        for name in names:
            matched = {c for c in coordinates if fnmatch.fnmatchcase(c, name)} if "*" in name else ({name} & coordinates)
            if not matched:
                raise InvalidInput(f"{where}: {name!r} matches no field of the graph", field=where)
            result |= matched
    return frozenset(result)
