"""GraphQL surface of persons. ID numbers are masked unless the policy grants them in full."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from hub.domains.identifiers import mask_identity
from hub.domains.persons.models import IdType, Person
from hub.graphql.context import RequestContext
from hub.graphql.relay import Node, to_global_id

IdTypeEnum = strawberry.enum(IdType, name="IdType", description="Kind of identity document.")


@strawberry.type(name="Person", description="A legal representative or responsible person.")
class PersonType(Node):
    name: str
    id_type: IdTypeEnum  # type: ignore[valid-type]
    _id_number: strawberry.Private[str]
    _phone: strawberry.Private[str | None]

    @strawberry.field(description="Identity document number; masked without `person:read:identity`.")
    def id_number(self, info: Info[RequestContext, None]) -> str:
        return info.context.mask("Person.idNumber", self._id_number, mask_identity) or ""

    @strawberry.field(description="Phone number (contact data).")
    def phone(self) -> str | None:
        return self._phone

    @classmethod
    def present(cls, person: Person, ctx: RequestContext) -> PersonType:
        ctx.disclosure.persons.add(person.id_number)
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("Person", person.id),
            name=person.name,
            id_type=person.id_type,
            _id_number=person.id_number,
            _phone=person.phone,
        )
