"""The field coordinates an operation asks for, read from its document against the FULL
graph, so that a field hidden from the caller is still named (as refused) in the audit log.

Fragments and inline fragments are followed through their type conditions; introspection
fields (``__schema``, ``__typename``) are not coordinates of the graph and are skipped.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLError, GraphQLSchema, TypeInfo, TypeInfoVisitor, Visitor, get_named_type, parse, visit
from graphql.language import FieldNode


class _Collect(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.found: dict[str, None] = {}

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        name = node.name.value
        if parent is not None and not name.startswith("__"):
            self.found[f"{get_named_type(parent).name}.{name}"] = None


def requested_coordinates(schema: GraphQLSchema, query: str) -> tuple[str, ...]:
    return _requested(schema, query)


@lru_cache(maxsize=1024)
def _requested(schema: GraphQLSchema, query: str) -> tuple[str, ...]:
    try:
        document = parse(query)
    except GraphQLError:
        return ()
    type_info = TypeInfo(schema)
    collector = _Collect(type_info)
    visit(document, TypeInfoVisitor(type_info, collector))
    return tuple(collector.found)
