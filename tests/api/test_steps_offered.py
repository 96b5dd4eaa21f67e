"""The API's allowed_steps are the steps that can be taken now, by state and by the facts: a step
the facts refuse (closing while an action is open) is listed in steps_not_now with its reason.
Accepting needs the triage reasoning, and completing an action what was done."""

from __future__ import annotations

import pytest

from tests.api.helpers import Journey, is_problem, log_complaint, read, record_learning, step

pytestmark = pytest.mark.django_db

CLOSING_REFUSED = "The complaint can only be closed when every agreed action is done: 1 action is still open."


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def test_closing_with_an_open_action_is_not_allowed_and_says_why(api, journey, officer):
    olivia = api.as_(officer)
    case = record_learning(olivia, journey.until("responded"), "Thu 2026-03-12 15:10")
    assert "close" in case["allowed_steps"] and case["steps_not_now"] == []
    case = step(
        olivia, case, "actions", "Thu 2026-03-12 15:30", description="Replace the tiles", due_on="2026-03-20"
    )
    assert "close" not in case["allowed_steps"]
    assert {"step": "close", "reason": CLOSING_REFUSED} in case["steps_not_now"]

    (action,) = case["actions"]
    case = step(
        olivia, case, f"actions/{action['id']}/complete", "Fri 2026-03-20 10:00", note="Tiles replaced"
    )
    assert "close" in read(olivia, case["reference"], "Fri 2026-03-20 10:01")["allowed_steps"]


def test_a_step_the_role_may_not_take_is_in_neither_list(api, journey, frontline, officer):
    case = journey.until("responded")
    case = step(
        api.as_(officer), case, "actions", "Thu 2026-03-12 15:30", description="Tiles", due_on="2026-03-20"
    )
    by_fran = read(api.as_(frontline), case["reference"], "Thu 2026-03-12 15:31")
    assert "close" not in by_fran["allowed_steps"]
    assert by_fran["steps_not_now"] == []


def test_accepting_without_the_triage_reasoning_is_refused_and_changes_nothing(
    api, customer, frontline, officer
):
    olivia = api.as_(officer)
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00")
    refused = step(olivia, case, "accept", "Mon 2026-03-02 11:00", owner="olivia", reasoning="  ", expect=409)
    assert refused["reason"] == "Give your triage reasoning: why this meets the definition of a complaint."
    assert read(olivia, case["reference"], "Mon 2026-03-02 11:01")["state"] == "received"

    case = step(olivia, case, "accept", "Mon 2026-03-02 11:02", owner="olivia", reasoning="A missed repair.")
    assert case["triage_note"] == "A missed repair."


def test_completing_an_action_without_saying_what_was_done_is_refused(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("responded")
    case = step(olivia, case, "actions", "Thu 2026-03-12 15:30", description="Tiles", due_on="2026-03-20")
    (action,) = case["actions"]
    with_blank = olivia.post(
        f"complaints/{case['reference']}/actions/{action['id']}/complete",
        {"version": case["version"], "note": ""},
    )
    assert is_problem(with_blank, 409, "step-not-allowed")["reason"] == (
        "Say what was done: the record shows how the action was carried out."
    )
