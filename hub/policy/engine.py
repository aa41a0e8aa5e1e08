"""The pure decision engine: for a set of scopes and a field coordinate, visible, masked or
hidden; for a caller and an entity, which row rules apply. No database, no GraphQL."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hub.auth.caller import Caller
from hub.policy.document import PUBLIC_SCOPE, MaskRule, PolicyDocument, RowRule, expand


class Decision(enum.Enum):
    VISIBLE = "visible"
    MASKED = "masked"
    HIDDEN = "hidden"


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy document resolved against the graph's coordinates."""

    version: int
    scope_fields: Mapping[str, frozenset[str]]
    always: frozenset[str]
    structural: frozenset[str]
    masks: Mapping[str, MaskRule]
    sensitive: frozenset[str]
    rows: tuple[RowRule, ...]
    coordinates: frozenset[str]
    #: interface -> the object types implementing it (``Node`` -> ``Enterprise``, ...)
    implementers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: coordinate -> the object or interface type it returns (fields of scalar type absent).
    returns: Mapping[str, str] = field(default_factory=dict)
    _visible_cache: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def visible(self, scopes: Iterable[str]) -> frozenset[str]:
        key = frozenset(scopes)
        cached = self._visible_cache.get(key)
        if cached is None:
            cached = self._visible_cache[key] = self._closed(self._granted(key))
        return cached

    def _closed(self, granted: set[str]) -> frozenset[str]:
        """Drop fields whose type would show no field, until nothing changes: one scope may
        grant a field returning a type whose fields only another scope grants, and a type
        without fields is an invalid schema (and says nothing to the caller anyway)."""
        while True:
            shown = {c.partition(".")[0] for c in granted}
            empty = {c for c in granted if c in self.returns and self.returns[c] not in shown}
            if not empty:
                return frozenset(granted)
            granted -= empty

    def _granted(self, scopes: frozenset[str]) -> set[str]:
        granted: set[str] = set(self.always)
        for scope in scopes:
            granted |= self.scope_fields.get(scope, frozenset())
        # A type that shows any field shows the visible fields of its interfaces too
        # (``Node.id``): GraphQL requires them, and without them the schema is invalid.
        shown = {c.partition(".")[0] for c in granted}
        for interface, types in self.implementers.items():
            inherited = [c.partition(".")[2] for c in granted if c.startswith(interface + ".")]
            for type_name in types & shown:
                granted.update(f"{type_name}.{name}" for name in inherited)
        return granted

    def masked(self, scopes: frozenset[str]) -> frozenset[str]:
        return frozenset(c for c, m in self.masks.items() if m.unmasked_by not in scopes)

    def decide(self, scopes: frozenset[str], coordinate: str) -> Decision:
        if coordinate not in self.visible(scopes):
            return Decision.HIDDEN
        if coordinate in self.masked(scopes):
            return Decision.MASKED
        return Decision.VISIBLE

    def row_rules(self, caller: Caller) -> dict[str, list[RowRule]]:
        """The rules that apply to this caller, by entity."""
        applying: dict[str, list[RowRule]] = {}
        for rule in self.rows:
            a = rule.applies
            if a.public is not None and a.public != caller.is_public:
                continue
            if a.district_bound is not None and a.district_bound != is_district_bound(caller):
                continue
            if a.unless_scope is not None and a.unless_scope in caller.scopes:
                continue
            applying.setdefault(rule.entity, []).append(rule)
        return applying


#: Profiles whose clients are bound to division codes. Such a client with no codes at all
#: sees no district's rows (its rules compile to FALSE): the rule fails closed, not open.
DISTRICT_PROFILES = frozenset({"DISTRICT"})


def is_district_bound(caller: Caller) -> bool:
    return bool(caller.districts) or caller.profile in DISTRICT_PROFILES


def effective_scopes(caller: Caller) -> frozenset[str]:
    """The scopes the policy evaluates: the token's, or the public pseudo-scope."""
    return frozenset({PUBLIC_SCOPE}) if caller.is_public else caller.scopes


def compile_policy(
    document: PolicyDocument,
    coordinates: frozenset[str],
    implementers: Mapping[str, frozenset[str]] | None = None,
    returns: Mapping[str, str] | None = None,
) -> CompiledPolicy:
    scope_fields = {
        name: expand(rule.fields, coordinates, f"scopes.{name}.fields")
        for name, rule in document.scopes.items()
    }
    structural = expand(document.structural, coordinates, "structural")
    always = expand(document.everyone, coordinates, "everyone") | structural
    expand(document.masks, coordinates, "masks")
    return CompiledPolicy(
        version=document.version,
        scope_fields=scope_fields,
        always=always,
        structural=structural,
        masks=document.masks,
        sensitive=expand(document.sensitive, coordinates, "sensitive"),
        rows=tuple(document.rows),
        coordinates=coordinates,
        implementers=dict(implementers or {}),
        returns=dict(returns or {}),
    )


def ungoverned(policy: CompiledPolicy) -> frozenset[str]:
    """Coordinates no rule mentions: invisible to everyone, and a sign of a forgotten field."""
    governed = set(policy.always)
    for fields in policy.scope_fields.values():
        governed |= fields
    return policy.coordinates - governed
