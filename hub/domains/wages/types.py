"""GraphQL surface of wage accounts and their in/out records. Account numbers are masked to
the last four digits unless the policy grants them in full."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types import Info

from hub.domains.enterprises.models import Enterprise
from hub.domains.identifiers import mask_account, validate_division_code
from hub.domains.projects.models import Project
from hub.domains.wages.models import (
    AccountControl,
    AccountKind,
    AccountTransaction,
    ControlKind,
    ControlState,
    ControlStatus,
    Direction,
    FundsFor,
    WageAccount,
)
from hub.graphql.context import RequestContext
from hub.graphql.inputs import DateTimeRange, MoneyRange, datetime_range, money_range, reveals
from hub.graphql.listing import child_connection, present_one
from hub.graphql.pagination import Connection
from hub.graphql.relay import Node, to_global_id

if TYPE_CHECKING:
    from hub.domains.enterprises.types import EnterpriseType
    from hub.domains.projects.types import ProjectType

AccountKindEnum = strawberry.enum(AccountKind, name="AccountKind", description="SPECIAL: wage special account; DEPOSIT: wage deposit account.")
ControlStatusEnum = strawberry.enum(ControlStatus, name="ControlStatus")
DirectionEnum = strawberry.enum(Direction, name="Direction")
ControlKindEnum = strawberry.enum(ControlKind, name="ControlKind")
ControlStateEnum = strawberry.enum(ControlState, name="ControlState")
FundsForEnum = strawberry.enum(
    FundsFor, name="FundsFor",
    description="Where the funds under a control may go. Regulations art. 33: only to the "
    "project's own workers (PROJECT_WORKERS); any other value is refused.")
Ctx = Info[RequestContext, None]
_EN = "hub.domains.enterprises.types"
_PR = "hub.domains.projects.types"


@strawberry.input(description="Filters on wage accounts; all given filters must match.")
class WageAccountFilter:
    district_code: str | None = reveals("WageAccount.districtCode")
    kind: AccountKindEnum | None = reveals("WageAccount.kind")  # type: ignore[valid-type]
    control_status: ControlStatusEnum | None = reveals("WageAccount.controlStatus")  # type: ignore[valid-type]
    special_mark: bool | None = reveals("WageAccount.specialMark")
    balance: MoneyRange | None = reveals("WageAccount.balance")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.district_code is not None:
            preds.append(WageAccount.district_code == validate_division_code(self.district_code, "filter.districtCode"))
        if self.kind is not None:
            preds.append(WageAccount.kind == self.kind)
        if self.control_status is not None:
            preds.append(WageAccount.control_status == self.control_status)
        if self.special_mark is not None:
            preds.append(WageAccount.special_mark == self.special_mark)
        preds += money_range(WageAccount.balance, self.balance, "filter.balance")
        return preds


@strawberry.input(description="Filters on in/out records.")
class AccountTransactionFilter:
    direction: DirectionEnum | None = reveals("AccountTransaction.direction")  # type: ignore[valid-type]
    occurred_at: DateTimeRange | None = reveals("AccountTransaction.occurredAt")
    amount: MoneyRange | None = reveals("AccountTransaction.amount")

    def predicates(self) -> list[ColumnElement[bool]]:
        preds: list[ColumnElement[bool]] = []
        if self.direction is not None:
            preds.append(AccountTransaction.direction == self.direction)
        preds += datetime_range(AccountTransaction.occurred_at, self.occurred_at, "filter.occurredAt")
        preds += money_range(AccountTransaction.amount, self.amount, "filter.amount")
        return preds


@strawberry.type(name="AccountTransaction", description="One in/out record of a wage account.")
class AccountTransactionType(Node):
    bank_reference: str
    direction: DirectionEnum  # type: ignore[valid-type]
    amount: Decimal
    occurred_at: dt.datetime
    counterparty_name: str | None
    summary: str | None
    _counterparty_account: strawberry.Private[str | None]

    @strawberry.field(description="Counterparty account; masked like account numbers.")
    def counterparty_account(self, info: Ctx) -> str | None:
        return info.context.mask("AccountTransaction.counterpartyAccount", self._counterparty_account, mask_account)

    @classmethod
    def present(cls, m: AccountTransaction, ctx: RequestContext) -> AccountTransactionType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("AccountTransaction", m.id),
            bank_reference=m.bank_reference,
            direction=m.direction,
            amount=m.amount,
            occurred_at=m.occurred_at,
            counterparty_name=m.counterparty_name,
            summary=m.summary,
            _counterparty_account=m.counterparty_account,
        )


@strawberry.type(name="AccountControl", description="A control a bank placed on a wage account.")
class AccountControlType(Node):
    kind: ControlKindEnum  # type: ignore[valid-type]
    state: ControlStateEnum  # type: ignore[valid-type]
    funds_for: FundsForEnum  # type: ignore[valid-type]
    effective_on: dt.date
    lifted_on: dt.date | None
    purpose: str | None
    authority: str | None
    lift_notice_reference: str | None = strawberry.field(description="The district bureau's notice that lets the bank lift a special mark.")
    lift_notice_on: dt.date | None
    version: int

    @classmethod
    def present(cls, m: AccountControl, ctx: RequestContext) -> AccountControlType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("AccountControl", m.id), kind=m.kind, state=m.state,
            funds_for=m.funds_for, effective_on=m.effective_on, lifted_on=m.lifted_on,
            purpose=m.purpose, authority=m.authority,
            lift_notice_reference=m.lift_notice_reference, lift_notice_on=m.lift_notice_on,
            version=m.version,
        )


@strawberry.type(name="WageAccount", description="A project's wage special account or wage deposit account.")
class WageAccountType(Node):
    kind: AccountKindEnum  # type: ignore[valid-type]
    district_code: str
    bank_name: str
    account_name: str
    opened_on: dt.date
    balance: Decimal
    special_mark: bool = strawberry.field(description="Whether the bank marked it as a special account.")
    control_status: ControlStatusEnum  # type: ignore[valid-type]
    version: int
    _model: strawberry.Private[WageAccount]

    @classmethod
    def present(cls, m: WageAccount, ctx: RequestContext) -> WageAccountType:
        ctx.disclosure.rows += 1
        return cls(
            id=to_global_id("WageAccount", m.id),
            kind=m.kind,
            district_code=m.district_code,
            bank_name=m.bank_name,
            account_name=m.account_name,
            opened_on=m.opened_on,
            balance=m.balance,
            special_mark=m.special_mark,
            control_status=m.control_status,
            version=m.version,
            _model=m,
        )

    @strawberry.field(description="Account number; masked to the last 4 digits without `wages:read:account`.")
    def account_number(self, info: Ctx) -> str:
        return info.context.mask("WageAccount.accountNumber", self._model.account_number, mask_account) or ""

    @strawberry.field(description="The project the account serves.")
    async def project(self, info: Ctx) -> Annotated[ProjectType, strawberry.lazy(_PR)] | None:
        from hub.domains.projects.types import ProjectType

        return await present_one(info.context, Project, self._model.project_id, ProjectType.present)

    @strawberry.field(description="The unit that opened the account (should be the general contractor).")
    async def opening_unit(self, info: Ctx) -> Annotated[EnterpriseType, strawberry.lazy(_EN)] | None:
        from hub.domains.enterprises.types import EnterpriseType

        return await present_one(info.context, Enterprise, self._model.opening_unit_id, EnterpriseType.present)

    @strawberry.field(description="Controls placed on the account (in force and lifted), oldest first.")
    async def controls(self, info: Ctx) -> list[AccountControlType]:
        ctx = info.context
        rows = await ctx.loaders.children(AccountControl, AccountControl.account_id, self._model.id,
                                          AccountControl.id, ctx.access.rows("AccountControl"), "AccountControl")
        return [AccountControlType.present(m, ctx) for m in rows]

    @strawberry.field(description="In/out records, oldest first.")
    async def transactions(
        self,
        info: Ctx,
        filter: AccountTransactionFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AccountTransactionType]:
        ctx = info.context
        preds = filter.predicates() if filter else []
        return await child_connection(
            ctx, AccountTransaction, AccountTransaction.account_id, self._model.id, preds, repr(filter),
            lambda m: AccountTransactionType.present(m, ctx), first, after, last, before,
        )
