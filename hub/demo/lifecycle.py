"""The live part of ``hub demo``: the three publishing departments' clients subscribed to
the change stream by webhook, and a few Sichuan units walked through the lifecycle with the
same services the GraphQL mutations use (so every step is in the history and the outbox,
and is pushed). Idempotent: the walk happens once per database; the subscriptions are made
once per client.

Unlike the generated data set, the walk happens on the real business date: it shows what
the hub does now, not what it holds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hub.auth.caller import Caller
from hub.db.engine import unit_of_work
from hub.db.serial import SerialSession
from hub.demo.clients import DemoClient
from hub.domains.blacklist import service
from hub.domains.blacklist.jobs import expire_listings
from hub.domains.blacklist.lifecycle import BlacklistStatus, Removal, add_months
from hub.domains.blacklist.models import BlacklistDecision, BlacklistEntry, DisciplineArea, Platform, PublicationAction
from hub.domains.enterprises.models import Enterprise, EnterpriseStatus
from hub.policy.sql import business_today
from hub.push import repository as push_repository
from hub.push import webhooks
from hub.settings import Settings

#: The decisions of the walk carry this in their document numbers (and mark it as done).
MARK = "演示"
#: Demo endpoints on loopback: nothing listens there until you run a receiver, so the
#: deliveries show the retries and the delivery log (`hub webhooks deliveries`).
DEMO_WEBHOOKS: dict[str, tuple[str, str | None]] = {
    "DRC": ("https://127.0.0.1:8443/webhooks/drc", "joint discipline under the Sichuan memorandum (DRC)"),
    "MSB": ("https://127.0.0.1:8443/webhooks/msb", None),
    "BDC": ("https://127.0.0.1:8443/webhooks/bdc", None),
}
_URLS = {
    Platform.HRSS_PORTAL: "https://rst.sc.example.gov.cn/qxhmd/demo-{n}",
    Platform.CREDIT_CHINA: "https://credit.sc.example.gov.cn/hmd/demo-{n}",
    Platform.NECIPS: "https://sc.gsxt.example.gov.cn/gsgg/demo-{n}",
}
_PUBLISHER = {Platform.HRSS_PORTAL: "HRSS", Platform.CREDIT_CHINA: "DRC", Platform.NECIPS: "MSB"}


def _caller(client: DemoClient, department: str | None) -> Caller:
    return Caller(profile=client.profile, scopes=frozenset(), client_id=client.client_id, department=department)


async def subscribe_publishers(sessions: async_sessionmaker[AsyncSession], clients: list[DemoClient], settings: Settings) -> list[str]:
    lines = []
    async with unit_of_work(sessions, write=True) as session:
        db = SerialSession(session)
        for c in clients:
            if c.profile not in DEMO_WEBHOOKS:
                continue
            url, purpose = DEMO_WEBHOOKS[c.profile]
            if not await push_repository.subscriptions(db, c.client_id):
                await webhooks.register(db, c.client_id, url, purpose, settings)
            lines.append(f"{c.profile:<4} {c.client_id} -> {url}")
    return lines


async def walk_lifecycle(sessions: async_sessionmaker[AsyncSession], clients: list[DemoClient], settings: Settings) -> list[str]:
    today = business_today(settings.business_timezone)
    by_profile = {c.profile: c for c in clients}
    hrss = service.Decider(_caller(by_profile["HRSS"], "HRSS-SC"), today)
    async with unit_of_work(sessions, write=True) as session:
        db = SerialSession(session)
        if await db.scalar(select(exists().where(BlacklistDecision.document_number.like(f"%{MARK}%")))):
            return ["already walked (decisions marked 演示 exist)"]
        units = list((await db.scalars(
            select(Enterprise).where(
                Enterprise.district_code.like("51%"), Enterprise.status == EnterpriseStatus.IN_OPERATION,
                ~exists().where(BlacklistEntry.enterprise_id == Enterprise.id),
            ).order_by(Enterprise.id).limit(4)
        )).all())
        lines = []
        for n, unit in enumerate(units, start=1):
            doc = lambda kind: f"川人社{MARK}{kind}〔{today.year}〕{n}号"  # noqa: E731
            done = await service.propose(db, hrss, service.Proposal(
                uscc=unit.uscc, reason=f"拖欠{20 + n}名农民工工资，经责令限期支付逾期仍未支付",
                legal_basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条第一项",
                amount_owed=Decimal(380_000 + 51_000 * n), workers_affected=20 + n,
                issuing_authority="四川省人力资源和社会保障厅", clues="12345热线集体投诉", document_number=doc("告"),
            ), settings.blacklist_defence_working_days)
            entry = done.entry
            if n >= 2:
                entry = (await service.record_defence(db, hrss, entry.id, entry.version, "称系建设单位未按期拨付工程款所致", None)).entry
            if n >= 3:
                entry = (await service.include(db, hrss, entry.id, entry.version, doc("失惩"), None)).entry
                await _publish(db, by_profile, entry, n)
            if n == 3:
                await _discipline(db, by_profile, entry, hrss.today)
                entry = (await service.correct(db, hrss, entry.id, entry.version, {"amount_owed": entry.amount_owed - 1000},
                                               "经核实更正拖欠工资数额", doc("更"))).entry
                entry = (await service.renew(db, hrss, entry.id, entry.version, doc("延"), None, "仍未改正，延长列入期限")).entry
            if n == 4:
                entry = (await service.remove(db, hrss, entry.id, entry.version, Removal.REVOKED, None,
                                              "经行政复议，原列入决定被撤销", doc("撤"))).entry
                await _publish(db, by_profile, entry, n, PublicationAction.WITHDRAWN)
            lines.append(f"{unit.name}: {entry.status.value}")
        early = await _remove_one_early(db, hrss, f"川人社{MARK}移〔{today.year}〕5号")
        if early:
            lines.append(f"{early}: REMOVED_EARLY")
    lines.append(await expire_listings(sessions, settings, today))
    return lines


async def _publish(db: SerialSession, clients: dict[str, DemoClient], entry: BlacklistEntry, n: int,
                   action: PublicationAction = PublicationAction.PUBLISHED) -> None:
    for platform, profile in _PUBLISHER.items():
        who = service.Decider(_caller(clients[profile], None), date.today())
        url = _URLS[platform].format(n=n) if action is PublicationAction.PUBLISHED else None
        await service.record_publication(db, who, entry.id, platform, action, url, datetime.now(UTC) - timedelta(minutes=1))


async def _discipline(db: SerialSession, clients: dict[str, DemoClient], entry: BlacklistEntry, today: date) -> None:
    for profile, area, measure in (("DRC", DisciplineArea.BIDDING, "限制参与政府投资项目招标投标"),
                                   ("MSB", DisciplineArea.MARKET_ACCESS, "列入重点监管"),
                                   ("BDC", DisciplineArea.PUBLICITY, "在信用中国（四川）公示并推送")):
        who = service.Decider(_caller(clients[profile], f"{profile}-SC"), today)
        await service.report_measure(db, who, entry.id, area, measure, who.today, "已在本系统标注并限制")


async def _remove_one_early(db: SerialSession, hrss: service.Decider, doc_no: str) -> str | None:
    """An existing Sichuan listing whose arrears were corrected more than six months ago."""
    cutoff = add_months(hrss.today, -7)
    entry = await db.scalar(select(BlacklistEntry).where(
        BlacklistEntry.status == BlacklistStatus.LISTED, BlacklistEntry.district_code.like("51%"),
        BlacklistEntry.included_on <= cutoff - timedelta(days=30)).order_by(BlacklistEntry.id).limit(1))
    if entry is None or entry.included_on is None:
        return None
    corrected = entry.included_on + timedelta(days=20)
    await service.remove(db, hrss, entry.id, entry.version, Removal.EARLY_REMOVAL, None,
                         "已改正拖欠工资行为满六个月并作出信用承诺，提前移出名单", doc_no,
                         arrears_corrected_on=corrected, credit_commitment_on=corrected + timedelta(days=10))
    unit = await db.scalar(select(Enterprise.name).where(Enterprise.id == entry.enterprise_id))
    return str(unit)
