"""The state machine alone: every allowed step, every refused one, and the guards."""

from __future__ import annotations

from datetime import date

import pytest

from hub.domains.blacklist.lifecycle import (
    TRANSITIONS,
    Facts,
    Removal,
    add_working_days,
    allowed_steps,
    expected_exit,
    plan,
)
from hub.domains.blacklist.lifecycle import (
    BlacklistStatus as S,
)
from hub.domains.blacklist.lifecycle import (
    DecisionAction as A,
)
from hub.errors import IllegalTransition, InvalidInput

TODAY = date(2026, 11, 20)


def listed(**kw: object) -> Facts:
    base = dict(status=S.LISTED, proposed_on=date(2024, 1, 2), defence_deadline=date(2024, 1, 9),
                included_on=date(2024, 2, 1), expected_exit_on=date(2027, 2, 1))
    return Facts(**{**base, **kw})  # type: ignore[arg-type]


def test_propose_then_defence_then_include() -> None:
    assert plan(Facts(None), A.PROPOSE, on=TODAY, today=TODAY) is S.NOTICE
    notice = Facts(S.NOTICE, proposed_on=TODAY, defence_deadline=date(2026, 11, 27))
    assert plan(notice, A.RECORD_DEFENCE, on=TODAY, today=TODAY) is S.DEFENCE_HEARD
    assert plan(Facts(S.DEFENCE_HEARD, proposed_on=TODAY), A.INCLUDE, on=TODAY, today=TODAY) is S.LISTED


def test_include_without_defence_only_after_the_deadline() -> None:
    notice = Facts(S.NOTICE, proposed_on=date(2026, 11, 2), defence_deadline=date(2026, 11, 9))
    assert plan(notice, A.INCLUDE, on=date(2026, 11, 10), today=TODAY) is S.LISTED
    with pytest.raises(IllegalTransition) as info:
        plan(notice, A.INCLUDE, on=date(2026, 11, 9), today=TODAY)
    assert info.value.extensions["currentState"] == "NOTICE"
    assert "RECORD_DEFENCE" in info.value.extensions["allowed"]
    assert "2026-11-09" in info.value.message


@pytest.mark.parametrize("status", list(S))
def test_every_step_not_in_the_table_is_refused_naming_state_and_allowed_steps(status: S) -> None:
    for action in A:
        if action in TRANSITIONS[status]:
            continue
        with pytest.raises(IllegalTransition) as info:
            plan(listed(status=status), action, on=TODAY, today=TODAY, removal=Removal.REVOKED)
        assert info.value.code == "ILLEGAL_TRANSITION"
        assert info.value.extensions == {"currentState": status.value, "allowed": allowed_steps(status)}
        assert status.value in info.value.message


def test_closed_entries_allow_nothing() -> None:
    for status in (S.EXPIRED, S.REMOVED_EARLY, S.REVOKED):
        assert allowed_steps(status) == []


def test_removal_kinds_from_each_state() -> None:
    assert plan(Facts(S.NOTICE), A.REMOVE, on=TODAY, today=TODAY, removal=Removal.REVOKED) is S.REVOKED
    with pytest.raises(IllegalTransition, match="cannot leave the list as EXPIRED"):
        plan(Facts(S.DEFENCE_HEARD), A.REMOVE, on=TODAY, today=TODAY, removal=Removal.EXPIRED)
    assert plan(listed(), A.REMOVE, on=TODAY, today=TODAY, removal=Removal.REVOKED) is S.REVOKED


def test_expiry_only_when_three_years_are_up() -> None:
    with pytest.raises(IllegalTransition, match="2027-02-01"):
        plan(listed(), A.REMOVE, on=TODAY, today=TODAY, removal=Removal.EXPIRED)
    facts = listed(expected_exit_on=date(2026, 11, 20))
    assert plan(facts, A.REMOVE, on=TODAY, today=TODAY, removal=Removal.EXPIRED) is S.EXPIRED


def test_early_removal_needs_correction_six_months_and_commitment() -> None:
    early = Removal.EARLY_REMOVAL
    with pytest.raises(IllegalTransition, match="corrected"):
        plan(listed(), A.REMOVE, on=TODAY, today=TODAY, removal=early)
    with pytest.raises(IllegalTransition, match="credit commitment"):
        plan(listed(arrears_corrected_on=date(2026, 1, 5)), A.REMOVE, on=TODAY, today=TODAY, removal=early)
    too_soon = listed(arrears_corrected_on=date(2026, 6, 1), credit_commitment_on=date(2026, 6, 2))
    with pytest.raises(IllegalTransition, match="not before 2026-12-01"):
        plan(too_soon, A.REMOVE, on=TODAY, today=TODAY, removal=early)
    ok = listed(arrears_corrected_on=date(2026, 5, 20), credit_commitment_on=date(2026, 6, 2))
    assert plan(ok, A.REMOVE, on=TODAY, today=TODAY, removal=early) is S.REMOVED_EARLY


def test_dates_in_the_future_or_before_the_proposal_are_bad_input() -> None:
    with pytest.raises(InvalidInput, match="future"):
        plan(Facts(S.DEFENCE_HEARD), A.INCLUDE, on=date(2026, 11, 21), today=TODAY)
    with pytest.raises(InvalidInput, match="before the proposal"):
        plan(Facts(S.DEFENCE_HEARD, proposed_on=TODAY), A.INCLUDE, on=date(2026, 11, 1), today=TODAY)


def test_dates() -> None:
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Friday + 5 = next Friday
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # Saturday -> Monday
    assert expected_exit(date(2024, 2, 29)) == date(2027, 2, 28)
