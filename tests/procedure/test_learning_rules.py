"""The learning owed at closure, compensation suggestions and remedy moves, as rules (issue 12).

Pure: no database. ``closure_refusal`` is the sentence a caseworker reads when
closing (or refusing an appeal) waits on the learning, so its wording is pinned
here for one point, two points and many.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from putright.procedure.learning import (
    PointLearning,
    RemedyStatus,
    closure_gaps,
    closure_refusal,
    remedy_move_refusal,
    suggest_amount,
)

CLOSE = "The complaint can only be closed"
APPEAL = "An appeal can only be refused"
RULE = "when every point has a theme and every upheld or partly upheld point a root cause"


def point(number: int, *, theme: bool = True, upheld: bool = False, cause: bool = False) -> PointLearning:
    return PointLearning(number=number, has_theme=theme, upheld=upheld, has_root_cause=cause)


# --- closure_gaps and closure_refusal ------------------------------------------------------------


def test_nothing_is_missing_when_every_point_has_a_theme_and_every_upheld_one_a_cause():
    points = [point(1, upheld=True, cause=True), point(2), point(3, upheld=False, cause=False)]
    assert closure_gaps(points) == []
    assert closure_refusal(CLOSE, points) is None


def test_a_complaint_without_points_owes_nothing():
    assert closure_refusal(CLOSE, []) is None


def test_one_point_without_a_theme_is_named():
    assert closure_refusal(CLOSE, [point(1), point(2, theme=False)]) == (
        f"{CLOSE} {RULE}: point 2 has no theme."
    )


def test_two_points_without_a_theme_are_named_with_and():
    assert closure_gaps([point(3, theme=False), point(1, theme=False)]) == ["points 1 and 3 have no theme"]


def test_many_points_are_listed_in_order_with_commas_and_a_final_and():
    points = [point(n, theme=False) for n in (4, 2, 1, 3)]
    assert closure_gaps(points) == ["points 1, 2, 3 and 4 have no theme"]


def test_an_upheld_point_without_a_root_cause_is_named():
    assert closure_refusal(APPEAL, [point(1, upheld=True)]) == (
        f"{APPEAL} {RULE}: point 1 was upheld without a root cause."
    )


def test_both_gaps_are_given_themes_first():
    points = [point(1, upheld=True), point(2, theme=False), point(3, theme=False, upheld=True)]
    assert closure_refusal(CLOSE, points) == (
        f"{CLOSE} {RULE}: points 2 and 3 have no theme; points 1 and 3 were upheld without a root cause."
    )


def test_a_root_cause_is_not_owed_on_a_point_not_upheld():
    assert closure_gaps([point(1, upheld=False, cause=False)]) == []


# --- suggest_amount ------------------------------------------------------------------------------


def test_a_suggestion_is_the_rate_times_the_days_with_the_working_shown():
    found = suggest_amount("Without heating", Decimal("5"), "day", 12)
    assert found.amount == Decimal("60.00")
    assert found.working == "Without heating: £5.00 a day × 12 days = £60.00"


def test_one_unit_is_singular():
    found = suggest_amount("Without a kitchen", Decimal("20"), "week", 1)
    assert found.working == "Without a kitchen: £20.00 a week × 1 week = £20.00"
    assert found.amount == Decimal("20.00")


def test_the_policy_cap_limits_the_amount_and_says_so():
    found = suggest_amount("Without hot water", Decimal("2.50"), "day", 100, cap=Decimal("150"))
    assert found.amount == Decimal("150.00")
    assert found.working == (
        "Without hot water: £2.50 a day × 100 days = £250.00, capped at £150.00 by the policy"
    )


def test_an_amount_under_the_cap_is_not_capped():
    found = suggest_amount("Without heating", Decimal("5"), "week", 3, cap=Decimal("15"))
    assert (found.amount, found.working.endswith("= £15.00")) == (Decimal("15.00"), True)


def test_pennies_round_half_up():
    assert suggest_amount("Rate", Decimal("0.335"), "day", 1).amount == Decimal("0.34")


@pytest.mark.parametrize("units", [0, -3])
def test_fewer_than_one_unit_is_refused(units):
    with pytest.raises(ValueError, match="at least 1"):
        suggest_amount("Without heating", Decimal("5"), "day", units)


# --- remedy_move_refusal -------------------------------------------------------------------------

MON = dt.date(2026, 3, 2)
TUE = dt.date(2026, 3, 3)


@pytest.mark.parametrize(
    ("current", "new", "financial"),
    [
        (RemedyStatus.OFFERED, RemedyStatus.ACCEPTED, False),
        (RemedyStatus.OFFERED, RemedyStatus.DECLINED, True),
        (RemedyStatus.ACCEPTED, RemedyStatus.PAID, True),
    ],
)
def test_the_moves_a_remedy_may_make(current, new, financial):
    assert remedy_move_refusal(current, new, financial=financial, on=TUE, since=MON) is None


def test_only_money_is_paid():
    assert remedy_move_refusal(
        RemedyStatus.ACCEPTED, RemedyStatus.PAID, financial=False, on=TUE, since=MON
    ) == ("Only money is paid: record an apology or an action as accepted or declined.")


def test_a_declined_offer_is_final():
    assert remedy_move_refusal(
        RemedyStatus.DECLINED, RemedyStatus.ACCEPTED, financial=True, on=TUE, since=MON
    ) == ("The customer declined this remedy: offer a new one instead.")


def test_a_paid_remedy_cannot_change():
    assert remedy_move_refusal(
        RemedyStatus.PAID, RemedyStatus.DECLINED, financial=True, on=TUE, since=MON
    ) == ("This remedy has been paid: nothing further can change on it.")


def test_money_is_accepted_before_it_is_paid():
    assert remedy_move_refusal(
        RemedyStatus.OFFERED, RemedyStatus.PAID, financial=True, on=TUE, since=MON
    ) == ("The customer must accept the offer before it is paid.")


def test_other_impossible_moves_say_from_what_to_what():
    assert remedy_move_refusal(
        RemedyStatus.ACCEPTED, RemedyStatus.DECLINED, financial=True, on=TUE, since=MON
    ) == ("A remedy that is accepted cannot become declined.")


def test_a_move_is_not_dated_before_the_last_one():
    assert remedy_move_refusal(
        RemedyStatus.ACCEPTED, RemedyStatus.PAID, financial=True, on=MON, since=TUE
    ) == ("The date cannot be before the remedy was accepted (03 March 2026).")


def test_a_move_on_the_same_day_is_fine():
    assert (
        remedy_move_refusal(RemedyStatus.OFFERED, RemedyStatus.ACCEPTED, financial=True, on=MON, since=MON)
        is None
    )
