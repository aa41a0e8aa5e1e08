"""Mutations on wage accounts and their controls: registration (``wages:write``), controls
(``wages:investigate``) and the district bureau's notice to lift a mark (``referral:handle``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry.types import Info

from hub.domains.wages import service
from hub.domains.wages.models import FundsFor
from hub.domains.wages.types import (
    AccountControlType,
    AccountKindEnum,
    ControlKindEnum,
    FundsForEnum,
    WageAccountType,
)
from hub.graphql.context import RequestContext
from hub.graphql.inputs import part_of
from hub.graphql.relay import pk_of
from hub.policy.sql import business_today

Ctx = Info[RequestContext, None]
_REG, _PLACE = "Mutation.registerWageAccount", "Mutation.placeAccountControl"


def _today(ctx: RequestContext) -> dt.date:
    return business_today(ctx.settings.business_timezone)


@strawberry.input(description="A wage special or deposit account of a registered project.")
class RegisterWageAccountInput:
    project: strawberry.ID = part_of(_REG, "The project's global id.")
    kind: AccountKindEnum = part_of(_REG)  # type: ignore[valid-type]
    bank_name: str = part_of(_REG)
    account_number: str = part_of(_REG, "8 to 32 digits.")
    account_name: str = part_of(_REG)
    opening_unit_uscc: str = part_of(_REG, "The unit that opened it (should be the general contractor).")
    opened_on: dt.date = part_of(_REG)
    balance: Decimal = part_of(_REG, "Yuan, a decimal string.", default=Decimal("0.00"))


@strawberry.input(description="A control a bank placed on a wage account.")
class PlaceAccountControlInput:
    account: strawberry.ID = part_of(_PLACE, "The account's global id.")
    version: int = part_of(_PLACE, "The account's version as read.")
    kind: ControlKindEnum = part_of(_PLACE)  # type: ignore[valid-type]
    effective_on: dt.date = part_of(_PLACE)
    funds_for: FundsForEnum = part_of(  # type: ignore[valid-type]
        _PLACE, "Where the funds may go: only PROJECT_WORKERS is lawful (art. 33).",
        default=FundsFor.PROJECT_WORKERS)
    purpose: str | None = part_of(_PLACE, "How the control protects or pays the workers; "
                                  "required except for a special mark.", default=None)
    authority: str | None = part_of(_PLACE, "The bank or authority that placed it.", default=None)


@strawberry.type
class WageMutation:
    @strawberry.mutation(description="Register a project's wage special or deposit account (wages:write).")
    async def register_wage_account(self, info: Ctx, input: RegisterWageAccountInput) -> WageAccountType:
        ctx = info.context
        m = await service.register_account(
            ctx.db.session, ctx.access, project_id=pk_of(input.project, "Project", "input.project"),
            kind=input.kind, bank_name=input.bank_name, account_number=input.account_number,
            account_name=input.account_name, opening_unit_uscc=input.opening_unit_uscc,
            opened_on=input.opened_on, balance=input.balance, today=_today(ctx),
        )
        return WageAccountType.present(m, ctx)

    @strawberry.mutation(description="Record a control a bank placed on an account "
                         "(wages:investigate); refused if the funds would go anywhere but the "
                         "project's workers (art. 33).")
    async def place_account_control(self, info: Ctx, input: PlaceAccountControlInput) -> AccountControlType:
        ctx = info.context
        m = await service.place_control(
            ctx.db.session, ctx.caller, ctx.access,
            account_id=pk_of(input.account, "WageAccount", "input.account"), version=input.version,
            kind=input.kind, effective_on=input.effective_on, funds_for=input.funds_for,
            purpose=input.purpose, authority=input.authority, today=_today(ctx),
        )
        return AccountControlType.present(m, ctx)

    @strawberry.mutation(description="Record that a control was lifted (wages:investigate); a "
                         "special mark only after the district bureau's notice.")
    async def lift_account_control(self, info: Ctx, id: strawberry.ID, version: int,
                                   lifted_on: dt.date) -> AccountControlType:
        ctx = info.context
        m = await service.lift_control(
            ctx.db.session, ctx.access, control_id=pk_of(id, "AccountControl", "id"),
            version=version, lifted_on=lifted_on, today=_today(ctx))
        return AccountControlType.present(m, ctx)

    @strawberry.mutation(description="The district bureau's notice that a special mark may be "
                         "lifted (referral:handle, own district).")
    async def notify_mark_lift(self, info: Ctx, control: strawberry.ID, version: int,
                               reference: str, issued_on: dt.date) -> AccountControlType:
        ctx = info.context
        m = await service.notify_mark_lift(
            ctx.db.session, ctx.caller, ctx.access,
            control_id=pk_of(control, "AccountControl", "control"), version=version,
            reference=reference, issued_on=issued_on, today=_today(ctx))
        return AccountControlType.present(m, ctx)
