"""Unacceptable behaviour over HTTP: a restriction recorded, reviewed, renewed and ended, and a complaint
not investigated after legal advice; each refused with a reason when the procedure does not allow it."""

from __future__ import annotations

import pytest

from putright.cases.models import EventKind
from tests.api.helpers import Journey, is_problem, kinds, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def restricted(journey: Journey):
    case = journey.until("contacted")
    return step(
        journey.senior,
        case,
        "restrictions",
        "Wed 2026-03-04 12:00",
        reason="Abusive calls",
        restrictions="Email only",
        review_on="2026-06-04",
        contact_meanwhile="Email Olivia at complaints@example.org",
    )


def test_a_restriction_is_reviewed_renewed_and_ended(journey):
    case = restricted(journey)
    [restriction] = case["restrictions"]
    assert restriction["contact_meanwhile"] == "Email Olivia at complaints@example.org"
    base = f"restrictions/{restriction['id']}"

    case = step(
        journey.senior, case, f"{base}/review", "Thu 2026-06-04 10:00",
        conclusion="Calls are civil now", next_review_on="2026-09-04",
    )  # fmt: skip
    [restriction] = case["restrictions"]
    assert (restriction["review_on"], restriction["reviewed_on"]) == ("2026-09-04", "2026-06-04")

    case = step(
        journey.senior, case, f"{base}/renew", "Fri 2026-09-04 10:00",
        reason="Threatening emails in August", review_on="2026-12-04", restrictions="Letters only",
    )  # fmt: skip
    [restriction] = case["restrictions"]
    assert (restriction["restrictions"], restriction["review_on"]) == ("Letters only", "2026-12-04")

    case = step(journey.senior, case, f"{base}/end", "Mon 2026-09-07 10:00", reason="Apology received")
    [restriction] = case["restrictions"]
    assert (restriction["ended_on"], restriction["end_reason"]) == ("2026-09-07", "Apology received")
    assert kinds(case)[-3:] == [
        EventKind.RESTRICTION_REVIEWED,
        EventKind.RESTRICTION_RENEWED,
        EventKind.RESTRICTION_ENDED,
    ]


def test_a_renewal_without_a_reason_is_refused_and_changes_nothing(journey):
    case = restricted(journey)
    restriction_id = case["restrictions"][0]["id"]
    reply = step(
        journey.senior, case, f"restrictions/{restriction_id}/renew", "Thu 2026-06-04 10:00",
        expect=409, reason="", review_on="2026-09-04",
    )  # fmt: skip
    assert reply["detail"] == "Give the reason for renewing the restriction: the customer is told it."


def test_an_unknown_restriction_is_a_clear_error(journey):
    case = restricted(journey)
    reply = step(
        journey.senior, case, "restrictions/999999/end", "Thu 2026-03-05 10:00", expect=422, reason="x"
    )
    assert "no restriction 999999 on this customer" in str(reply)


def test_a_complaint_is_not_investigated_and_a_later_step_is_refused(journey):
    case = journey.until("contacted")
    case = step(
        journey.senior, case, "not-investigated", "Fri 2026-03-06 15:00",
        reason="Threats to staff", legal_advice="Solicitor: may decline", advice_on="2026-03-05",
    )  # fmt: skip
    assert case["state"] == "not_investigated"
    assert kinds(case)[-1] == EventKind.NOT_INVESTIGATED
    with_reply = step(journey.officer, case, "withdraw", "Mon 2026-03-09 10:00", expect=409)
    assert "not possible while the complaint is" in with_reply["detail"]


def test_not_investigating_without_a_reason_is_refused(journey):
    case = journey.until("contacted")
    reply = step(
        journey.senior, case, "not-investigated", "Fri 2026-03-06 15:00",
        expect=409, reason=" ", legal_advice="Advice", advice_on="2026-03-05",
    )  # fmt: skip
    assert reply["detail"].startswith("Give the reason for not investigating")


def test_a_resolution_officer_may_not_decline_to_investigate(journey):
    case = journey.until("contacted")
    reply = journey.officer.post(
        f"complaints/{case['reference']}/not-investigated",
        {
            "version": case["version"],
            "reason": "Threats",
            "legal_advice": "Advice",
            "advice_on": "2026-03-05",
        },
    )
    is_problem(reply, 403, "forbidden")
