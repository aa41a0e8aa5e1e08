"""Computing the early-warning signals: gather the rows (``signal_repository``), apply the
rules (``rules``), store what they find. A signal found again keeps its first sighting and
gets a new last one; a signal no longer found is RESOLVED (and ACTIVE again if it returns).

Used by ``hub signals compute`` and by the scheduled job inside ``hub serve``; the caller's
unit of work commits. The computation takes a lock, so two never interleave.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hub.db.types import utcnow
from hub.domains.monitoring import rules
from hub.domains.monitoring import signal_repository as repo
from hub.domains.monitoring.models import Severity, SignalKind, SignalStatus
from hub.domains.projects.models import PayCycle
from hub.errors import InvalidInput
from hub.policy.sql import business_today
from hub.settings import Settings


@dataclass(frozen=True)
class ComputeResult:
    as_of: date
    today: date
    active: int
    new: int
    resolved: int
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)

    def line(self) -> str:
        return (f"signals as of {self.as_of}: {self.active} active ({self.new} new), "
                f"{self.resolved} resolved")


def thresholds(settings: Settings) -> rules.Thresholds:
    unknown = sorted((set(settings.signals_disabled) | set(settings.signals_severity))
                     - set(rules.KINDS))
    bad = sorted(v for v in settings.signals_severity.values() if v not in (rules.RED, rules.YELLOW))
    if unknown or bad:
        raise InvalidInput(f"signal settings name unknown kinds or severities: {unknown + bad}",
                           field="signals")
    return rules.Thresholds(
        lookback_cycles=settings.signals_lookback_cycles,
        labour_cost_due_days=settings.signals_labour_cost_due_days,
        deposit_rate=settings.signals_deposit_rate,
        deposit_exempt_below=settings.signals_deposit_exempt_below,
        disabled=frozenset(settings.signals_disabled),
        severity=dict(settings.signals_severity),
    )


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


async def gather(session: AsyncSession, settings: Settings, as_of: date, t: rules.Thresholds
                 ) -> rules.Facts:
    zone = ZoneInfo(settings.business_timezone)
    projects = [rules.ProjectFacts(i, c, d, pc.value, s, v, g)
                for i, c, d, pc, s, v, g in await repo.projects(session)]
    accounts = [rules.AccountFacts(i, p, k.value, o, on, bool(m), b)
                for i, p, k, o, on, m, b in await repo.accounts(session)]
    parties = {i: rules.Party(i, u, n, s.value, bool(listed))
               for i, u, n, s, listed in await repo.parties(session)}
    windows: dict[str, list[rules.Cycle]] = {}
    flows: list[rules.CycleFlows] = []
    records: list[rules.Record] = []
    pattern = (settings.signals_wage_summaries, settings.signals_card_prefixes,
               settings.signals_card_lengths)
    for pay_cycle in sorted({p.pay_cycle for p in projects}):
        window = rules.cycles(pay_cycle, as_of, t.lookback_cycles)
        windows[pay_cycle] = window
        # Records up to the end of the as-of day, bucketed by business-time cycle bounds.
        bounds = [(c.label, _utc(c.start, zone), _utc(min(c.end, as_of) + timedelta(days=1), zone))
                  for c in window]
        for acct, label, ins, first, wage, non_wage, company, foreign in await repo.cycle_flows(
                session, PayCycle(pay_cycle), bounds, *pattern):
            if label is None:
                continue
            flows.append(rules.CycleFlows(
                acct, label, int(ins or 0), first.astimezone(zone).date() if first else None,
                int(wage or 0), int(non_wage or 0), int(company or 0), int(foreign or 0)))
        for acct, ref, at, direction, amount, who, summary, reason in await repo.abnormal_records(
                session, PayCycle(pay_cycle), bounds[0][1], bounds[-1][2], *pattern):
            records.append(rules.Record(acct, ref, at.astimezone(zone).date(), direction.value,
                                        amount, who, summary, reason))
    referrals = [rules.OpenReferral(i, p, c, d, dl, s.value)
                 for i, p, c, d, dl, s in await repo.open_referrals(session)]
    return rules.Facts(projects, accounts, parties, flows, records, referrals, windows)


async def judged_as_of(session: AsyncSession, settings: Settings, today: date) -> date:
    if settings.signals_as_of is not None:
        return settings.signals_as_of
    latest = await repo.latest_record_at(session)
    zone = ZoneInfo(settings.business_timezone)
    return rules.data_as_of(today, latest.astimezone(zone).date() if latest else None)


async def compute(session: AsyncSession, settings: Settings, *, as_of: date | None = None,
                  today: date | None = None) -> ComputeResult:
    """Recompute every signal; ``as_of``/``today`` default to the settings and the clock."""
    t = thresholds(settings)
    await repo.lock(session)
    today = today or settings.signals_as_of or business_today(settings.business_timezone)
    as_of = as_of or await judged_as_of(session, settings, today)
    found = rules.evaluate(await gather(session, settings, as_of, t), t, as_of, today)
    return await store(session, found, as_of, today)


async def store(session: AsyncSession, found: list[rules.Finding], as_of: date,
                today: date) -> ComputeResult:
    now = utcnow()
    known = await repo.existing(session)
    new, seen, by_kind = [], [], {}
    for f in found:
        values = {"severity": Severity(f.severity), "status": SignalStatus.ACTIVE,
                  "district_code": f.district_code, "account_id": f.account_id,
                  "summary": f.summary, "evidence": f.evidence, "as_of": as_of,
                  "last_seen_at": now, "resolved_at": None}
        by_kind.setdefault(f.kind, Counter())[f.severity] += 1
        if f.key in known:
            seen.append({"id": known[f.key][0], **values})
        else:
            new.append({"kind": SignalKind(f.kind), "project_id": f.project_id,
                        "subject": f.subject, "first_seen_at": now, **values})
    await repo.update_signals(session, seen)
    await repo.insert_signals(session, new)
    found_keys = {f.key for f in found}
    gone = [i for key, (i, status) in known.items()
            if key not in found_keys and status is SignalStatus.ACTIVE]
    await repo.resolve_signals(session, gone, now)
    return ComputeResult(as_of, today, len(found), len(new), len(gone), by_kind)
