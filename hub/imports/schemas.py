"""The rows each import kind accepts: one pydantic model per kind, its columns documented.

Values are checked with the hub's identifier validators (:mod:`hub.domains.identifiers`).
Common rules for every kind:

* money is a decimal with at most two places, given as text (``"1234.5"``) or a JSON number
  (read exactly, never as a float); more places, a negative amount or a float are refused;
* dates are ISO ``YYYY-MM-DD``; date-times are ISO 8601 **with** a UTC offset
  (``2026-10-15T14:00:00+08:00`` or ``...Z``) and are stored in UTC;
* enum values are case-insensitive (``in_operation`` is ``IN_OPERATION``);
* a blank cell (or JSON ``null``) is the same as an absent column;
* columns not listed are refused (a typo in a header is an error, not silently ignored).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from hub.domains.credit.models import CreditRecordKind, SourcePlatform
from hub.domains.enterprises.models import EnterpriseStatus
from hub.domains.identifiers import (
    validate_account_number,
    validate_division_code,
    validate_money,
    validate_resident_id,
    validate_uscc,
)
from hub.domains.monitoring.models import AnomalyKind
from hub.domains.persons.models import IdType
from hub.domains.projects.models import PayCycle, ProjectStatus
from hub.domains.wages.models import AccountKind, ControlStatus, Direction
from hub.errors import InvalidInput


def _hub(check: Callable[[str], Any]) -> Callable[[Any], Any]:
    """Run one of the hub's validators, turning its error into a pydantic one."""

    def run(value: Any) -> Any:
        if not isinstance(value, str):
            raise PydanticCustomError("type", "must be text")
        try:
            return check(value)
        except InvalidInput as exc:
            raise PydanticCustomError("invalid", exc.message) from None

    return run


def _money(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | float):
        raise PydanticCustomError("money", "must be an amount such as 1234.50")
    try:
        return validate_money(value)
    except InvalidInput as exc:
        raise PydanticCustomError("money", exc.message) from None


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise PydanticCustomError("date", f"not a real date: {exc}") from None
    raise PydanticCustomError("date", "must be an ISO date YYYY-MM-DD")


def _utc_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise PydanticCustomError("datetime", "must be an ISO 8601 date-time text")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "datetime", "must be an ISO 8601 date-time such as 2026-10-15T14:00:00+08:00"
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise PydanticCustomError(
            "datetime", "must carry a UTC offset (+08:00 or Z): a local time is ambiguous"
        )
    return parsed.astimezone(UTC)


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _int(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        raise PydanticCustomError("int", "must be a whole number")
    return value


Uscc = Annotated[str, BeforeValidator(_hub(validate_uscc))]
Division = Annotated[str, BeforeValidator(_hub(validate_division_code))]
AccountNumber = Annotated[str, BeforeValidator(_hub(validate_account_number))]
Money = Annotated[Decimal, BeforeValidator(_money)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
UtcDateTime = Annotated[datetime, BeforeValidator(_utc_datetime)]
Count = Annotated[int, BeforeValidator(_int), Field(ge=0)]


def _enum(cls: type[Any]) -> Any:
    return Annotated[cls, BeforeValidator(_upper)]


def _text(max_length: int, description: str) -> Any:
    return Field(min_length=1, max_length=max_length, description=description)


class ImportRow(BaseModel):
    """Base of the row models: strict about unknown columns, tolerant about spaces."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    #: The columns that identify a row (its natural key).
    key_fields: ClassVar[tuple[str, ...]]

    def key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self.key_fields)

    def problems(self) -> list[tuple[str, str]]:
        """Rules that span several columns: ``(field, reason)`` pairs."""
        return []


class EnterpriseRow(ImportRow):
    """Enterprises from a registration record, keyed by USCC.

    An enterprise whose USCC is already in the hub is **updated** (upsert): the columns the
    row gives replace the stored ones, blank or absent columns leave them unchanged. Its legal
    representative is a person found (or created) by ID type and number; a row naming an ID
    number must name the person too, and the same ID number cannot carry two names in one
    file. An existing person's name and phone are updated from the row.
    """

    key_fields: ClassVar[tuple[str, ...]] = ("uscc",)

    uscc: Uscc = Field(description="Unified Social Credit Code, 18 characters (GB 32100)")
    name: str = _text(200, "registered name")
    status: _enum(EnterpriseStatus) = Field(  # type: ignore[valid-type]
        EnterpriseStatus.IN_OPERATION,
        description="IN_OPERATION (default for new ones), ABNORMAL_OPERATION, REVOKED, "
        "DEREGISTERED",
    )
    district_code: Division = Field(description="6-digit division code of the registration")
    address: str | None = Field(None, max_length=300, description="registered address")
    registered_capital: Money | None = Field(None, description="yuan, 2 decimal places")
    legal_rep_name: str | None = Field(None, max_length=100,
                                       description="legal representative's name")
    legal_rep_id_type: _enum(IdType) = Field(  # type: ignore[valid-type]
        IdType.RESIDENT_ID, description="RESIDENT_ID (default), PASSPORT, HK_MACAO_PERMIT, "
        "TAIWAN_PERMIT, FOREIGN_PERMANENT_RESIDENT"
    )
    legal_rep_id_number: str | None = Field(
        None, max_length=32, description="ID number; a resident ID's check character is verified"
    )
    legal_rep_phone: str | None = Field(None, max_length=32, description="legal rep's phone")
    contact_person: str | None = Field(None, max_length=100, description="contact person")
    contact_phone: str | None = Field(None, max_length=32, description="contact phone")

    def problems(self) -> list[tuple[str, str]]:
        found = []
        if self.legal_rep_id_number is None:
            if self.legal_rep_name or self.legal_rep_phone:
                found.append(("legal_rep_id_number",
                              "a legal representative needs an ID number"))
            return found
        if not self.legal_rep_name:
            found.append(("legal_rep_name", "required when legal_rep_id_number is given"))
        if self.legal_rep_id_type is IdType.RESIDENT_ID:
            try:
                validate_resident_id(self.legal_rep_id_number, field="legal_rep_id_number")
            except InvalidInput as exc:
                found.append(("legal_rep_id_number", exc.message))
        elif not re.fullmatch(r"[A-Z0-9]{5,32}", self.legal_rep_id_number.upper()):
            found.append(("legal_rep_id_number", "must be 5 to 32 letters and digits"))
        return found

    @property
    def legal_rep_key(self) -> tuple[IdType, str] | None:
        if self.legal_rep_id_number is None:
            return None
        return (self.legal_rep_id_type, self.legal_rep_id_number.upper())


class CreditRecordRow(ImportRow):
    """Credit records of enterprises already in the hub.

    Key: enterprise + kind + document number. A record already in the hub is an error (a
    credit record is a published decision: it is never silently overwritten).
    """

    key_fields: ClassVar[tuple[str, ...]] = ("enterprise_uscc", "kind", "document_number")

    enterprise_uscc: Uscc = Field(description="USCC of an enterprise in the hub")
    kind: _enum(CreditRecordKind) = Field(  # type: ignore[valid-type]
        description="ADMINISTRATIVE_PENALTY, ABNORMAL_OPERATION, SERIOUS_DISHONESTY, "
        "JOINT_DISCIPLINE"
    )
    authority: str = _text(200, "deciding authority")
    document_number: str = _text(100, "decision document number")
    decided_on: IsoDate = Field(description="date of the decision, YYYY-MM-DD")
    summary: str = Field(min_length=1, description="what was decided")
    source_platform: _enum(SourcePlatform) = Field(  # type: ignore[valid-type]
        SourcePlatform.OTHER, description="NECIPS, CREDIT_CHINA, HRSS_PORTAL, OTHER (default)"
    )


class ProjectRow(ImportRow):
    """Construction projects, keyed by project code; their parties are enterprises in the hub.

    A project code already in the hub is an error (projects change through the API, where
    each change is versioned and audited, not by re-import).
    """

    key_fields: ClassVar[tuple[str, ...]] = ("code",)

    code: str = _text(40, "project code, unique")
    name: str = _text(200, "project name")
    district_code: Division = Field(description="6-digit division code where it is built")
    status: _enum(ProjectStatus) = Field(  # type: ignore[valid-type]
        ProjectStatus.UNDER_CONSTRUCTION,
        description="UNDER_CONSTRUCTION (default), SUSPENDED, COMPLETED",
    )
    general_contractor_uscc: Uscc = Field(description="USCC of the general contractor")
    construction_unit_uscc: Uscc | None = Field(None, description="USCC of the construction unit")
    contract_value: Money | None = Field(None, description="yuan, 2 decimal places")
    start_date: IsoDate = Field(description="YYYY-MM-DD")
    workers: Count = Field(description="number of workers, a whole number >= 0")
    pay_cycle: _enum(PayCycle) = Field(  # type: ignore[valid-type]
        PayCycle.MONTHLY, description="MONTHLY (default), SEMI_MONTHLY, WEEKLY"
    )


class AccountRow(ImportRow):
    """Wage special and deposit accounts of projects in the hub, keyed by bank + number.

    The account's district is its project's. An account already in the hub is an error. The
    opening unit is recorded as the bank reports it, even when it is not the project's general
    contractor (that mismatch is what the banking regulator looks for).
    """

    key_fields: ClassVar[tuple[str, ...]] = ("bank_name", "account_number")

    project_code: str = _text(40, "code of a project in the hub")
    kind: _enum(AccountKind) = Field(description="SPECIAL or DEPOSIT")  # type: ignore[valid-type]
    bank_name: str = _text(200, "bank holding the account")
    account_number: AccountNumber = Field(description="8 to 32 digits")
    account_name: str = _text(300, "account name")
    opening_unit_uscc: Uscc = Field(description="USCC of the unit that opened it")
    opened_on: IsoDate = Field(description="YYYY-MM-DD")
    balance: Money = Field(Decimal("0.00"), description="yuan, 2 decimal places (default 0)")
    special_mark: bool = Field(False, description="true when the bank marked the account")
    control_status: _enum(ControlStatus) | None = Field(  # type: ignore[valid-type]
        None, description="NONE, MARKED, RESTRICTED, FROZEN, ALLOCATED "
        "(default MARKED when special_mark, else NONE)"
    )

    @property
    def effective_control(self) -> ControlStatus:
        if self.control_status is not None:
            return self.control_status  # type: ignore[no-any-return]
        return ControlStatus.MARKED if self.special_mark else ControlStatus.NONE


class TransactionRow(ImportRow):
    """In/out records of accounts in the hub, keyed by bank + account number + bank reference.

    A record already in the hub is an error. The account's ``balance`` is not changed: it is
    the balance the bank reports, imported with the account.
    """

    key_fields: ClassVar[tuple[str, ...]] = ("bank_name", "account_number", "bank_reference")

    bank_name: str = _text(200, "bank of the account")
    account_number: AccountNumber = Field(description="the account's number")
    bank_reference: str = _text(64, "the bank's reference, unique per account")
    direction: _enum(Direction) = Field(description="IN or OUT")  # type: ignore[valid-type]
    amount: Money = Field(description="yuan, 2 decimal places, more than 0")
    occurred_at: UtcDateTime = Field(description="ISO 8601 with offset, e.g. "
                                     "2026-10-15T14:00:00+08:00")
    counterparty_name: str | None = Field(None, max_length=200, description="payer or payee")
    counterparty_account: AccountNumber | None = Field(None, description="their account")
    summary: str | None = Field(None, max_length=200, description="the bank's summary")

    def problems(self) -> list[tuple[str, str]]:
        return [("amount", "must be more than 0")] if self.amount == 0 else []


class InvestigationResultRow(ImportRow):
    """The banking regulator's findings in an investigation, one per row: per account, or per
    project when the finding is that the account is missing.

    Key: investigation + project + account + kind. The investigation must be in the hub and
    not completed, the project one of its projects, the account one of the project's. A
    finding already in the hub is an error. The first findings move the investigation from
    REQUESTED to IN_PROGRESS; complete it with the ``completeInvestigation`` mutation.
    Controls on accounts are recorded through the API (``placeAccountControl``), one legal act
    at a time, each checked against art. 33.
    """

    key_fields: ClassVar[tuple[str, ...]] = (
        "investigation_reference", "project_code", "bank_name", "account_number", "kind")

    investigation_reference: str = _text(40, "reference of an investigation in the hub")
    project_code: str = _text(40, "code of one of the investigation's projects")
    bank_name: str | None = Field(None, max_length=200, description="bank of the account "
                                  "(blank for ACCOUNT_MISSING)")
    account_number: AccountNumber | None = Field(None, description="the account's number "
                                                 "(blank for ACCOUNT_MISSING)")
    kind: _enum(AnomalyKind) = Field(  # type: ignore[valid-type]
        description="OPENING_UNIT_NOT_GENERAL_CONTRACTOR, ABNORMAL_TRANSACTIONS, "
        "ACCOUNT_NOT_MARKED, ACCOUNT_MISSING, DEPOSIT_SHORT, OTHER")
    detail: str = Field(min_length=1, max_length=4000, description="what was found")
    found_on: IsoDate = Field(description="YYYY-MM-DD")

    def problems(self) -> list[tuple[str, str]]:
        given = (self.bank_name is not None, self.account_number is not None)
        if self.kind is AnomalyKind.ACCOUNT_MISSING:
            return [("account_number", "an ACCOUNT_MISSING finding names no account")] if any(given) else []
        if given == (True, False):
            return [("account_number", "required with bank_name")]
        if given == (False, True):
            return [("bank_name", "required with account_number")]
        if not any(given) and self.kind is not AnomalyKind.OTHER:
            return [("account_number", f"a {self.kind.value} finding names the account")]
        return []

    @property
    def account_key(self) -> tuple[str, str] | None:
        if self.bank_name is None or self.account_number is None:
            return None
        return (self.bank_name, self.account_number)
