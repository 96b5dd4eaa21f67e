"""issue 13, ack: POST /complaints/{reference}/acknowledgement, a contact that acknowledges, and each
stage's acknowledged_at and acknowledged_via in the complaint's detail.

The standard journey (flagship policy): received Monday 2 March 2026 at 10:00, accepted at 11:00;
under it the acknowledgement moves no clock (the response stays due 10 working days from
receipt, Monday 16 March). Under the Code's policy, a complaint received Thursday 19 March 2026
at 14:00 and acknowledged on Monday 23 March at 10:00 is due its response by the end of
Wednesday 8 April (10 working days, Good Friday and Easter Monday skipped; worked out in full
in tests/cases/test_acknowledgement.py).
"""

from __future__ import annotations

import pytest

from putright.cases.models import Complaint, EventKind, TimelineEvent
from tests.api.conftest import instant
from tests.api.helpers import Journey, deadlines, is_problem, iso, log_complaint, read, step
from tests.cases.helpers import at, end_of, on, snapshot
from tests.conftest import policy_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def stage(case, number: int = 1) -> dict:
    return next(s for s in case["stages"] if s["number"] == number)


def test_recording_the_acknowledgement_shows_on_the_stage(api, journey, officer):
    case = journey.until("accepted")
    assert (stage(case)["acknowledged_at"], stage(case)["acknowledged_via"]) == (None, "")

    case = step(
        api.as_(officer),
        case,
        "acknowledgement",
        "Mon 2026-03-02 15:00",
        occurred_at=iso("Mon 2026-03-02 12:00"),
    )

    assert stage(case)["acknowledged_via"] == "recorded"
    assert instant(stage(case)["acknowledged_at"]) == on("Mon 2026-03-02 12:00")
    assert deadlines(case)["stage1.response"]["due_date"] == "2026-03-16"  # the seed policy: from receipt
    assert TimelineEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_under_the_code_it_restarts_the_response_clock(api, settings, customer, frontline, officer):
    with policy_in_force(settings, "code-2024"):
        olivia = api.as_(officer)
        case = log_complaint(api.as_(frontline), customer, "Thu 2026-03-19 14:00")
        case = step(
            olivia, case, "accept", "Thu 2026-03-19 15:00", owner=officer.username, reasoning="A complaint."
        )
        case = step(olivia, case, "acknowledgement", "Mon 2026-03-23 10:00")

    response = deadlines(case)["stage1.response"]
    assert response["due_at"] == end_of("Wed 2026-04-08")
    assert deadlines(case)["stage1.contact"]["met_at"] == on("Mon 2026-03-23 10:00")


def test_a_contact_can_acknowledge(api, journey, officer):
    case = journey.until("accepted")
    case = step(
        api.as_(officer),
        case,
        "contacts",
        "Mon 2026-03-02 14:00",
        method="phone",
        summary="Acknowledged the complaint on the phone",
        acknowledges=True,
    )
    assert stage(case)["acknowledged_via"] == "contact"


def test_a_second_click_with_the_same_key_changes_nothing(api, journey, officer):
    case = journey.until("accepted")
    olivia = api.as_(officer)
    body = {"version": case["version"]}
    with at("Mon 2026-03-02 12:00"):
        first = olivia.post(f"complaints/{case['reference']}/acknowledgement", body, idempotency_key="ack-1")
    with at("Mon 2026-03-02 12:01"):
        second = olivia.post(f"complaints/{case['reference']}/acknowledgement", body, idempotency_key="ack-1")
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert TimelineEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_a_later_acknowledgement_changes_nothing(api, journey, officer):
    case = journey.until("accepted")
    olivia = api.as_(officer)
    case = step(olivia, case, "acknowledgement", "Mon 2026-03-02 12:00")
    later = step(olivia, case, "acknowledgement", "Tue 2026-03-03 12:00")
    assert later["version"] == case["version"]
    assert stage(later)["acknowledged_at"] == stage(case)["acknowledged_at"]
    assert TimelineEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_refusals_are_the_same_as_every_step(api, journey, officer, customer, frontline):
    olivia = api.as_(officer)
    received = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00")
    refused = step(olivia, received, "acknowledgement", "Mon 2026-03-02 10:30", expect=409)
    assert refused["type"].endswith("/step-not-allowed")

    case = journey.until("accepted")
    complaint = Complaint.objects.get(reference=case["reference"])
    before = snapshot(complaint)
    with at("Mon 2026-03-02 12:00"):
        stale = olivia.post(
            f"complaints/{case['reference']}/acknowledgement", {"version": case["version"] - 1}
        )
        future = olivia.post(
            f"complaints/{case['reference']}/acknowledgement",
            {"version": case["version"], "occurred_at": iso("Tue 2026-03-03 12:00")},
        )
        garbled = olivia.post(
            f"complaints/{case['reference']}/acknowledgement",
            {"version": case["version"], "occurred_at": "yesterday"},
        )
        unknown = olivia.post("complaints/VHT-2099-9999/acknowledgement", {"version": 1})
    is_problem(stale, 409, "stale-version")
    assert is_problem(future, 422, "invalid")["errors"][0]["field"] == "occurred_at"
    assert is_problem(garbled, 422, "invalid")["errors"][0]["field"] == "occurred_at"
    is_problem(unknown, 404, "not-found")
    assert snapshot(complaint) == before
    assert read(olivia, case["reference"], "Mon 2026-03-02 12:00")["stages"][0]["acknowledged_at"] is None
