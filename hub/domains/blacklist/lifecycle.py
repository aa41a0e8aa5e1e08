"""The life of a blacklist entry as a pure state machine: states, the steps allowed from each,
and the guards the national interim measures put on them. No database, no GraphQL: the
service asks ``plan`` whether a step may happen and what it leads to, then writes it.

::

    (none) --PROPOSE--> NOTICE --RECORD_DEFENCE--> DEFENCE_HEARD
                          |                              |
                          +--INCLUDE (deadline passed)---+--INCLUDE--> LISTED --RENEW/CORRECT--> LISTED
                          |                              |               |
                          +--REMOVE(REVOKED)-------------+               +--REMOVE--> EXPIRED | REMOVED_EARLY | REVOKED

- INCLUDE follows the party's defence (DEFENCE_HEARD) or, without one, the passing of the
  defence deadline; the listing runs three years from the inclusion date.
- REMOVE as EXPIRED when the three years are up; as REMOVED_EARLY only when the arrears were
  corrected, six months have passed since, and a credit commitment was made; as REVOKED at
  any time (an inclusion overturned, or a proposal dropped after the defence).
- CORRECT changes recorded facts in any live state (the old values stay in the history).
- EXPIRED, REMOVED_EARLY and REVOKED are final.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from hub.errors import IllegalTransition, InvalidInput

LISTING_YEARS = 3
EARLY_REMOVAL_MONTHS = 6


class BlacklistStatus(enum.Enum):
    """NOTICE and DEFENCE_HEARD are the unpublished stages; LISTED is in force; the last three
    are the ways an entry leaves the list."""

    NOTICE = "NOTICE"
    DEFENCE_HEARD = "DEFENCE_HEARD"
    LISTED = "LISTED"
    EXPIRED = "EXPIRED"
    REMOVED_EARLY = "REMOVED_EARLY"
    REVOKED = "REVOKED"


UNPUBLISHED_STATUSES = frozenset({BlacklistStatus.NOTICE, BlacklistStatus.DEFENCE_HEARD})
REMOVED_STATUSES = frozenset({BlacklistStatus.EXPIRED, BlacklistStatus.REMOVED_EARLY, BlacklistStatus.REVOKED})


class DecisionAction(enum.Enum):
    PROPOSE = "PROPOSE"
    RECORD_DEFENCE = "RECORD_DEFENCE"
    INCLUDE = "INCLUDE"
    RENEW = "RENEW"
    CORRECT = "CORRECT"
    REMOVE = "REMOVE"


class Removal(enum.Enum):
    """How an entry leaves the list (the argument of ``removeFromBlacklist``)."""

    EXPIRED = "EXPIRED"
    EARLY_REMOVAL = "EARLY_REMOVAL"
    REVOKED = "REVOKED"


REMOVAL_STATUS: Mapping[Removal, BlacklistStatus] = {
    Removal.EXPIRED: BlacklistStatus.EXPIRED,
    Removal.EARLY_REMOVAL: BlacklistStatus.REMOVED_EARLY,
    Removal.REVOKED: BlacklistStatus.REVOKED,
}

S, A = BlacklistStatus, DecisionAction

#: From each state (None: no entry yet), the steps allowed and the states they lead to.
TRANSITIONS: Mapping[BlacklistStatus | None, Mapping[DecisionAction, frozenset[BlacklistStatus]]] = {
    None: {A.PROPOSE: frozenset({S.NOTICE})},
    S.NOTICE: {
        A.RECORD_DEFENCE: frozenset({S.DEFENCE_HEARD}),
        A.INCLUDE: frozenset({S.LISTED}),
        A.CORRECT: frozenset({S.NOTICE}),
        A.REMOVE: frozenset({S.REVOKED}),
    },
    S.DEFENCE_HEARD: {
        A.INCLUDE: frozenset({S.LISTED}),
        A.CORRECT: frozenset({S.DEFENCE_HEARD}),
        A.REMOVE: frozenset({S.REVOKED}),
    },
    S.LISTED: {
        A.RENEW: frozenset({S.LISTED}),
        A.CORRECT: frozenset({S.LISTED}),
        A.REMOVE: frozenset({S.EXPIRED, S.REMOVED_EARLY, S.REVOKED}),
    },
    S.EXPIRED: {},
    S.REMOVED_EARLY: {},
    S.REVOKED: {},
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Facts:
    """What the guards need to know of an entry (a snapshot, not the row)."""

    status: BlacklistStatus | None
    proposed_on: date | None = None
    defence_deadline: date | None = None
    included_on: date | None = None
    expected_exit_on: date | None = None
    arrears_corrected_on: date | None = None
    credit_commitment_on: date | None = None


def allowed_steps(status: BlacklistStatus | None) -> list[str]:
    """The steps allowed from ``status``, named as the error message names them."""
    steps = []
    for action, targets in TRANSITIONS[status].items():
        if action is A.REMOVE:
            steps += [f"REMOVE as {t.value}" for t in sorted(targets, key=lambda s: s.value)]
        else:
            steps.append(action.value)
    return steps


def _illegal(facts: Facts, action: DecisionAction, why: str) -> IllegalTransition:
    state = facts.status.value if facts.status else "none (no entry)"
    allowed = allowed_steps(facts.status)
    return IllegalTransition(
        f"cannot {action.value} an entry in state {state}: {why}; "
        f"allowed from {state}: {', '.join(allowed) or 'nothing (the entry is closed)'}",
        currentState=facts.status.value if facts.status else None,
        allowed=allowed,
    )


def plan(
    facts: Facts,
    action: DecisionAction,
    *,
    on: date,
    today: date,
    removal: Removal | None = None,
) -> BlacklistStatus:
    """The state ``action`` taken on ``on`` leads to, or ``IllegalTransition`` naming the
    current state and the allowed steps. ``on`` is the decision's date; it may not be in
    the future (``today`` is the business date)."""
    if on > today:
        raise InvalidInput(f"the decision date {on} is in the future (today is {today})", field="decidedOn")
    targets = TRANSITIONS[facts.status].get(action)
    if not targets:
        raise _illegal(facts, action, "that step is not allowed from here")
    if action is A.REMOVE:
        if removal is None:
            raise InvalidInput("say how the entry leaves the list", field="removal")
        target = REMOVAL_STATUS[removal]
        if target not in targets:
            raise _illegal(facts, action, f"an entry in this state cannot leave the list as {target.value}")
    else:
        (target,) = targets
    _guard(facts, action, target, on)
    return target


def _guard(facts: Facts, action: DecisionAction, target: BlacklistStatus, on: date) -> None:
    if facts.proposed_on is not None and on < facts.proposed_on:
        raise InvalidInput(f"the decision date {on} is before the proposal ({facts.proposed_on})", field="decidedOn")
    if action is A.INCLUDE and facts.status is S.NOTICE:
        deadline = facts.defence_deadline
        if deadline is not None and on <= deadline:
            raise _illegal(
                facts, action,
                f"the party has until {deadline} to state its case; record its defence first, "
                "or decide after the deadline",
            )
    if action is A.RENEW and facts.included_on is not None and on < facts.included_on:
        raise InvalidInput(f"a renewal cannot predate the inclusion ({facts.included_on})", field="decidedOn")
    if target is S.EXPIRED:
        if facts.expected_exit_on is None or on < facts.expected_exit_on:
            raise _illegal(facts, A.REMOVE, f"the three years run until {facts.expected_exit_on}")
    if target is S.REMOVED_EARLY:
        _guard_early_removal(facts, on)


def _guard_early_removal(facts: Facts, on: date) -> None:
    corrected, committed = facts.arrears_corrected_on, facts.credit_commitment_on
    if corrected is None:
        raise _illegal(facts, A.REMOVE, "early removal needs the date the arrears were corrected")
    if committed is None:
        raise _illegal(facts, A.REMOVE, "early removal needs a recorded credit commitment")
    if facts.included_on is not None and corrected < facts.included_on:
        raise InvalidInput("the arrears were corrected before the inclusion", field="arrearsCorrectedOn")
    if committed > on:
        raise InvalidInput("the credit commitment is dated after the removal", field="creditCommitmentOn")
    earliest = add_months(corrected, EARLY_REMOVAL_MONTHS)
    if on < earliest:
        raise _illegal(
            facts, A.REMOVE,
            f"six months must pass after the arrears were corrected ({corrected}): not before {earliest}",
        )


# -- dates ----------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expected_exit(included_on: date) -> date:
    """The day a listing ends: three years after the inclusion (or the renewal)."""
    return add_years(included_on, LISTING_YEARS)


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``. Public holidays and the
    make-up working weekends of the State Council's calendar are not modelled."""
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
