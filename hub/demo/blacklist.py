"""Blacklist entries in every lifecycle state, each with a consistent decision history.

The histories follow the national interim measures (in force 2022-01-01), relative to
:data:`~hub.demo.constants.DEMO_TODAY` (T):

========================  ==================================================================
state                     decisions (``from -> to``) and dates
========================  ==================================================================
NOTICE                    PROPOSE (None->NOTICE), proposed 1-9 days before T; the defence
                          deadline (proposal + 10 days) is still running
DEFENCE_HEARD             PROPOSE, RECORD_DEFENCE (NOTICE->DEFENCE_HEARD)
LISTED                    PROPOSE, RECORD_DEFENCE, INCLUDE (DEFENCE_HEARD->LISTED), perhaps
                          CORRECT (LISTED->LISTED, the amount owed) and RENEW (LISTED->LISTED
                          at the end of three years, which restarts the three years);
                          ``expected_exit_on`` = ``included_on`` + 3 years > T
EXPIRED                   ... INCLUDE, perhaps CORRECT, REMOVE (LISTED->EXPIRED) on
                          ``included_on`` + 3 years <= T; ``removed_on`` = that day
REMOVED_EARLY             ... INCLUDE, perhaps CORRECT, REMOVE (LISTED->REMOVED_EARLY);
                          ``arrears_corrected_on`` >= ``included_on``, ``removed_on`` >=
                          corrected + 6 months and < expected exit, ``credit_commitment_on``
                          between correction and removal
REVOKED                   ... INCLUDE, REMOVE (LISTED->REVOKED) after an administrative
                          reconsideration overturned the inclusion
========================  ==================================================================

Every included entry's unit carries a JOINT_DISCIPLINE credit record dated on the first
inclusion. Most included entries are published on one to three platforms (PUBLISHED after
the INCLUDE decision); those that left the list are WITHDRAWN after the REMOVE decision.
Sichuan entries that were published have joint-discipline feedback from DRC, MSB and BDC.
Blacklist entries name no project (``project_id`` is NULL; the project is named in the
reason), so that every project of the demo stays under construction with clean parties.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hub.demo.constants import CST, DEMO_TODAY
from hub.demo.fake import PLACES, PROJECT_KINDS, Faker
from hub.demo.registry import Company, local_name
from hub.demo.rows import BlacklistCase, Row
from hub.domains.blacklist.lifecycle import add_months, add_years
from hub.domains.blacklist.models import (
    BlacklistStatus,
    DecisionAction,
    PersonRole,
    Platform,
    PublicationAction,
)
from hub.domains.enterprises.models import EnterpriseStatus
from hub.domains.persons.models import IdType

#: How many entries of each state the demo holds.
STATE_COUNTS: dict[BlacklistStatus, int] = {
    BlacklistStatus.NOTICE: 15,
    BlacklistStatus.DEFENCE_HEARD: 15,
    BlacklistStatus.LISTED: 45,
    BlacklistStatus.EXPIRED: 18,
    BlacklistStatus.REMOVED_EARLY: 18,
    BlacklistStatus.REVOKED: 9,
}
LISTING_YEARS = 3
EARLIEST_INCLUSION = date(2022, 2, 15)

_BASES = (
    "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条第一项：克扣、无故拖欠农民工"
    "工资达到认定拒不支付劳动报酬罪数额标准",
    "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条第二项：因拖欠农民工工资违法"
    "行为引发群体性事件、极端事件造成严重不良社会影响",
)
_CLUES = ("12345热线集体投诉", "劳动保障监察日常巡查发现", "农民工工资支付监控预警平台预警",
          "信访部门转办", "网格员排查上报")
_URLS = {
    Platform.HRSS_PORTAL: "https://rsj.example.gov.cn/xxgk/qxhmd/{n}",
    Platform.CREDIT_CHINA: "https://www.creditchina.example.gov.cn/xyxx/hmd/{n}",
    Platform.NECIPS: "https://www.gsxt.example.gov.cn/gsgg/{n}",
}
_MEASURES = {
    "DRC-SC": ("限制参与政府投资项目招标投标", "限制申请政府资金支持"),
    "MSB-SC": ("在企业信用信息公示系统公示并列入重点监管", "限制担任其他企业法定代表人"),
    "BDC-SC": ("在信用中国（四川）公示并推送各地各部门", "纳入公共信用综合评价扣分"),
}


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Beijing-time office hour of ``day``, as the tz-aware UTC datetime the hub stores."""
    return datetime.combine(day, time(hour, minute), tzinfo=CST).astimezone(UTC)


def blacklist_cases(
    faker: Faker, companies: Sequence[Company], persons: list[Row]
) -> tuple[list[BlacklistCase], dict[str, date]]:
    """The cases, and for every unit ever included the day of its first inclusion."""
    rng = faker.rng
    eligible = [
        c for c in companies
        if c.role == "general"
        and c.row["status"] in (EnterpriseStatus.IN_OPERATION, EnterpriseStatus.ABNORMAL_OPERATION)
    ]
    chosen = rng.sample(eligible, sum(STATE_COUNTS.values()))
    states = [s for s, n in STATE_COUNTS.items() for _ in range(n)]
    cases: list[BlacklistCase] = []
    first_inclusion: dict[str, date] = {}
    for seq, (state, company) in enumerate(zip(states, chosen, strict=True), start=1):
        case = _Builder(faker, company, seq, persons).build(state)
        cases.append(case)
        include = next(
            (d for d in case.decisions if d["action"] is DecisionAction.INCLUDE), None
        )
        if include is not None:
            first_inclusion[company.uscc] = include["decided_at"].astimezone(CST).date()
    return cases, first_inclusion


class _Builder:
    def __init__(self, faker: Faker, company: Company, seq: int, persons: list[Row]) -> None:
        self.faker, self.rng, self.company, self.seq = faker, faker.rng, company, seq
        self.persons = persons
        d = company.district
        self.abbr = ("京" if d.in_beijing else "川") + d.name[:1]
        self.actor = "HRSS-BJ" if d.in_beijing else "HRSS-SC"
        self.case = BlacklistCase(entry={})

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def _decide(self, action: DecisionAction, frm: BlacklistStatus | None,
                to: BlacklistStatus, day: date, doc: str | None, reason: str,
                changes: dict[str, object] | None = None) -> int:
        self.case.decisions.append({
            "action": action, "from_status": frm, "to_status": to,
            "decided_at": at(day, self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))),
            "document_number": doc, "reason": reason, "changes": changes, "actor": self.actor,
        })
        return len(self.case.decisions) - 1

    def _doc(self, kind: str, day: date) -> str:
        return f"{self.abbr}人社{kind}〔{day.year}〕{self.seq:04d}号"

    def _inclusion_dates(self, state: BlacklistStatus, renew: bool) -> date:
        t = DEMO_TODAY
        if state is BlacklistStatus.LISTED and not renew:
            return self.faker.day_between(add_years(t, -LISTING_YEARS) + timedelta(30),
                                          t - timedelta(20))
        if state in (BlacklistStatus.EXPIRED,) or renew:
            return self.faker.day_between(EARLIEST_INCLUSION,
                                          add_years(t, -LISTING_YEARS) - timedelta(1))
        if state is BlacklistStatus.REVOKED:
            return self.faker.day_between(date(2022, 3, 1), t - timedelta(90))
        return self.faker.day_between(EARLIEST_INCLUSION, date(2025, 6, 30))  # REMOVED_EARLY

    def build(self, state: BlacklistStatus) -> BlacklistCase:
        S, A = BlacklistStatus, DecisionAction
        rng, t = self.rng, DEMO_TODAY
        renew = state is S.LISTED and rng.random() < 0.15
        reached_list = state not in (S.NOTICE, S.DEFENCE_HEARD)
        if state is S.NOTICE:
            proposed = t - self._days(1, 9)
        elif state is S.DEFENCE_HEARD:
            proposed = t - self._days(15, 45)
        else:
            included = self._inclusion_dates(state, renew)
            proposed = included - self._days(15, 40)
        entry = self._entry(proposed)

        self._decide(A.PROPOSE, None, S.NOTICE, proposed, self._doc("告", proposed),
                     "责令限期支付逾期未支付，拟列入失信联合惩戒对象名单，告知陈述申辩权利")
        if state is not S.NOTICE:
            if rng.random() < 0.6:
                received = proposed + self._days(2, 9)
                entry["defence_statement"] = rng.choice((
                    "称系建设单位未按期拨付工程款所致，请求从轻处理",
                    "对拖欠金额有异议，称部分工资已以现金支付",
                    "承认拖欠事实，承诺尽快筹措资金支付",
                ))
                entry["defence_received_at"] = at(received, 15)
                self._decide(A.RECORD_DEFENCE, S.NOTICE, S.DEFENCE_HEARD, received,
                             None, "记录当事人陈述申辩意见")
            else:
                self._decide(A.RECORD_DEFENCE, S.NOTICE, S.DEFENCE_HEARD,
                             entry["defence_deadline"] + timedelta(1), None,
                             "当事人在期限内未提出陈述申辩")
        if reached_list:
            self._listed(state, entry, included, renew)
        entry["status"] = state
        self.case.entry = entry
        self._persons()
        return self.case

    def _entry(self, proposed: date) -> Row:
        rng, c = self.rng, self.company
        d = c.district
        workers = rng.randint(10, 260)
        amount = Decimal(rng.randrange(5_000_000, 300_000_000)) / 100
        project = f"{d.name}{rng.choice(PLACES)}{rng.choice(PROJECT_KINDS)}"
        basis = rng.choice(_BASES)
        reason = f"拖欠{project}{workers}名农民工工资，经责令限期支付逾期仍未支付"
        if basis is _BASES[1]:
            reason += "，引发群体性事件"
        return {
            "enterprise": c.uscc, "district_code": d.code, "reason": reason,
            "legal_basis": basis, "amount_owed": amount, "workers_affected": workers,
            "issuing_authority": f"{local_name(d)}人力资源和社会保障局",
            "clues": rng.choice(_CLUES),
            "internal_notes": "企业账户已查询，无可执行财产" if rng.random() < 0.3 else None,
            "defence_deadline": proposed + timedelta(10),
            "defence_statement": None, "defence_received_at": None,
            "decision_document_number": None, "included_on": None, "expected_exit_on": None,
            "arrears_corrected_on": None, "credit_commitment_on": None, "removed_on": None,
            "removal_reason": None,
        }

    def _listed(self, state: BlacklistStatus, entry: Row, included: date, renew: bool) -> None:
        S, A = BlacklistStatus, DecisionAction
        rng, t = self.rng, DEMO_TODAY
        doc = self._doc("失惩", included)
        include_ix = self._decide(A.INCLUDE, S.DEFENCE_HEARD, S.LISTED, included, doc,
                                  "列入拖欠农民工工资失信联合惩戒对象名单，期限三年")
        entry.update(decision_document_number=doc, included_on=included,
                     expected_exit_on=add_years(included, LISTING_YEARS))

        # When (if ever) the entry leaves the list, and the dates that go with it.
        removed: date | None = None
        if state is S.EXPIRED:
            removed = entry["expected_exit_on"]
        elif state is S.REVOKED:
            removed = included + self._days(20, min(300, (t - included).days - 1))
        elif state is S.REMOVED_EARLY:
            # Inclusion is drawn no later than 2025-06-30, so removal (at most ~13 months
            # after inclusion) is always before T and long before the three years are up.
            corrected = included + self._days(20, 150)
            removed = add_months(corrected, 6) + self._days(1, 45)
            assert removed < t and removed < entry["expected_exit_on"]
            commitment = corrected + self._days(1, (removed - corrected).days - 1)
            entry.update(arrears_corrected_on=corrected, credit_commitment_on=commitment)

        last = removed or (entry["expected_exit_on"] if renew else t)
        if rng.random() < 0.2 and (last - included).days > 20:
            day = included + self._days(10, (last - included).days - 1)
            new = (entry["amount_owed"] * Decimal("0.9")).quantize(Decimal("0.01"))
            self._decide(A.CORRECT, S.LISTED, S.LISTED, day, self._doc("更", day),
                         "经核实更正拖欠工资数额",
                         {"amount_owed": {"from": str(entry["amount_owed"]), "to": str(new)}})
            entry["amount_owed"] = new
        if renew:
            day = entry["expected_exit_on"]
            new_exit = add_years(day, LISTING_YEARS)
            self._decide(A.RENEW, S.LISTED, S.LISTED, day, self._doc("延", day),
                         "期满仍未改正拖欠工资行为，延长列入期限三年",
                         {"included_on": {"from": str(included), "to": str(day)},
                          "expected_exit_on": {"from": str(day), "to": str(new_exit)}})
            entry.update(included_on=day, expected_exit_on=new_exit)

        remove_ix = None
        if removed is not None:
            why = {
                S.EXPIRED: "列入期限届满，移出名单",
                S.REMOVED_EARLY: "已改正拖欠工资行为满六个月并作出信用承诺，提前移出名单",
                S.REVOKED: "经行政复议，原列入决定被撤销",
            }[state]
            remove_ix = self._decide(A.REMOVE, S.LISTED, state, removed,
                                     self._doc("移", removed), why)
            entry.update(removed_on=removed, removal_reason=why)
        self._publish(include_ix, remove_ix, included, removed)

    def _publish(self, include_ix: int, remove_ix: int | None, included: date,
                 removed: date | None) -> None:
        rng, t = self.rng, DEMO_TODAY
        if rng.random() > 0.8:
            return
        platforms = rng.sample(list(Platform), rng.randint(1, 3))
        published = min(included + self._days(1, 5), t)
        for p in platforms:
            self.case.publications.append({
                "decision": include_ix, "platform": p, "action": PublicationAction.PUBLISHED,
                "url": _URLS[p].format(n=f"{self.seq:04d}"), "at": at(published, 11),
                "recorded_by": self.actor,
            })
            if removed is not None and remove_ix is not None:
                self.case.publications.append({
                    "decision": remove_ix, "platform": p,
                    "action": PublicationAction.WITHDRAWN, "url": None,
                    "at": at(min(removed + self._days(1, 5), t), 11), "recorded_by": self.actor,
                })
        if not self.company.district.in_beijing:
            end = min(removed or t, t)
            for dept in rng.sample(sorted(_MEASURES), rng.randint(1, 2)):
                taken = min(included + self._days(5, 60), end)
                self.case.measures.append({
                    "department": dept, "measure": rng.choice(_MEASURES[dept]),
                    "taken_on": taken, "effect": rng.choice((
                        "已在本系统标注，相关业务办理时予以限制",
                        "该企业已被限制参与本年度政府投资项目投标",
                        None,
                    )),
                })

    def _persons(self) -> None:
        self.case.persons.append((self.company.legal_representative,
                                  PersonRole.LEGAL_REPRESENTATIVE))
        for _ in range(self.rng.choice((0, 0, 1, 1, 2))):
            person = {
                "name": self.faker.person_name(), "id_type": IdType.RESIDENT_ID,
                "id_number": self.faker.resident_id(self.company.district.code),
                "phone": self.faker.mobile(),
            }
            self.persons.append(person)
            role = self.rng.choice((PersonRole.PRINCIPAL, PersonRole.DIRECTLY_RESPONSIBLE))
            self.case.persons.append((person["id_number"], role))
