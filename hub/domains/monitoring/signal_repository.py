"""All SQL of the early-warning computation: gathering the rules' rows (the in/out records
are aggregated per account and pay cycle in the database; only the abnormal records
themselves come back) and storing the findings as ``risk_signals``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, insert, not_, or_, select, text, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from hub.db.types import UTCDateTime
from hub.domains.blacklist.models import BlacklistEntry, BlacklistStatus
from hub.domains.enterprises.models import Enterprise
from hub.domains.monitoring.models import Referral, ReferralStatus, RiskSignal, SignalStatus
from hub.domains.projects.models import PayCycle, Project, ProjectStatus
from hub.domains.wages.models import AccountKind, AccountTransaction, Direction, WageAccount

T = AccountTransaction
_LOCK_KEY = 6_110_115  # pg_advisory_xact_lock key of the computation
#: (label, start, end) of one pay cycle in UTC, end excluded.
Bounds = tuple[str, datetime, datetime]
IN_CHUNK = 1000


def _like_prefix(column: Any, prefixes: Sequence[str]) -> Any:
    escaped = [p.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for p in prefixes]
    return or_(*(column.like(f"{p}%", escape="\\") for p in escaped)) if escaped else False


async def lock(session: AsyncSession) -> None:
    """One computation at a time (the CLI and the job may overlap). SQLite's write
    transaction (BEGIN IMMEDIATE) already serialises them."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


async def latest_record_at(session: AsyncSession) -> datetime | None:
    return await session.scalar(select(type_coerce(func.max(T.occurred_at), UTCDateTime())))


def _active_projects() -> Any:
    return Project.status == ProjectStatus.UNDER_CONSTRUCTION


async def projects(session: AsyncSession) -> Sequence[Any]:
    return (await session.execute(
        select(Project.id, Project.code, Project.district_code, Project.pay_cycle,
               Project.start_date, Project.contract_value, Project.general_contractor_id)
        .where(_active_projects()).order_by(Project.id)
    )).all()


async def accounts(session: AsyncSession) -> Sequence[Any]:
    return (await session.execute(
        select(WageAccount.id, WageAccount.project_id, WageAccount.kind,
               WageAccount.opening_unit_id, WageAccount.opened_on, WageAccount.special_mark,
               WageAccount.balance)
        .join(Project, Project.id == WageAccount.project_id)
        .where(_active_projects()).order_by(WageAccount.id)
    )).all()


async def parties(session: AsyncSession) -> Sequence[Any]:
    """General contractors and opening units of the projects judged, with their standing."""
    contractors = select(Project.general_contractor_id).where(_active_projects())
    openers = (select(WageAccount.opening_unit_id)
               .join(Project, Project.id == WageAccount.project_id).where(_active_projects()))
    listed = exists().where(BlacklistEntry.enterprise_id == Enterprise.id,
                            BlacklistEntry.status == BlacklistStatus.LISTED)
    return (await session.execute(
        select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.status, listed)
        .where(or_(Enterprise.id.in_(contractors), Enterprise.id.in_(openers)))
    )).all()


def _flow_parts(wage_prefixes: Sequence[str], card_prefixes: Sequence[str],
                card_lengths: Sequence[int]) -> dict[str, Any]:
    cu, gc = aliased(Enterprise), aliased(Enterprise)
    is_in, is_out = T.direction == Direction.IN, T.direction == Direction.OUT
    wage = _like_prefix(T.summary, wage_prefixes)
    personal = and_(_like_prefix(T.counterparty_account, card_prefixes),
                    func.length(T.counterparty_account).in_(list(card_lengths)))
    to_company = or_(T.counterparty_account.is_(None), not_(personal),
                     T.counterparty_name.in_(select(Enterprise.name)))
    return {
        "cu": cu, "gc": gc, "is_in": is_in,
        "wage_out": and_(is_out, wage),
        "non_wage_out": and_(is_out, or_(T.summary.is_(None), not_(wage))),
        "company_out": and_(is_out, wage, to_company),
        "foreign_in": and_(is_in, or_(
            T.counterparty_name.is_(None),
            and_(T.counterparty_name != func.coalesce(cu.name, ""),
                 T.counterparty_name != gc.name))),
    }


def _special_accounts_of(stmt: Any, pay_cycle: PayCycle, cu: Any, gc: Any) -> Any:
    return (stmt.join(WageAccount, and_(WageAccount.id == T.account_id,
                                        WageAccount.kind == AccountKind.SPECIAL))
            .join(Project, Project.id == WageAccount.project_id)
            .outerjoin(cu, cu.id == Project.construction_unit_id)
            .join(gc, gc.id == Project.general_contractor_id)
            .where(_active_projects(), Project.pay_cycle == pay_cycle))


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


async def cycle_flows(session: AsyncSession, pay_cycle: PayCycle, bounds: Sequence[Bounds],
                      wage_prefixes: Sequence[str], card_prefixes: Sequence[str],
                      card_lengths: Sequence[int]) -> Sequence[Any]:
    """Per special account and pay cycle: IN count, first IN, wage OUTs, non-wage OUTs,
    wages to companies, third-party INs. One aggregate statement per pay-cycle kind."""
    if not bounds:
        return []
    x = _flow_parts(wage_prefixes, card_prefixes, card_lengths)
    cycle = case(*((T.occurred_at < end, label) for label, _, end in bounds), else_=None)
    first_in = type_coerce(func.min(case((x["is_in"], T.occurred_at), else_=None)), UTCDateTime())
    stmt = _special_accounts_of(
        select(T.account_id, cycle.label("cycle"), _count(x["is_in"]), first_in,
               _count(x["wage_out"]), _count(x["non_wage_out"]), _count(x["company_out"]),
               _count(x["foreign_in"])),
        pay_cycle, x["cu"], x["gc"],
    ).where(T.occurred_at >= bounds[0][1], T.occurred_at < bounds[-1][2]).group_by(
        T.account_id, cycle)
    return (await session.execute(stmt)).all()


async def abnormal_records(session: AsyncSession, pay_cycle: PayCycle, since: datetime,
                           until: datetime, wage_prefixes: Sequence[str],
                           card_prefixes: Sequence[str], card_lengths: Sequence[int]
                           ) -> Sequence[Any]:
    """The abnormal records themselves (few), for the signals' evidence."""
    x = _flow_parts(wage_prefixes, card_prefixes, card_lengths)
    reason = case((x["non_wage_out"], "NON_WAGE_OUTFLOW"), (x["company_out"], "WAGES_TO_COMPANY"),
                  else_="THIRD_PARTY_INFLOW")
    stmt = _special_accounts_of(
        select(T.account_id, T.bank_reference, T.occurred_at, T.direction, T.amount,
               T.counterparty_name, T.summary, reason),
        pay_cycle, x["cu"], x["gc"],
    ).where(T.occurred_at >= since, T.occurred_at < until,
            or_(x["non_wage_out"], x["company_out"], x["foreign_in"])).order_by(T.id)
    return (await session.execute(stmt)).all()


async def open_referrals(session: AsyncSession) -> Sequence[Any]:
    return (await session.execute(
        select(Referral.id, Referral.project_id, Project.code, Referral.district_code,
               Referral.deadline, Referral.status)
        .join(Project, Project.id == Referral.project_id)
        .where(Referral.status != ReferralStatus.CLOSED).order_by(Referral.id)
    )).all()


# -- storing ------------------------------------------------------------------------------


async def existing(session: AsyncSession) -> dict[tuple[str, int, str], tuple[int, SignalStatus]]:
    rows = await session.execute(
        select(RiskSignal.kind, RiskSignal.project_id, RiskSignal.subject, RiskSignal.id,
               RiskSignal.status))
    return {(k.value, p, s): (i, st) for k, p, s, i, st in rows}


async def insert_signals(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), IN_CHUNK):
        await session.execute(insert(RiskSignal), list(rows[i:i + IN_CHUNK]))


async def update_signals(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Refresh signals still seen: by id, each row giving the new values."""
    if rows:
        await session.execute(update(RiskSignal), list(rows))


async def resolve_signals(session: AsyncSession, ids: Iterable[int], at: datetime) -> None:
    ids = sorted(ids)
    for i in range(0, len(ids), IN_CHUNK):
        await session.execute(
            update(RiskSignal).where(RiskSignal.id.in_(ids[i:i + IN_CHUNK]))
            .values(status=SignalStatus.RESOLVED, resolved_at=at)
            .execution_options(synchronize_session=False))
