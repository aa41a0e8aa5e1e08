"""Assembles the graph from the domains' root fields, and builds one schema per field
visibility (the policy decides which coordinates a set of scopes may see).

Each schema is built once and cached by its caller (``hub.policy``): hidden fields are then
absent from introspection and validation, exactly as if they never existed. graphql-core
would still suggest near names ("Did you mean ...?") for fields, arguments, enum values and
types; validation and execution here run with ``hide_suggestions`` so nothing hidden leaks.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql import validate
from graphql.execution import execute
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.tools import merge_types
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from hub.audit.query import AuditQuery
from hub.domains.blacklist.mutation import BlacklistMutation
from hub.domains.blacklist.query import BlacklistQuery
from hub.domains.blacklist.subscription import BlacklistSubscription
from hub.domains.enterprises.query import EnterpriseQuery
from hub.domains.monitoring.mutation import MonitoringMutation
from hub.domains.monitoring.query import MonitoringQuery
from hub.domains.projects.mutation import ProjectMutation
from hub.domains.projects.query import ProjectQuery
from hub.domains.wages.mutation import WageMutation
from hub.domains.wages.query import WageQuery
from hub.graphql.errors import ErrorCodes
from hub.graphql.inputs import REVEALS
from hub.graphql.nodes import NodeQuery
from hub.graphql.viewer import ViewerQuery
from hub.push.mutation import WebhookMutation
from hub.push.types import WebhookQuery
from hub.settings import Settings

Query = merge_types(
    "Query",
    (
        ViewerQuery, EnterpriseQuery, BlacklistQuery, ProjectQuery, WageQuery, MonitoringQuery, NodeQuery,
        WebhookQuery, AuditQuery,
    ),
)

#: Each domain's mutation class (a ``@strawberry.type`` in its ``mutation.py``). Every
#: mutation field is governed by the policy like any other coordinate (``Mutation.name``).
MUTATION_TYPES: tuple[type, ...] = (
    BlacklistMutation, WebhookMutation, ProjectMutation, WageMutation, MonitoringMutation,
)
Mutation = merge_types("Mutation", MUTATION_TYPES) if MUTATION_TYPES else None

#: Subscriptions, served over graphql-transport-ws at ``/graphql`` (``hub.web.subscriptions``).
SUBSCRIPTION_TYPES: tuple[type, ...] = (BlacklistSubscription,)
Subscription = merge_types("Subscription", SUBSCRIPTION_TYPES)

#: Decides whether a field coordinate such as ``Enterprise.uscc`` is in a schema.
Visibility = Callable[[str], bool]


def _all_visible(_: str) -> bool:
    return True


class _ValidateWithoutSuggestions(SchemaExtension):
    """Runs validation itself, with suggestions hidden; strawberry then skips its own."""

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            rules = (*ctx.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
            ctx.pre_execution_errors = validate(
                ctx.schema._schema, ctx.graphql_document, rules, hide_suggestions=True
            )
        yield


class HubSchema(strawberry.Schema):
    """A strawberry schema restricted to the coordinates ``visible`` admits."""

    def __init__(self, visible: Visibility, settings: Settings, **kwargs: Any) -> None:
        self._visible = visible
        super().__init__(**kwargs)

    def get_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        if type_definition.is_input:
            return self._input_fields(type_definition)
        name = self.config.name_converter.from_object(type_definition)
        return [
            self._without_empty_inputs(f) for f in type_definition.fields
            if self._visible(f"{name}.{self.config.name_converter.get_graphql_name(f)}")
        ]

    def _input_fields(self, type_definition: StrawberryObjectDefinition) -> list[StrawberryField]:
        # A filter field is there only if every output field it reveals is.
        return [
            f for f in type_definition.fields
            if REVEALS not in f.metadata or all(self._visible(c) for c in f.metadata[REVEALS])
        ]

    def _without_empty_inputs(self, field: StrawberryField) -> StrawberryField:
        """The field without arguments whose input type would have no visible field (such a
        type would make the schema invalid, and would filter on nothing the caller sees)."""
        kept = [a for a in field.arguments if not self._is_empty_input(a.type)]
        if len(kept) == len(field.arguments):
            return field
        narrowed = copy.copy(field)
        narrowed.arguments = kept
        return narrowed

    def _is_empty_input(self, annotation: Any) -> bool:
        while hasattr(annotation, "of_type"):  # Optional[...] and list[...]
            annotation = annotation.of_type
        definition = getattr(annotation, "__strawberry_definition__", None)
        return bool(definition is not None and definition.is_input and not self._input_fields(definition))

    def _get_execute_function(self) -> Callable[..., Any]:
        return functools.partial(execute, hide_suggestions=True)


def _root_if_visible(root: type | None, name: str, visible: Visibility, config: StrawberryConfig) -> type | None:
    """A root type with no visible field would make the schema invalid: leave it out."""
    if root is None:
        return None
    fields = root.__strawberry_definition__.fields  # type: ignore[attr-defined]
    return root if any(visible(f"{name}.{config.name_converter.get_graphql_name(f)}") for f in fields) else None


def build_schema(settings: Settings, visible: Visibility = _all_visible) -> HubSchema:
    config = StrawberryConfig(disable_field_suggestions=True)
    return HubSchema(
        visible,
        settings,
        query=Query,
        mutation=_root_if_visible(Mutation, "Mutation", visible, config),
        subscription=_root_if_visible(Subscription, "Subscription", visible, config),
        config=config,
        extensions=[
            _ValidateWithoutSuggestions,
            lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
            ErrorCodes,
        ],
    )

