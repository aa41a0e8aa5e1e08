"""Which platforms show an entry's latest decision, which are late, and which still show a
removed entry. Pure: decisions and publication records in, one state per platform out.

The memorandum: HRSS publishes on its portal, DRC and the Big Data Center on Credit China,
Market Supervision on the National Enterprise Credit Information Publicity System (NECIPS).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from hub.domains.blacklist.lifecycle import (
    REMOVED_STATUSES,
    UNPUBLISHED_STATUSES,
    BlacklistStatus,
    DecisionAction,
    add_working_days,
)


class Platform(enum.Enum):
    HRSS_PORTAL = "HRSS_PORTAL"
    CREDIT_CHINA = "CREDIT_CHINA"
    NECIPS = "NECIPS"


class PublicationAction(enum.Enum):
    PUBLISHED = "PUBLISHED"
    WITHDRAWN = "WITHDRAWN"


#: Which department profiles publish on which platform.
PUBLISHERS: Mapping[Platform, frozenset[str]] = {
    Platform.HRSS_PORTAL: frozenset({"HRSS"}),
    Platform.CREDIT_CHINA: frozenset({"DRC", "BDC"}),
    Platform.NECIPS: frozenset({"MSB"}),
}

#: Entry fields whose correction a platform need not republish (they are never public).
INTERNAL_FIELDS = frozenset({"clues", "internal_notes", "defence_statement"})


@dataclass(frozen=True, slots=True)
class DecisionFact:
    id: int
    action: DecisionAction
    on: date
    changed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PublicationFact:
    platform: Platform
    action: PublicationAction
    decision_id: int | None
    at: datetime
    url: str | None


@dataclass(frozen=True, slots=True)
class PlatformState:
    platform: Platform
    showing: bool
    shows_latest_decision: bool
    last_action: PublicationAction | None
    last_at: datetime | None
    url: str | None
    due_on: date | None
    late: bool
    shows_removed_entry: bool


def publishable(decisions: Sequence[DecisionFact]) -> DecisionFact | None:
    """The latest decision platforms must reflect: inclusion, renewal, removal, or a
    correction of a public field."""
    for d in reversed(decisions):
        if d.action in (DecisionAction.INCLUDE, DecisionAction.RENEW, DecisionAction.REMOVE):
            return d
        if d.action is DecisionAction.CORRECT and d.changed - INTERNAL_FIELDS:
            return d
    return None


def platform_states(
    status: BlacklistStatus,
    decisions: Sequence[DecisionFact],
    records: Sequence[PublicationFact],
    today: date,
    deadline_working_days: int,
) -> list[PlatformState]:
    latest = publishable(decisions)
    states = []
    for platform in Platform:
        mine = [r for r in records if r.platform is platform]
        last = mine[-1] if mine else None
        showing = last is not None and last.action is PublicationAction.PUBLISHED
        up_to_date = (
            showing and latest is not None and last is not None and last.decision_id == latest.id
        )
        if status in UNPUBLISHED_STATUSES or latest is None:
            needs_action = showing  # nothing to publish yet; showing it at all is wrong
        elif status in REMOVED_STATUSES:
            needs_action = showing  # must be withdrawn
        else:
            needs_action = not up_to_date
        due = add_working_days(latest.on, deadline_working_days) if needs_action and latest else None
        states.append(PlatformState(
            platform=platform,
            showing=showing,
            shows_latest_decision=up_to_date,
            last_action=last.action if last else None,
            last_at=last.at if last else None,
            url=last.url if last else None,
            due_on=due,
            late=due is not None and today > due,
            shows_removed_entry=showing and status in REMOVED_STATUSES,
        ))
    return states
