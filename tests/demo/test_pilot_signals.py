"""The Daxing pilot reproduced by the detector alone: on the demo data the early-warning
rules flag exactly the 54 projects the banking regulator reported, for the same reasons."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from hub.db.engine import unit_of_work
from hub.demo.constants import DEMO_TODAY, PILOT_INVESTIGATION
from hub.domains.monitoring import signals
from hub.domains.monitoring.models import (
    Anomaly,
    AnomalyKind,
    Investigation,
    InvestigationProject,
    RiskSignal,
    SignalStatus,
)
from hub.domains.projects.models import Project
from hub.settings import Settings
from tests.demo.conftest import fetch
from tests.support.http import gql

README_QUERY = """{
  projects(first: 500, filter: {districtCode: "110115", atRisk: true}) {
    totalCount
    nodes { code name
      riskSignals(filter: {status: ACTIVE}) { nodes { kind severity summary } } }
  }
}"""


async def test_the_detector_flags_exactly_the_54_the_bank_reported(demo, sessions, client, hrss) -> None:
    async with unit_of_work(sessions, write=True) as session:
        first = await signals.compute(session, Settings(), today=DEMO_TODAY)
    assert first.as_of.isoformat() == "2026-10-31"  # the end of the banks' extract

    pilot = {c for (c,) in await fetch(sessions, select(Project.code)
             .join(InvestigationProject, InvestigationProject.project_id == Project.id)
             .join(Investigation, Investigation.id == InvestigationProject.investigation_id)
             .where(Investigation.reference == PILOT_INVESTIGATION))}
    assert len(pilot) == 193
    rows = await fetch(sessions, select(Project.code, RiskSignal.kind, RiskSignal.severity)
                       .join(Project, Project.id == RiskSignal.project_id)
                       .where(RiskSignal.status == SignalStatus.ACTIVE, Project.code.in_(pilot)))
    flagged: dict[str, set[str]] = defaultdict(set)
    for code, kind, _ in rows:
        flagged[kind.value].add(code)
    every = set().union(*flagged.values())
    assert len(every) == 54

    # The bank's findings are the ground truth the rules never read.
    reported: dict[AnomalyKind, set[str]] = defaultdict(set)
    for code, kind in await fetch(sessions, select(Project.code, Anomaly.kind)
                                  .join(Project, Project.id == Anomaly.project_id)
                                  .join(Investigation, Investigation.id == Anomaly.investigation_id)
                                  .where(Investigation.reference == PILOT_INVESTIGATION)):
        reported[kind].add(code)
    assert every == set().union(*reported.values())
    assert flagged["OPENING_UNIT_NOT_GENERAL_CONTRACTOR"] == reported[AnomalyKind.OPENING_UNIT_NOT_GENERAL_CONTRACTOR]
    assert flagged["ABNORMAL_TRANSACTIONS"] | flagged["NO_WAGE_OUTFLOW"] == reported[AnomalyKind.ABNORMAL_TRANSACTIONS]
    assert set(flagged) == {"OPENING_UNIT_NOT_GENERAL_CONTRACTOR", "ABNORMAL_TRANSACTIONS", "NO_WAGE_OUTFLOW"}
    assert {s.value for _, k, s in rows if k.value == "ABNORMAL_TRANSACTIONS"} == {"RED"}

    # Computing again changes nothing but the last sighting.
    async with unit_of_work(sessions, write=True) as session:
        again = await signals.compute(session, Settings(), today=DEMO_TODAY)
    assert (again.new, again.resolved) == (0, 0)

    # The README's query lists them.
    body = await gql(client, README_QUERY, headers=hrss)
    listed = {p["code"] for p in body["data"]["projects"]["nodes"] if p["code"] in pilot}
    assert listed == every
    assert all(p["riskSignals"]["nodes"] for p in body["data"]["projects"]["nodes"])
