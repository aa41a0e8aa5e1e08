"""The fixed points of the demo: its seed, its "today" and the shape of the Daxing pilot.

Every date in the demo is computed from :data:`DEMO_TODAY`, never from the clock, so two runs
on two machines on two days produce the same rows.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

#: Seed of the one ``random.Random`` the whole generator draws from.
DEMO_SEED = 20220615  # the day Beijing's HRSS and banking regulator signed the memorandum

#: The demo's "today": blacklist states, the pilot's extract window and every other date are
#: relative to it.
DEMO_TODAY = date(2026, 11, 1)

#: China Standard Time: the banks and bureaus record local times; the hub stores UTC.
CST = timezone(timedelta(hours=8), "CST")

#: The Beijing pilot of the seed (``shared/seeds/001_*``): Daxing district, 193 projects under
#: construction, 54 of them with account problems.
PILOT_DISTRICT = "110115"
PILOT_PROJECTS = 193
PILOT_PROBLEM_PROJECTS = 54

#: The banks' extract covers six whole calendar months before DEMO_TODAY: 2026-05 .. 2026-10.
WINDOW_MONTHS: tuple[tuple[int, int], ...] = tuple((2026, m) for m in range(5, 11))

#: Contracts below this value are exempt from the wage deposit (a demo rule modelled on the
#: small-contract exemption); every other project has a deposit of 1-3 % of its value.
DEPOSIT_EXEMPT_BELOW = 3_000_000

#: Summary prefix of every wage payment; anything else leaving a special account is not wages.
WAGE_SUMMARY_PREFIX = "代发工资"

#: Reference of the pilot investigation whose findings are the Anomaly rows.
PILOT_INVESTIGATION = "INV-2026-110115-PILOT"

#: How many enterprises the register holds (at least 2,000 by the brief).
ENTERPRISES = 2100
