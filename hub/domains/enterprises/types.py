"""GraphQL surface of enterprises: explicit fields (the published, policy-governed contract)
and the listings that hang off an enterprise."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from hub.domains.enterprises import repository
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.domains.persons.models import Person
from hub.domains.persons.types import PersonType
from hub.graphql.context import RequestContext
from hub.graphql.inputs import MoneyRange, reveals
from hub.graphql.listing import child_connection, present_one
from hub.graphql.pagination import Connection
from hub.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from hub.domains.blacklist.types import BlacklistEntryFilter, BlacklistEntryType
    from hub.domains.credit.types import CreditRecordFilter, CreditRecordType
    from hub.domains.projects.types import ProjectFilter, ProjectType
    from hub.domains.wages.types import WageAccountFilter, WageAccountType

EnterpriseStatusEnum = strawberry.enum(
    EnterpriseStatus, name="EnterpriseStatus", description="Registration status."
)

Ctx = Info[RequestContext, None]
_BL = "hub.domains.blacklist.types"
_CR = "hub.domains.credit.types"
_PR = "hub.domains.projects.types"
_WA = "hub.domains.wages.types"


@strawberry.input(description="Filters on enterprises; all given filters must match.")
class EnterpriseFilter:
    uscc: str | None = reveals("Enterprise.uscc")
    name_prefix: str | None = reveals("Enterprise.name", description="Names starting with this text.")
    district_code: str | None = reveals("Enterprise.districtCode")
    status: EnterpriseStatusEnum | None = reveals("Enterprise.status")  # type: ignore[valid-type]
    registered_capital: MoneyRange | None = reveals("Enterprise.registeredCapital")

    def predicates(self) -> list:  # type: ignore[type-arg]
        return repository.predicates(
            self.uscc, self.name_prefix, self.district_code, self.status, self.registered_capital
        )


@strawberry.type(name="Enterprise", description="A registered enterprise, keyed by its USCC.")
class EnterpriseType(Node):
    uscc: str = strawberry.field(description="Unified Social Credit Code (GB 32100-2015).")
    name: str
    status: EnterpriseStatusEnum  # type: ignore[valid-type]
    address: str | None
    registered_capital: Decimal | None
    district_code: str = strawberry.field(description="Division code (GB/T 2260) of registration.")
    contact_person: str | None
    contact_phone: str | None
    _model: strawberry.Private[Enterprise]

    @classmethod
    def present(cls, m: Enterprise, ctx: RequestContext) -> EnterpriseType:
        ctx.disclosure.enterprises.add(m.uscc)
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("Enterprise", m.id),
            uscc=m.uscc,
            name=m.name,
            status=m.status,
            address=m.address,
            registered_capital=m.registered_capital,
            district_code=m.district_code,
            contact_person=m.contact_person,
            contact_phone=m.contact_phone,
            _model=m,
        )

    @strawberry.field(description="The legal representative.")
    async def legal_representative(self, info: Ctx) -> PersonType | None:
        return await present_one(info.context, Person, self._model.legal_representative_id, PersonType.present)

    @strawberry.field(description="Credit records of the enterprise, oldest first.")
    async def credit_records(
        self,
        info: Ctx,
        filter: Annotated[CreditRecordFilter, strawberry.lazy(_CR)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[CreditRecordType, strawberry.lazy(_CR)]]:
        from hub.domains.credit.models import CreditRecord
        from hub.domains.credit.types import CreditRecordType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, CreditRecord, CreditRecord.enterprise_id, self._model.id, preds, repr(filter),
            lambda m: CreditRecordType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Blacklist entries naming the enterprise.")
    async def blacklist_entries(
        self,
        info: Ctx,
        filter: Annotated[BlacklistEntryFilter, strawberry.lazy(_BL)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[BlacklistEntryType, strawberry.lazy(_BL)]]:
        from hub.domains.blacklist.models import BlacklistEntry
        from hub.domains.blacklist.types import BlacklistEntryType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, BlacklistEntry, BlacklistEntry.enterprise_id, self._model.id, preds, repr(filter),
            lambda m: BlacklistEntryType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Projects of which the enterprise is the general contractor.")
    async def projects(
        self,
        info: Ctx,
        filter: Annotated[ProjectFilter, strawberry.lazy(_PR)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[ProjectType, strawberry.lazy(_PR)]]:
        from hub.domains.projects.models import Project
        from hub.domains.projects.types import ProjectType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, Project, Project.general_contractor_id, self._model.id, preds, repr(filter),
            lambda m: ProjectType.present(m, ctx), first, after, last, before,
        )

    @strawberry.field(description="Wage accounts the enterprise opened.")
    async def wage_accounts(
        self,
        info: Ctx,
        filter: Annotated[WageAccountFilter, strawberry.lazy(_WA)] | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[WageAccountType, strawberry.lazy(_WA)]]:
        from hub.domains.wages.models import WageAccount
        from hub.domains.wages.types import WageAccountType

        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, WageAccount, WageAccount.opening_unit_id, self._model.id, preds, repr(filter),
            lambda m: WageAccountType.present(m, ctx), first, after, last, before,
        )
