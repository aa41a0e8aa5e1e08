"""The policy as one request sees it: resolved once per request from the caller's scopes and
attributes, then consulted by field resolvers (masks) and repositories (row predicates)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement


@dataclass(frozen=True, slots=True)
class AccessView:
    policy_version: int
    masked: frozenset[str] = frozenset()
    row_predicates: Mapping[str, Sequence[ColumnElement[bool]]] = field(default_factory=dict)
    visible: frozenset[str] = frozenset()
    sensitive: frozenset[str] = frozenset()

    def rows(self, entity: str) -> Sequence[ColumnElement[bool]]:
        """SQL predicates every query of ``entity`` must carry for this caller."""
        return self.row_predicates.get(entity, ())

    def is_masked(self, coordinate: str) -> bool:
        return coordinate in self.masked


#: Everything visible, nothing masked: for trusted internal tools only (never a request).
UNRESTRICTED = AccessView(policy_version=0)
