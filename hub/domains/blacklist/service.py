"""Use cases of the blacklist: the lifecycle decisions, publication records and joint-discipline
feedback. Every decision goes through ``lifecycle.plan`` (the rules), is written with its
history row and its outbox row (the push), and is never committed here: the request's (or the
command's) unit of work commits it all together or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm.exc import StaleDataError

from hub.auth.caller import Caller
from hub.db.serial import SerialSession
from hub.db.types import utcnow
from hub.domains.blacklist import repository
from hub.domains.blacklist.lifecycle import (
    BlacklistStatus,
    DecisionAction,
    Facts,
    Removal,
    add_working_days,
    expected_exit,
    plan,
)
from hub.domains.blacklist.models import (
    BlacklistDecision,
    BlacklistEntry,
    BlacklistEntryPerson,
    DisciplinaryMeasure,
    DisciplineArea,
    PersonRole,
    Publication,
)
from hub.domains.blacklist.publication import PUBLISHERS, Platform, PublicationAction
from hub.domains.enterprises.repository import by_uscc
from hub.domains.identifiers import validate_division_code, validate_money, validate_resident_id
from hub.domains.persons.models import IdType, Person
from hub.errors import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from hub.push.repository import record_event

Rows = Sequence[ColumnElement[bool]]
S, A = BlacklistStatus, DecisionAction

#: Fields ``correct`` may change, with how each value is checked.
CORRECTABLE = ("reason", "legal_basis", "amount_owed", "workers_affected", "issuing_authority",
               "district_code", "decision_document_number", "clues", "internal_notes")


@dataclass(frozen=True, slots=True)
class Decider:
    """Who decides, and on which business day."""

    caller: Caller
    today: date
    rows: Rows = ()

    @property
    def actor(self) -> str:
        return self.caller.client_id or self.caller.profile


@dataclass(frozen=True, slots=True)
class NamedPerson:
    name: str
    id_type: IdType
    id_number: str
    role: PersonRole


@dataclass(frozen=True, slots=True)
class Proposal:
    uscc: str
    reason: str
    legal_basis: str
    amount_owed: Decimal
    workers_affected: int
    issuing_authority: str
    persons: Sequence[NamedPerson] = ()
    project_id: int | None = None
    clues: str | None = None
    internal_notes: str | None = None
    document_number: str | None = None


@dataclass(frozen=True, slots=True)
class Decided:
    entry: BlacklistEntry
    decision: BlacklistDecision
    changes: Mapping[str, Any] = field(default_factory=dict)


def _text(value: str | None, name: str, limit: int | None = None, required: bool = True) -> str | None:
    if value is None or not value.strip():
        if required:
            raise InvalidInput(f"`{name}` may not be empty", field=name)
        return None
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"`{name}` is longer than {limit} characters", field=name)
    return value


def _workers(value: int) -> int:
    if value < 1:
        raise InvalidInput("`workersAffected` must be at least 1", field="workersAffected")
    return value


def _facts(entry: BlacklistEntry) -> Facts:
    return Facts(
        status=entry.status, proposed_on=entry.proposed_on, defence_deadline=entry.defence_deadline,
        included_on=entry.included_on, expected_exit_on=entry.expected_exit_on,
        arrears_corrected_on=entry.arrears_corrected_on, credit_commitment_on=entry.credit_commitment_on,
    )


async def _load(db: SerialSession, who: Decider, entry_id: int, version: int) -> BlacklistEntry:
    entry = await repository.entry(db, entry_id, who.rows)
    if entry is None:
        raise NotFound("no such blacklist entry", field="entry")
    if entry.version != version:
        raise Conflict(
            f"the entry was changed since you read it (you sent version {version}, it is at version "
            f"{entry.version}): read it again and decide on what it says now",
            currentVersion=entry.version,
        )
    return entry


async def _decide(
    db: SerialSession, who: Decider, entry: BlacklistEntry, action: DecisionAction,
    frm: BlacklistStatus | None, document_number: str | None, reason: str | None,
    changes: Mapping[str, Any] | None = None,
) -> Decided:
    decision = BlacklistDecision(
        entry_id=entry.id, action=action, from_status=frm, to_status=entry.status, decided_at=utcnow(),
        document_number=document_number, reason=reason, changes=dict(changes) if changes else None,
        actor=who.actor,
    )
    try:
        await repository.add(db, entry, decision)
    except StaleDataError:  # another transaction decided on the entry in between
        raise Conflict("the entry was changed by another decision at the same moment: read it again") from None
    await record_event(db, entry.id, decision.id, action.value)
    return Decided(entry, decision, changes or {})


# -- the lifecycle -----------------------------------------------------------------------------


async def propose(db: SerialSession, who: Decider, p: Proposal, defence_working_days: int) -> Decided:
    enterprise = await by_uscc(db, p.uscc)
    if enterprise is None:
        raise NotFound(f"no enterprise with USCC {p.uscc.strip().upper()} is registered", field="uscc")
    live = await repository.live_entry_of(db, enterprise.id)
    if live is not None:
        raise Conflict(
            f"the unit already has a live entry (state {live.status.value}): correct or renew it instead",
            field="uscc",
        )
    target = plan(Facts(status=None), A.PROPOSE, on=who.today, today=who.today)
    entry = BlacklistEntry(
        enterprise_id=enterprise.id, status=target, district_code=enterprise.district_code,
        reason=_text(p.reason, "reason"), legal_basis=_text(p.legal_basis, "legalBasis"),
        amount_owed=validate_money(p.amount_owed, "amountOwed"), workers_affected=_workers(p.workers_affected),
        project_id=p.project_id, issuing_authority=_text(p.issuing_authority, "issuingAuthority", 200),
        clues=_text(p.clues, "clues", required=False), internal_notes=_text(p.internal_notes, "internalNotes", required=False),
        proposed_on=who.today, defence_deadline=add_working_days(who.today, defence_working_days),
    )
    await repository.add(db, entry)
    await _link_persons(db, entry, enterprise.legal_representative_id, p.persons)
    return await _decide(db, who, entry, A.PROPOSE, None, _text(p.document_number, "documentNumber", 100, False),
                         "proposed for the list; the party is told and may state its case")


async def _link_persons(
    db: SerialSession, entry: BlacklistEntry, legal_rep_id: int | None, persons: Sequence[NamedPerson]
) -> None:
    linked: dict[int, PersonRole] = {}
    if legal_rep_id is not None:
        linked[legal_rep_id] = PersonRole.LEGAL_REPRESENTATIVE
    for i, named in enumerate(persons):
        where = f"persons.{i}.idNumber"
        number = named.id_number.strip().upper()
        if named.id_type is IdType.RESIDENT_ID:
            number = validate_resident_id(number, where)
        elif not 5 <= len(number) <= 32:
            raise InvalidInput("an identity document number has 5 to 32 characters", field=where)
        person = await repository.person(db, named.id_type, number)
        if person is None:
            person = Person(name=_text(named.name, f"persons.{i}.name", 100), id_type=named.id_type, id_number=number)
            await repository.add(db, person)
        linked.setdefault(person.id, named.role)
    await repository.add(db, *(BlacklistEntryPerson(entry_id=entry.id, person_id=pid, role=role) for pid, role in linked.items()))


async def record_defence(
    db: SerialSession, who: Decider, entry_id: int, version: int, statement: str, received_on: date | None,
) -> Decided:
    entry = await _load(db, who, entry_id, version)
    on = received_on or who.today
    frm, entry.status = entry.status, plan(_facts(entry), A.RECORD_DEFENCE, on=on, today=who.today)
    entry.defence_statement = _text(statement, "statement")
    entry.defence_received_at = utcnow() if on == who.today else datetime.combine(on, time(12), tzinfo=UTC)
    return await _decide(db, who, entry, A.RECORD_DEFENCE, frm, None, "the party's statement and defence recorded")


async def include(
    db: SerialSession, who: Decider, entry_id: int, version: int, document_number: str, decided_on: date | None,
    reason: str | None = None,
) -> Decided:
    entry = await _load(db, who, entry_id, version)
    on = decided_on or who.today
    frm, entry.status = entry.status, plan(_facts(entry), A.INCLUDE, on=on, today=who.today)
    entry.decision_document_number = _text(document_number, "documentNumber", 100)
    entry.included_on, entry.expected_exit_on = on, expected_exit(on)
    return await _decide(db, who, entry, A.INCLUDE, frm, entry.decision_document_number,
                         _text(reason, "reason", required=False) or "included in the list for three years")


async def renew(
    db: SerialSession, who: Decider, entry_id: int, version: int, document_number: str, decided_on: date | None,
    reason: str,
) -> Decided:
    entry = await _load(db, who, entry_id, version)
    on = decided_on or who.today
    frm, entry.status = entry.status, plan(_facts(entry), A.RENEW, on=on, today=who.today)
    old = {"included_on": entry.included_on, "expected_exit_on": entry.expected_exit_on,
           "decision_document_number": entry.decision_document_number}
    entry.included_on, entry.expected_exit_on = on, expected_exit(on)
    entry.decision_document_number = _text(document_number, "documentNumber", 100)
    changes = _diff(old, entry)
    return await _decide(db, who, entry, A.RENEW, frm, entry.decision_document_number, _text(reason, "reason"), changes)


async def correct(
    db: SerialSession, who: Decider, entry_id: int, version: int, values: Mapping[str, Any], reason: str,
    document_number: str | None = None,
) -> Decided:
    entry = await _load(db, who, entry_id, version)
    frm, entry.status = entry.status, plan(_facts(entry), A.CORRECT, on=who.today, today=who.today)
    unknown = sorted(set(values) - set(CORRECTABLE))
    if unknown:
        raise InvalidInput(f"these fields cannot be corrected: {', '.join(unknown)}", field="corrections")
    why = _text(reason, "reason")
    old = {name: getattr(entry, name) for name in values}
    for name, value in values.items():
        setattr(entry, name, _checked(name, value))
    changes = _diff(old, entry)
    if not changes:
        raise InvalidInput("the corrections change nothing", field="corrections")
    return await _decide(db, who, entry, A.CORRECT, frm, _text(document_number, "documentNumber", 100, False), why, changes)


def _checked(name: str, value: Any) -> Any:
    if name == "amount_owed":
        return validate_money(value, "corrections.amountOwed")
    if name == "workers_affected":
        return _workers(int(value))
    if name == "district_code":
        return validate_division_code(value, "corrections.districtCode")
    required = name in ("reason", "legal_basis", "issuing_authority")
    limit = {"issuing_authority": 200, "decision_document_number": 100}.get(name)
    return _text(value, f"corrections.{name}", limit, required)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def _diff(old: Mapping[str, Any], entry: BlacklistEntry) -> dict[str, dict[str, Any]]:
    return {
        name: {"from": _plain(before), "to": _plain(getattr(entry, name))}
        for name, before in old.items()
        if _plain(before) != _plain(getattr(entry, name))
    }


async def remove(
    db: SerialSession, who: Decider, entry_id: int, version: int, removal: Removal, decided_on: date | None,
    reason: str, document_number: str | None = None, arrears_corrected_on: date | None = None,
    credit_commitment_on: date | None = None,
) -> Decided:
    entry = await _load(db, who, entry_id, version)
    on = decided_on or who.today
    if arrears_corrected_on is not None:
        entry.arrears_corrected_on = arrears_corrected_on
    if credit_commitment_on is not None:
        entry.credit_commitment_on = credit_commitment_on
    frm, entry.status = entry.status, plan(_facts(entry), A.REMOVE, on=on, today=who.today, removal=removal)
    entry.removed_on, entry.removal_reason = on, _text(reason, "reason")
    return await _decide(db, who, entry, A.REMOVE, frm, _text(document_number, "documentNumber", 100, False),
                         entry.removal_reason)


EXPIRY_BATCH = 500


async def expire_due(db: SerialSession, who: Decider, limit: int = EXPIRY_BATCH) -> list[Decided]:
    """Remove, as EXPIRED, every LISTED entry whose three years are up (``hub blacklist expire``
    and the job in ``hub serve``)."""
    done = []
    for entry in await repository.due_for_expiry(db, who.today, limit):
        assert entry.expected_exit_on is not None
        frm = entry.status
        entry.status = plan(_facts(entry), A.REMOVE, on=entry.expected_exit_on, today=who.today, removal=Removal.EXPIRED)
        entry.removed_on, entry.removal_reason = entry.expected_exit_on, "the three years of the listing are up"
        done.append(await _decide(db, who, entry, A.REMOVE, frm, None, entry.removal_reason))
    return done


# -- publication -------------------------------------------------------------------------------


async def record_publication(
    db: SerialSession, who: Decider, entry_id: int, platform: Platform, action: PublicationAction,
    url: str | None, at: datetime,
) -> Publication:
    if who.caller.profile not in PUBLISHERS[platform]:
        raise Forbidden(
            f"{platform.value} is published by {', '.join(sorted(PUBLISHERS[platform]))}, not by a "
            f"{who.caller.profile} client", field="platform",
        )
    entry = await repository.entry(db, entry_id, who.rows)
    if entry is None:
        raise NotFound("no such blacklist entry", field="entry")
    if at.tzinfo is None:
        raise InvalidInput("`at` needs a UTC offset, e.g. 2026-01-01T10:00:00Z", field="at")
    if at > utcnow() + timedelta(minutes=5):
        raise InvalidInput("`at` is in the future", field="at")
    records = [p for p in await repository.publications(db, entry.id) if p.platform is platform]
    showing = bool(records) and records[-1].action is PublicationAction.PUBLISHED
    if action is PublicationAction.PUBLISHED:
        if entry.status is not S.LISTED:
            raise IllegalTransition(
                f"only a LISTED entry is published; this one is {entry.status.value}"
                + (": record that the platform WITHDREW it" if showing else ""),
                currentState=entry.status.value, allowed=["WITHDRAWN"] if showing else [],
            )
        if not url or not url.startswith(("https://", "http://")):
            raise InvalidInput("a publication needs the http(s) `url` where the platform shows it", field="url")
    elif not showing:
        raise IllegalTransition(
            f"{platform.value} does not show this entry, so it cannot withdraw it",
            currentState=entry.status.value, allowed=["PUBLISHED"] if entry.status is S.LISTED else [],
        )
    decisions = await repository.decisions(db, entry.id)
    row = Publication(
        entry_id=entry.id, decision_id=decisions[-1].id if decisions else None, platform=platform,
        action=action, url=_text(url, "url", 500, required=False), at=at, recorded_by=who.actor,
    )
    await repository.add(db, row)
    return row


# -- joint discipline --------------------------------------------------------------------------


async def report_measure(
    db: SerialSession, who: Decider, entry_id: int, area: DisciplineArea, measure: str, taken_on: date,
    effect: str | None,
) -> DisciplinaryMeasure:
    code = who.caller.department
    department = await repository.department(db, code) if code else None
    if department is None:
        raise Forbidden(
            "joint-discipline feedback is reported for a department: this client is bound to none "
            "(an administrator sets it with `hub client create --department CODE`)"
        )
    entry = await repository.entry(db, entry_id, who.rows)
    if entry is None:
        raise NotFound("no such blacklist entry", field="entry")
    if entry.included_on is None:
        raise IllegalTransition(
            f"joint discipline applies to listed units; this entry is {entry.status.value}",
            currentState=entry.status.value, allowed=[],
        )
    if taken_on > who.today:
        raise InvalidInput("`takenOn` is in the future", field="takenOn")
    if taken_on < entry.included_on:
        raise InvalidInput(f"`takenOn` is before the inclusion ({entry.included_on})", field="takenOn")
    if entry.removed_on is not None and taken_on > entry.removed_on:
        raise InvalidInput(f"the unit left the list on {entry.removed_on}", field="takenOn")
    row = DisciplinaryMeasure(
        entry_id=entry.id, department_id=department.id, department_code=department.code, area=area,
        measure=_text(measure, "measure", 60), taken_on=taken_on, effect=_text(effect, "effect", required=False),
        reported_by=who.actor,
    )
    await repository.add(db, row)
    return row
