"""The policy as the application uses it: the version in force, one schema per set of
scopes (built once, kept in a bounded cache), and each request's access view.

This is the one glue module between the pure engine and strawberry/SQLAlchemy.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from graphql import GraphQLInterfaceType, GraphQLObjectType, get_named_type
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.auth.caller import Caller
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.errors import Conflict, InvalidInput, Unavailable
from hub.graphql.nodes import NODE_TYPES
from hub.graphql.schema import HubSchema, build_schema
from hub.policy import repository
from hub.policy.access import AccessView
from hub.policy.document import (
    SHIPPED_POLICY,
    PolicyDocument,
    parse_policy,
)
from hub.policy.engine import CompiledPolicy, compile_policy, effective_scopes
from hub.policy.models import PolicyVersion
from hub.policy.sql import business_today, check_rows, compile_rows
from hub.settings import Settings

#: Entities that row rules may name: the node types and their models.
ENTITY_MODELS: dict[str, type[Any]] = {name: model for name, (model, _) in NODE_TYPES.items()}


def graph_coordinates(schema: HubSchema) -> frozenset[str]:
    """Every output field coordinate of the full graph."""
    coords = set()
    for name, gql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
            continue
        coords |= {f"{name}.{field}" for field in gql_type.fields}
    return frozenset(coords)


def graph_implementers(schema: HubSchema) -> dict[str, frozenset[str]]:
    """Each interface of the full graph and the object types implementing it."""
    found: dict[str, set[str]] = {}
    for name, gql_type in schema._schema.type_map.items():
        if isinstance(gql_type, GraphQLObjectType) and not name.startswith("__"):
            for interface in gql_type.interfaces:
                found.setdefault(interface.name, set()).add(name)
    return {name: frozenset(types) for name, types in found.items()}


def graph_returns(schema: HubSchema) -> dict[str, str]:
    """Each output field of the full graph that returns an object or interface type."""
    found: dict[str, str] = {}
    for name, gql_type in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for field_name, field in gql_type.fields.items():
            target = get_named_type(field.type)
            if isinstance(target, GraphQLObjectType | GraphQLInterfaceType):
                found[f"{name}.{field_name}"] = target.name
    return found


class PolicyService:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.full_schema = build_schema(settings)
        self.coordinates = graph_coordinates(self.full_schema)
        self.implementers = graph_implementers(self.full_schema)
        self.returns = graph_returns(self.full_schema)
        self._compiled: dict[int, CompiledPolicy] = {}
        self._schemas: OrderedDict[tuple[int, frozenset[str]], HubSchema] = OrderedDict()

    # -- the version in force ------------------------------------------------------------
    def compile(self, document: PolicyDocument) -> CompiledPolicy:
        compiled = compile_policy(document, self.coordinates, self.implementers, self.returns)
        try:
            check_rows(compiled.rows, ENTITY_MODELS)
        except LookupError as exc:
            raise InvalidInput(str(exc), field="rows") from None
        return compiled

    async def in_force(self, db: SerialSession | AsyncSession) -> CompiledPolicy:
        """The policy governing this request: one cheap query, then a cache hit (versions
        are immutable, so the compiled form never goes stale)."""
        version = await repository.version_in_force(db)
        if version is None:
            raise Unavailable("no access policy is loaded: run `hub db upgrade`")
        compiled = self._compiled.get(version)
        if compiled is None:
            row = await repository.get(db, version)
            assert row is not None
            compiled = self._compiled[version] = self.compile(PolicyDocument.model_validate(row.document))
        return compiled

    # -- what one caller gets ------------------------------------------------------------
    def schema_for(self, policy: CompiledPolicy, scopes: frozenset[str]) -> HubSchema:
        key = (policy.version, scopes)
        schema = self._schemas.get(key)
        if schema is not None:
            self._schemas.move_to_end(key)
            return schema
        visible = policy.visible(scopes)
        schema = build_schema(self._settings, visible.__contains__)
        self._schemas[key] = schema
        while len(self._schemas) > self._settings.schema_cache_size:
            self._schemas.popitem(last=False)
        return schema

    def access_for(self, policy: CompiledPolicy, caller: Caller) -> AccessView:
        scopes = effective_scopes(caller)
        predicates = compile_rows(
            policy.row_rules(caller), ENTITY_MODELS, caller, business_today(self._settings.business_timezone)
        )
        return AccessView(
            policy_version=policy.version,
            masked=policy.masked(scopes),
            row_predicates=predicates,
            visible=policy.visible(scopes),
            sensitive=policy.sensitive,
        )

    # -- publishing ------------------------------------------------------------------------
    def validate_for_scope_sets(self, policy: CompiledPolicy, scope_sets: Iterable[frozenset[str]]) -> None:
        """Build the schema of every given scope set, so a policy that would leave a type
        without fields (an invalid schema) is refused before it is published."""
        for scopes in scope_sets:
            try:
                build_schema(self._settings, policy.visible(scopes).__contains__)
            except Exception as exc:  # noqa: BLE001 - strawberry raises several kinds
                raise InvalidInput(
                    f"for scopes {sorted(scopes)} the policy gives an invalid schema: {exc}"
                ) from None

    async def publish(
        self, session: AsyncSession, text: str, by: str, scope_sets: Iterable[frozenset[str]] = ()
    ) -> PolicyVersion:
        document = parse_policy(text)
        current = await repository.version_in_force(session) or 0
        if document.version != current + 1:
            raise Conflict(
                f"the file says version {document.version}, but version {current} is in force: "
                f"publish it as version {current + 1}"
            )
        compiled = self.compile(document)
        self.validate_for_scope_sets(compiled, [frozenset({"public"}), *scope_sets])
        row = PolicyVersion(
            version=document.version,
            document=document.model_dump(mode="json", by_alias=True, exclude_none=True),
            source=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            published_by=by,
        )
        repository.add(session, row)
        return row


async def ensure_shipped_policy(service: PolicyService, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Load ``schema/policy.yaml`` as version 1 into an empty database. Several workers may
    race here; the primary key lets one win and the others find it loaded."""
    try:
        async with unit_of_work(sessions, write=True) as session:
            if await repository.version_in_force(session) is None:
                await service.publish(session, SHIPPED_POLICY.read_text(encoding="utf-8"), "shipped")
    except IntegrityError:
        pass
