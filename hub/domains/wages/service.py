"""Use cases of wage accounts: HRSS registers them; the banking regulator records the
controls banks place on them (special mark, restriction, freeze, allocation) and lifts them;
the district bureau gives the notice without which a special mark is never lifted.

Regulations art. 33: special-account funds and deposits may not be seized, frozen or
transferred except to pay the project's own workers. A control whose funds would go anywhere
else is refused with FORBIDDEN (``extensions.rule = "ART_33"``): the hub never records one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.caller import Caller
from hub.db.versioning import expect_version, flush
from hub.domains.identifiers import validate_account_number, validate_money, validate_uscc
from hub.domains.projects.models import Project
from hub.domains.wages import repository as repo
from hub.domains.wages.models import (
    CONTROL_STRENGTH,
    AccountControl,
    AccountKind,
    ControlKind,
    ControlState,
    ControlStatus,
    FundsFor,
    WageAccount,
)
from hub.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from hub.policy.access import AccessView

ART_33 = "ART_33"
_ORDER = list(ControlStatus)  # NONE < MARKED < RESTRICTED < FROZEN < ALLOCATED


def _text(value: str | None, field: str, limit: int, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value and required:
        raise InvalidInput(f"`{field}` must not be empty", field=field)
    if len(value) > limit:
        raise InvalidInput(f"`{field}` is longer than {limit} characters", field=field)
    return value or None


async def register_account(session: AsyncSession, access: AccessView, *, project_id: int,
                           kind: AccountKind, bank_name: str, account_number: str,
                           account_name: str, opening_unit_uscc: str, opened_on: date,
                           balance: Decimal, today: date) -> WageAccount:
    project = await repo.get(session, Project, project_id, access.rows("Project"))
    if project is None:
        raise NotFound("no project with this id", field="project")
    bank = _text(bank_name, "bankName", 200)
    number = validate_account_number(account_number, "accountNumber")
    if await repo.account_by_number(session, bank or "", number) is not None:
        raise Conflict(f"account {number} at {bank} is already in the hub", field="accountNumber")
    opener = await repo.enterprise_by_uscc(session, validate_uscc(opening_unit_uscc, "openingUnitUscc"))
    if opener is None:
        raise NotFound("no enterprise with this USCC", field="openingUnitUscc")
    if opened_on > today:
        raise InvalidInput("`openedOn` is in the future", field="openedOn")
    account = WageAccount(
        project_id=project.id, district_code=project.district_code, kind=kind, bank_name=bank,
        account_number=number, account_name=_text(account_name, "accountName", 300),
        opening_unit_id=opener.id, opened_on=opened_on,
        balance=validate_money(balance, "balance"), special_mark=False,
        control_status=ControlStatus.NONE,
    )
    try:
        await repo.add(session, account)
    except IntegrityError:
        raise Conflict(f"account {number} at {bank} is already in the hub", field="accountNumber") from None
    return account


async def _refresh_status(session: AsyncSession, account: WageAccount) -> None:
    active = await repo.active_controls(session, account.id)
    strongest = max((CONTROL_STRENGTH[c.kind] for c in active), key=_ORDER.index,
                    default=ControlStatus.NONE)
    account.control_status = strongest
    account.special_mark = any(c.kind is ControlKind.SPECIAL_MARK for c in active)


async def place_control(session: AsyncSession, caller: Caller, access: AccessView, *,
                        account_id: int, version: int, kind: ControlKind, effective_on: date,
                        funds_for: FundsFor, purpose: str | None, authority: str | None,
                        today: date) -> AccountControl:
    account = await repo.get(session, WageAccount, account_id, access.rows("WageAccount"))
    if account is None:
        raise NotFound("no wage account with this id", field="account")
    if funds_for is not FundsFor.PROJECT_WORKERS:
        raise Forbidden(
            f"refused: a {kind.value} whose funds would go to {funds_for.value} contradicts "
            "art. 33 of the Regulations on Ensuring Payment of Wages to Migrant Workers: "
            "special-account funds and deposits may not be seized, frozen or transferred except "
            "to pay this project's own workers. Record only controls that protect or pay them.",
            field="fundsFor", rule=ART_33,
        )
    expect_version(account, version, "the account")
    if effective_on > today:
        raise InvalidInput("`effectiveOn` is in the future", field="effectiveOn")
    if kind is not ControlKind.SPECIAL_MARK and not (purpose or "").strip():
        raise InvalidInput(f"a {kind.value} needs its `purpose` (how it protects or pays the "
                           "workers)", field="purpose")
    if any(c.kind is kind for c in await repo.active_controls(session, account.id)):
        raise Conflict(f"a {kind.value} is already in force on this account", field="kind")
    control = AccountControl(
        account_id=account.id, district_code=account.district_code, kind=kind,
        state=ControlState.ACTIVE, effective_on=effective_on, funds_for=funds_for,
        purpose=_text(purpose, "purpose", 2000, required=False),
        authority=_text(authority, "authority", 200, required=False), placed_by=caller.client_id,
    )
    await repo.add(session, control)
    await _refresh_status(session, account)
    await flush(session, "the account")
    return control


async def lift_control(session: AsyncSession, access: AccessView, *, control_id: int,
                       version: int, lifted_on: date, today: date) -> AccountControl:
    control = await repo.get(session, AccountControl, control_id, access.rows("AccountControl"))
    if control is None:
        raise NotFound("no account control with this id", field="id")
    expect_version(control, version, "the control")
    if control.state is ControlState.LIFTED:
        raise IllegalTransition("the control is lifted already")
    if control.kind is ControlKind.SPECIAL_MARK and control.lift_notice_reference is None:
        raise IllegalTransition(
            "a special mark is lifted only on the district bureau's notice, and none is "
            "recorded: the bureau records it with notifyMarkLift")
    floor = max(control.effective_on, control.lift_notice_on or control.effective_on)
    if not floor <= lifted_on <= today:
        raise InvalidInput(f"`liftedOn` must be between {floor} and today", field="liftedOn")
    control.state, control.lifted_on = ControlState.LIFTED, lifted_on
    account = await repo.get(session, WageAccount, control.account_id)
    await flush(session, "the control")
    await _refresh_status(session, account)
    await flush(session, "the account")
    return control


async def notify_mark_lift(session: AsyncSession, caller: Caller, access: AccessView, *,
                           control_id: int, version: int, reference: str, issued_on: date,
                           today: date) -> AccountControl:
    """The district bureau's notice that the bank may lift a special mark (e.g. the project
    is completed and its wages are all paid)."""
    control = await repo.get(session, AccountControl, control_id, access.rows("AccountControl"))
    if control is None:
        raise NotFound("no account control with this id", field="control")
    expect_version(control, version, "the control")
    if control.kind is not ControlKind.SPECIAL_MARK or control.state is not ControlState.ACTIVE:
        raise IllegalTransition("a lift notice is for a special mark in force")
    if issued_on > today:
        raise InvalidInput("`issuedOn` is in the future", field="issuedOn")
    control.lift_notice_reference = _text(reference, "reference", 100)
    control.lift_notice_on = issued_on
    control.lift_notice_by = caller.client_id
    await flush(session, "the control")
    return control
