"""Every path of the procedure, over HTTP only: create a complaint, then take its steps.

The flagship policy, worked by hand (England and Wales bank holidays):

- A clock starts at the event; on a non-working day, or at or after the 17:00
  cut-off, it starts at 00:00 on the next working day.
- N working days: day 0 is the day the clock starts; due at the end (23:59:59,
  London) of the Nth working day after it.
- 24 working hours: whole 24-hour working days, so 10:00 on one working day is
  due at 10:00 on the next.
- Stage 1: contact 24 working hours and response 10 working days, from receipt.
- Stage 2: contact 5 and response 20 working days, from the request.
- Appeal: meeting within 20 working days of the request; decision within 5
  working days of the meeting. The Ombudsman directly: 8 calendar weeks after
  the final response, at the same London wall-clock time.
- 2026: Good Friday 3 April and Easter Monday 6 April are bank holidays; the
  clocks go forward on Sun 29 March (BST, +01:00). Christmas 2026-27: Fri 25
  Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027.
"""

from __future__ import annotations

import pytest

from putright.cases.models import Complaint, EventKind
from tests.api.conftest import instant
from tests.api.helpers import (
    FULL_PANEL,
    Journey,
    deadline,
    deadlines,
    is_problem,
    iso,
    kinds,
    log_complaint,
    outcomes,
    read,
    record_learning,
    step,
)
from tests.cases.helpers import at, end_of, on

pytestmark = pytest.mark.django_db

#: issue 12: the learning steps an officer may take on a live case.
LEARNING_STEPS = ["record_learning", "add_remedy", "update_remedy", "link_learning_action"]
FRONT_LINE_AT_TRIAGE = [
    "accept",
    "resolve_informally",
    "not_accept",
    "record_contact",
    "add_evidence",
    "withdraw",
    "flag_concern",
    "edit_summary",  # points (issue 11)
    "record_learning",  # issue 12: front line can theme a point at triage
    "correct_stock_type",  # issue 13, tsm: in every state
]
OFFICER_INVESTIGATING = [
    "record_contact",
    "request_evidence",
    "add_evidence",
    "extend",
    "respond",
    "add_action",
    "complete_action",
    "withdraw",
    "reassign",
    "raise_new_matter",
    "flag_concern",
    # points (issue 11)
    "add_point",
    "edit_point",
    "split_point",
    "edit_summary",
    # issue 12: learning on each point, remedies, learning actions
    *LEARNING_STEPS,
    "acknowledge",  # issue 13, ack
    "correct_stock_type",  # issue 13, tsm
]
OFFICER_RESPONDED = [
    "record_contact",
    "add_evidence",
    "add_action",
    "complete_action",
    "close",
    "escalate",
    "withdraw",
    "reassign",
    "raise_new_matter",
    "flag_concern",
    "edit_summary",  # points (issue 11)
    *LEARNING_STEPS,  # issue 12
    "acknowledge",  # issue 13, ack
    "correct_stock_type",  # issue 13, tsm
]


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


# --- Triage: resolved informally, or not accepted --------------------------------------------------


def test_resolved_informally_at_first_contact(api, customer, frontline):
    fran = api.as_(frontline)
    case = log_complaint(fran, customer, "Mon 2026-03-02 10:00")
    assert (case["state"], case["stage"], case["deadlines"]) == ("received", 0, [])
    assert case["allowed_steps"] == FRONT_LINE_AT_TRIAGE
    assert kinds(case) == [EventKind.COMPLAINT_LOGGED]

    case = step(
        fran, case, "resolve-informally", "Mon 2026-03-02 10:05", resolution="Repair booked for today"
    )

    assert case["state"] == "resolved_informally"
    assert case["triage_note"] == "Repair booked for today"
    assert instant(case["closed_at"]) == on("Mon 2026-03-02 10:05")
    assert case["deadlines"] == []
    # A finished case: only a concern may still be flagged on it.
    assert case["allowed_steps"] == ["flag_concern", "correct_stock_type"]
    assert kinds(case) == [EventKind.COMPLAINT_LOGGED, EventKind.RESOLVED_INFORMALLY]


@pytest.mark.parametrize(
    ("reason", "extra", "signposted_to"),
    [
        # Received Mon 2 March 2026; the matter was on Thu 28 August 2025. Six months
        # later is Sat 28 February 2026, before the complaint: out of time.
        ("out_of_time", {}, ""),
        ("first_request_for_service", {}, "Repairs"),
        ("neighbour_or_asb", {}, "Anti-social behaviour team"),
        ("unacceptable_behaviour", {}, ""),
        ("not_about_us", {"signposted_to": "Anglian Water"}, "Anglian Water"),
        ("duplicate", {}, ""),
    ],
)
def test_each_exclusion_is_recorded_with_its_reason(api, customer, frontline, reason, extra, signposted_to):
    fran = api.as_(frontline)
    original = log_complaint(fran, customer, "Fri 2026-02-27 14:00")
    case = log_complaint(fran, customer, "Mon 2026-03-02 10:00", matter_date="2025-08-28")
    if reason == "duplicate":
        extra = {"duplicate_of": original["reference"]}

    case = step(
        fran,
        case,
        "not-accept",
        "Mon 2026-03-02 11:00",
        reason=reason,
        explanation="We have explained why by letter",
        **extra,
    )

    assert case["state"] == "not_accepted"
    assert case["exclusion_reason"] == reason
    assert case["triage_note"] == "We have explained why by letter"
    assert case["signposted_to"] == signposted_to
    assert case["duplicate_of"] == (original["reference"] if reason == "duplicate" else None)
    assert instant(case["closed_at"]) == on("Mon 2026-03-02 11:00")
    assert case["deadlines"] == []
    assert case["allowed_steps"] == ["flag_concern", "correct_stock_type"]
    event = case["timeline"][-1]
    assert event["kind"] == EventKind.NOT_ACCEPTED
    assert event["data"]["reason"] == reason
    assert event["data"]["duplicate_of"] == case["duplicate_of"]
    assert instant(event["occurred_at"]) == on("Mon 2026-03-02 11:00")


# --- Stage 1 -------------------------------------------------------------------------------------


def test_stage_1_accepted_contacted_responded_actioned_and_closed(api, customer, frontline, officer):
    fran, olivia = api.as_(frontline), api.as_(officer)
    case = log_complaint(fran, customer, "Mon 2026-03-02 10:00")
    first_version = case["version"]

    case = step(
        olivia,
        case,
        "accept",
        "Mon 2026-03-02 11:00",
        owner="olivia",
        reasoning="A complaint about a repair.",
    )
    # Received Mon 2 March 2026 10:00, a working day before the cut-off.
    # Contact, 24 working hours: 14 hours to midnight, 10 more on Tue 3 -> Tue 3 March 10:00.
    # Response, 10 working days: day 0 Mon 2; Tue 3 (1), Wed 4 (2), Thu 5 (3), Fri 6 (4),
    #   Mon 9 (5), Tue 10 (6), Wed 11 (7), Thu 12 (8), Fri 13 (9), Mon 16 (10) -> end of Mon 16 March.
    assert (case["state"], case["stage"], case["version"]) == ("stage1", 1, first_version + 1)
    assert case["owner"] == {"username": "olivia", "name": "Olivia Staff"}
    assert deadlines(case) == {
        "stage1.contact": deadline(on("Tue 2026-03-03 10:00"), "open"),
        "stage1.response": deadline(end_of("Mon 2026-03-16"), "open"),
    }
    assert case["next_deadline"]["name"] == "stage1.contact"
    assert case["allowed_steps"] == OFFICER_INVESTIGATING
    assert "accept" not in case["allowed_steps"]
    # Front-line staff reading the same case may record a contact but not respond.
    seen_by_fran = read(fran, case["reference"], "Mon 2026-03-02 11:01")["allowed_steps"]
    assert "record_contact" in seen_by_fran
    assert "respond" not in seen_by_fran

    case = step(olivia, case, "contacts", "Tue 2026-03-03 09:30", method="phone", summary="Talked it through")
    assert deadlines(case)["stage1.contact"] == deadline(
        on("Tue 2026-03-03 10:00"), "met", on("Tue 2026-03-03 09:30")
    )

    case = step(
        olivia,
        case,
        "responses",
        "Thu 2026-03-12 15:00",
        method="letter",
        summary="We are sorry",
        outcomes=outcomes(case),
    )
    assert case["state"] == "stage1_responded"
    assert deadlines(case)["stage1.response"] == deadline(
        end_of("Mon 2026-03-16"), "met", on("Thu 2026-03-12 15:00")
    )
    assert [o["outcome"] for p in case["points"] for o in p["outcomes"]] == ["upheld", "upheld"]
    assert instant(case["stages"][0]["responded_at"]) == on("Thu 2026-03-12 15:00")
    assert case["final_response_at"] is None  # a stage 1 response is not the final one
    assert case["next_deadline"] is None
    # issue 12: closing waits on each point's learning, and says so.
    assert case["allowed_steps"] == [s for s in OFFICER_RESPONDED if s != "close"]
    assert {
        "step": "close",
        "reason": "The complaint can only be closed when every point has a theme and every upheld or "
        "partly upheld point a root cause: points 1 and 2 have no theme; points 1 and 2 were upheld "
        "without a root cause.",
    } in case["steps_not_now"]

    case = step(
        olivia,
        case,
        "actions",
        "Thu 2026-03-12 15:30",
        description="Replace the roof tiles",
        due_on="2026-03-20",
        owner="olivia",
    )
    (action,) = case["actions"]
    assert (action["description"], action["due_on"], action["completed_at"]) == (
        "Replace the roof tiles",
        "2026-03-20",
        None,
    )
    # Not closed while an action is open: the procedure says so, and nothing changes.
    refused = step(olivia, case, "close", "Fri 2026-03-13 09:00", expect=409)
    assert refused["step"] == "close"
    assert refused["reason"] == (
        "The complaint can only be closed when every agreed action is done: 1 action is still open."
    )

    case = step(
        olivia, case, f"actions/{action['id']}/complete", "Fri 2026-03-20 10:00", note="Tiles replaced"
    )
    assert instant(case["actions"][0]["completed_at"]) == on("Fri 2026-03-20 10:00")
    # Closing needs each point's learning (issue 12): a theme, and a root cause once upheld.
    for point in case["points"]:
        case = step(
            olivia,
            case,
            f"points/{point['id']}/learning",
            "Fri 2026-03-20 10:02",
            theme="leaks",
            root_cause="missed_appointment",
        )
    case = step(olivia, case, "close", "Fri 2026-03-20 10:05")

    assert case["state"] == "closed"
    assert instant(case["closed_at"]) == on("Fri 2026-03-20 10:05")
    # Closed at stage 1: the customer may still ask for a review.
    # issue 12: learning is corrected, and remedies followed to payment, after closure too.
    assert case["allowed_steps"] == [
        "record_contact",
        "escalate",
        "flag_concern",
        "record_learning",
        "update_remedy",
        "link_learning_action",
        "acknowledge",  # issue 13, ack
        "correct_stock_type",  # issue 13, tsm
    ]
    assert kinds(case) == [
        EventKind.COMPLAINT_LOGGED,
        EventKind.ACCEPTED,
        EventKind.CONTACT_RECORDED,
        EventKind.RESPONDED,
        EventKind.ACTION_ADDED,
        EventKind.ACTION_COMPLETED,
        EventKind.LEARNING_RECORDED,
        EventKind.LEARNING_RECORDED,
        EventKind.CLOSED,
    ]


def test_stage_1_received_after_the_cut_off_with_a_late_contact_and_an_extension(api, customer, officer):
    olivia = api.as_(officer)
    case = log_complaint(olivia, customer, "Thu 2026-03-05 17:30")
    case = step(
        olivia,
        case,
        "accept",
        "Fri 2026-03-06 09:00",
        owner="olivia",
        reasoning="A complaint about a repair.",
    )
    # Received Thu 5 March 2026 at 17:30, after the 17:00 cut-off: the clocks start at
    # 00:00 on Fri 6 March.
    # Contact, 24 working hours: the whole of Fri 6 March -> end of Fri 6 March.
    # Response, 10 working days: day 0 Fri 6; Mon 9 (1), Tue 10 (2), Wed 11 (3), Thu 12 (4),
    #   Fri 13 (5), Mon 16 (6), Tue 17 (7), Wed 18 (8), Thu 19 (9), Fri 20 (10) -> end of Fri 20 March.
    assert deadlines(case) == {
        "stage1.contact": deadline(end_of("Fri 2026-03-06"), "open"),
        "stage1.response": deadline(end_of("Fri 2026-03-20"), "open"),
    }

    # The first call is on Monday: the contact deadline was missed.
    case = step(
        olivia, case, "contacts", "Mon 2026-03-09 10:00", method="phone", summary="Sorry for the wait"
    )
    assert deadlines(case)["stage1.contact"] == deadline(
        end_of("Fri 2026-03-06"), "missed", on("Mon 2026-03-09 10:00")
    )

    # Extended on Wed 18 March to Thu 2 April. The limit without a good reason is 10 working
    # days after Fri 20 March: Mon 23 (1) ... Fri 27 (5), Mon 30 (6), Tue 31 (7), Wed 1 Apr (8),
    # Thu 2 (9), [Fri 3 Good Friday, Mon 6 Easter Monday], Tue 7 April (10); Thu 2 April is within.
    case = step(
        olivia,
        case,
        "extensions",
        "Wed 2026-03-18 10:00",
        new_due_on="2026-04-02",
        reason="We are waiting for the roofer's report",
    )
    response = next(d for d in case["deadlines"] if d["name"] == "stage1.response")
    # End of Thu 2 April is 23:59:59 BST (the clocks went forward on 29 March): 22:59:59 UTC.
    assert instant(response["due_at"]) == end_of("Thu 2026-04-02")
    assert response["due_at"] in ("2026-04-02T23:59:59+01:00", "2026-04-02T22:59:59Z")
    assert response["due_date"] == "2026-04-02"
    assert instant(response["original_due_at"]) == end_of("Fri 2026-03-20")
    assert case["timeline"][-1]["kind"] == EventKind.EXTENDED

    # On Mon 23 March the original date has passed, but the extended one has not.
    assert deadlines(read(olivia, case["reference"], "Mon 2026-03-23 09:00"))["stage1.response"][
        "status"
    ] == ("open")

    case = step(
        olivia,
        case,
        "responses",
        "Wed 2026-04-01 14:00",
        method="email",
        summary="Partly our fault",
        outcomes=outcomes(case, "partially_upheld"),
    )
    assert case["state"] == "stage1_responded"
    assert deadlines(case) == {
        "stage1.contact": deadline(end_of("Fri 2026-03-06"), "missed", on("Mon 2026-03-09 10:00")),
        "stage1.response": deadline(end_of("Thu 2026-04-02"), "met", on("Wed 2026-04-01 14:00")),
    }


def test_over_christmas_and_new_year_then_withdrawn_with_open_deadlines_cancelled(
    api, customer, frontline, officer
):
    fran, olivia = api.as_(frontline), api.as_(officer)
    case = log_complaint(fran, customer, "Wed 2026-12-23 16:30")
    case = step(
        olivia,
        case,
        "accept",
        "Thu 2026-12-24 09:00",
        owner="olivia",
        reasoning="A complaint about a repair.",
    )
    # Received Wed 23 December 2026 at 16:30, before the cut-off.
    # Contact, 24 working hours: 7.5 hours left of Wed 23, 16.5 of Thu 24 -> Thu 24 December 16:30.
    # Response, 10 working days: day 0 Wed 23; Thu 24 (1), [Fri 25 Christmas, Sat, Sun,
    #   Mon 28 Boxing Day substitute], Tue 29 (2), Wed 30 (3), Thu 31 (4), [Fri 1 Jan New Year],
    #   Mon 4 (5), Tue 5 (6), Wed 6 (7), Thu 7 (8), Fri 8 (9), Mon 11 (10) -> end of Mon 11 January 2027.
    assert deadlines(case) == {
        "stage1.contact": deadline(on("Thu 2026-12-24 16:30"), "open"),
        "stage1.response": deadline(end_of("Mon 2027-01-11"), "open"),
    }
    assert [d["due_date"] for d in case["deadlines"]] == ["2026-12-24", "2027-01-11"]

    case = step(olivia, case, "contacts", "Thu 2026-12-24 11:00", method="phone", summary="Before the break")
    case = step(fran, case, "withdraw", "Tue 2026-12-29 11:00", reason="The roof was fixed by a relative")

    assert case["state"] == "withdrawn"
    assert instant(case["closed_at"]) == on("Tue 2026-12-29 11:00")
    # The contact was made, so it stays met; the response no longer applies.
    assert deadlines(case) == {
        "stage1.contact": deadline(on("Thu 2026-12-24 16:30"), "met", on("Thu 2026-12-24 11:00")),
        "stage1.response": deadline(end_of("Mon 2027-01-11"), "cancelled"),
    }
    assert case["next_deadline"] is None
    assert case["allowed_steps"] == ["flag_concern", "correct_stock_type"]
    assert case["timeline"][-1]["kind"] == EventKind.WITHDRAWN
    assert case["timeline"][-1]["summary"] == "Withdrawn by the customer: The roof was fixed by a relative"
    # Long after: a cancelled deadline is never "missed".
    later = read(olivia, case["reference"], "Mon 2027-02-01 09:00")
    assert deadlines(later)["stage1.response"]["status"] == "cancelled"


# --- Stage 2 and the appeal ----------------------------------------------------------------------


def test_stage_2_review_then_an_appeal_heard_by_the_panel(
    api, journey, officer, senior, frontline, panel_member
):
    sam, fran, penny = api.as_(senior), api.as_(frontline), api.as_(panel_member)
    case = journey.until("responded")

    case = step(
        sam,
        case,
        "escalate",
        "Fri 2026-03-13 10:00",
        grounds=["b"],
        explanation="The offer is too low",
        owner="sam",
    )
    # Requested Fri 13 March 2026 at 10:00.
    # Contact, 5 working days: Mon 16 (1), Tue 17 (2), Wed 18 (3), Thu 19 (4), Fri 20 (5)
    #   -> end of Fri 20 March.
    # Response, 20 working days: Mon 16 (1) ... Fri 20 (5), Mon 23 (6) ... Fri 27 (10),
    #   Mon 30 (11), Tue 31 (12), Wed 1 Apr (13), Thu 2 (14), [Good Friday, Easter Monday],
    #   Tue 7 (15), Wed 8 (16), Thu 9 (17), Fri 10 (18), Mon 13 (19), Tue 14 (20) -> end of Tue 14 April.
    assert (case["state"], case["stage"]) == ("stage2", 2)
    assert case["owner"]["username"] == "sam"
    assert deadlines(case)["stage2.contact"] == deadline(end_of("Fri 2026-03-20"), "open")
    assert deadlines(case)["stage2.response"] == deadline(end_of("Tue 2026-04-14"), "open")
    review = case["stages"][1]
    assert (review["number"], review["grounds"], review["request_text"]) == (2, ["b"], "The offer is too low")
    assert review["handler"]["username"] == "sam"
    assert "respond" in case["allowed_steps"]
    assert "escalate" not in case["allowed_steps"]
    # At stage 2 only a Senior Manager responds: not the Resolution Officer.
    by_olivia = read(api.as_(officer), case["reference"], "Fri 2026-03-13 10:01")["allowed_steps"]
    assert "respond" not in by_olivia
    assert "extend" not in by_olivia

    case = step(sam, case, "contacts", "Mon 2026-03-16 10:00", method="phone", summary="Review call")
    case = step(
        sam,
        case,
        "responses",
        "Thu 2026-03-19 15:00",
        method="letter",
        summary="Review",
        outcomes=outcomes(case),
    )
    # The stage 2 response is the final response so far. Eight weeks after Thu 19 March
    # 15:00 GMT is Thu 14 May 15:00 BST: the same wall-clock time across the clock change.
    assert case["state"] == "stage2_responded"
    assert instant(case["final_response_at"]) == on("Thu 2026-03-19 15:00")
    assert instant(case["ombudsman_direct_from"]) == on("Thu 2026-05-14 15:00")
    assert deadlines(case)["stage2.contact"]["status"] == "met"
    assert deadlines(case)["stage2.response"] == deadline(
        end_of("Tue 2026-04-14"), "met", on("Thu 2026-03-19 15:00")
    )
    assert "request_appeal" in case["allowed_steps"]
    assert "respond" not in case["allowed_steps"]

    case = step(
        fran,
        case,
        "appeal",
        "Mon 2026-03-23 10:00",
        criteria=["a"],
        explanation="Point 2 was never looked at",
    )
    # Requested Mon 23 March. Meeting within 20 working days: Tue 24 (1), Wed 25 (2), Thu 26 (3),
    #   Fri 27 (4), Mon 30 (5), Tue 31 (6), Wed 1 Apr (7), Thu 2 (8), [Good Friday, Easter Monday],
    #   Tue 7 (9), Wed 8 (10), Thu 9 (11), Fri 10 (12), Mon 13 (13), Tue 14 (14), Wed 15 (15),
    #   Thu 16 (16), Fri 17 (17), Mon 20 (18), Tue 21 (19), Wed 22 (20) -> end of Wed 22 April.
    assert (case["state"], case["stage"]) == ("appeal_requested", 3)
    assert deadlines(case)["appeal.meeting"] == deadline(end_of("Wed 2026-04-22"), "open")
    assert case["stages"][2]["grounds"] == ["a"]
    assert "schedule_appeal" in read(sam, case["reference"], "Mon 2026-03-23 10:01")["allowed_steps"]

    case = step(
        sam,
        case,
        "appeal/schedule",
        "Wed 2026-03-25 14:00",
        meeting_at=iso("Tue 2026-04-21 14:00"),
        location="Tom Moore House, North Walsham",
        panel=FULL_PANEL,
        agreed_with_customer=True,
        companion_name="Charles Babbage",
        companion_relationship="Neighbour",
    )
    # Meeting Tue 21 April 14:00. Decision within 5 working days: Wed 22 (1), Thu 23 (2),
    #   Fri 24 (3), Mon 27 (4), Tue 28 (5) -> end of Tue 28 April.
    assert case["state"] == "appeal_scheduled"
    hearing = case["stages"][2]
    assert instant(hearing["meeting_at"]) == on("Tue 2026-04-21 14:00")
    assert hearing["meeting_location"] == "Tom Moore House, North Walsham"
    assert hearing["panel"] == FULL_PANEL
    assert deadlines(case)["appeal.decision"] == deadline(end_of("Tue 2026-04-28"), "open")
    # The panel member may record the decision, and nothing else.
    # The panel may rearrange its meeting (schedule_appeal) as well as decide.
    assert read(penny, case["reference"], "Wed 2026-03-25 14:01")["allowed_steps"] == [
        "schedule_appeal",
        "decide_appeal",
    ]

    case = step(
        penny, case, "appeal/decision", "Thu 2026-04-23 16:00", summary="Upheld", outcomes=outcomes(case)
    )
    assert case["state"] == "appeal_decided"
    assert case["allowed_steps"] == ["record_final_response"]
    # The meeting deadline is met when the meeting was held, not when the decision was typed.
    assert deadlines(case)["appeal.meeting"] == deadline(
        end_of("Wed 2026-04-22"), "met", on("Tue 2026-04-21 14:00")
    )
    assert [o["kind"] for o in case["points"][0]["outcomes"]] == ["response", "response", "appeal_decision"]

    case = step(penny, case, "final-response", "Fri 2026-04-24 11:00", method="letter")
    assert case["state"] == "appeal_responded"
    assert case["allowed_steps"] == []
    # The appeal's outcome is the final response: Fri 24 April 11:00; eight weeks later is
    # Fri 19 June 11:00.
    assert instant(case["final_response_at"]) == on("Fri 2026-04-24 11:00")
    assert instant(case["ombudsman_direct_from"]) == on("Fri 2026-06-19 11:00")
    assert deadlines(case) == {
        "stage1.contact": deadline(on("Tue 2026-03-03 10:00"), "met", on("Tue 2026-03-03 09:30")),
        "stage1.response": deadline(end_of("Mon 2026-03-16"), "met", on("Thu 2026-03-12 15:00")),
        "stage2.contact": deadline(end_of("Fri 2026-03-20"), "met", on("Mon 2026-03-16 10:00")),
        "stage2.response": deadline(end_of("Tue 2026-04-14"), "met", on("Thu 2026-03-19 15:00")),
        "appeal.meeting": deadline(end_of("Wed 2026-04-22"), "met", on("Tue 2026-04-21 14:00")),
        "appeal.decision": deadline(end_of("Tue 2026-04-28"), "met", on("Fri 2026-04-24 11:00")),
    }
    assert kinds(case)[-6:] == [
        EventKind.CONTACT_RECORDED,
        EventKind.RESPONDED,
        EventKind.APPEAL_REQUESTED,
        EventKind.APPEAL_SCHEDULED,
        EventKind.APPEAL_DECIDED,
        EventKind.FINAL_RESPONSE,
    ]


def test_an_appeal_refused_closes_the_case_and_the_review_stays_the_final_response(api, journey, senior):
    sam = api.as_(senior)
    case = journey.until("appealed")

    case = record_learning(sam, case, "Wed 2026-03-25 09:55")
    # An appeal that meets a criterion must be heard: refused, nothing changes.
    refused = step(
        sam,
        case,
        "appeal/refuse",
        "Wed 2026-03-25 10:00",
        expect=409,
        reason="Nothing left to do",
        criteria_met=["a"],
    )
    assert (refused["step"], refused["reason"]) == (
        "refuse_appeal",
        "An appeal that meets a criterion ((a)) must be heard.",
    )
    assert read(sam, case["reference"], "Wed 2026-03-25 10:00")["version"] == case["version"]

    case = step(
        sam,
        case,
        "appeal/refuse",
        "Wed 2026-03-25 10:00",
        reason="Point 2 was answered in the review and every action is done",
    )
    assert case["state"] == "closed"
    assert instant(case["stages"][2]["refused_at"]) == on("Wed 2026-03-25 10:00")
    assert (
        case["stages"][2]["refusal_reason"] == "Point 2 was answered in the review and every action is done"
    )
    # The meeting deadline (end of Wed 22 April) no longer applies.
    assert deadlines(case)["appeal.meeting"] == deadline(end_of("Wed 2026-04-22"), "cancelled")
    # The stage 2 response (Thu 19 March 15:00) stays the final response: refusing a hearing
    # does not push back the day the customer may go to the Ombudsman, Thu 14 May 15:00.
    assert instant(case["final_response_at"]) == on("Thu 2026-03-19 15:00")
    assert instant(case["ombudsman_direct_from"]) == on("Thu 2026-05-14 15:00")
    assert case["timeline"][-1]["kind"] == EventKind.APPEAL_REFUSED
    assert "request_appeal" not in case["allowed_steps"]


# --- New matters and the time things happened ----------------------------------------------------


def test_a_new_matter_becomes_a_linked_complaint_from_the_beginning(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("accepted")
    before = Complaint.objects.count()

    case = step(
        olivia,
        case,
        "new-matters",
        "Wed 2026-03-04 10:00",
        route="new_complaint",
        description="The boiler has also failed",
    )

    assert Complaint.objects.count() == before + 1
    assert case["state"] == "stage1"  # the old case carries on
    event = case["timeline"][-1]
    assert event["kind"] == EventKind.NEW_MATTER_RAISED
    new_reference = event["data"]["new_complaint"]
    assert new_reference != case["reference"]
    assert new_reference in event["summary"]

    new = read(olivia, new_reference, "Wed 2026-03-04 10:01")
    assert (new["state"], new["stage"]) == ("received", 0)
    assert new["parent"] == case["reference"]
    assert new["customer"] == case["customer"]
    assert new["summary"] == "The boiler has also failed"
    assert instant(new["received_at"]) == on("Wed 2026-03-04 10:00")
    assert kinds(new) == [EventKind.COMPLAINT_LOGGED, EventKind.RAISED_FROM]
    assert new["timeline"][-1]["data"] == {"parent": case["reference"]}
    assert "accept" in new["allowed_steps"]


def test_a_new_matter_signposted_makes_no_new_complaint(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("accepted")
    before = Complaint.objects.count()

    case = step(
        olivia,
        case,
        "new-matters",
        "Wed 2026-03-04 10:00",
        route="signpost",
        description="A dripping tap",
        signpost_to="Repairs",
    )

    assert Complaint.objects.count() == before
    assert case["timeline"][-1]["kind"] == EventKind.NEW_MATTER_SIGNPOSTED
    assert case["timeline"][-1]["data"] == {"signposted_to": "Repairs"}


def test_a_step_dated_in_the_past_moves_the_deadlines_with_it(api, customer, frontline, officer):
    fran, olivia = api.as_(frontline), api.as_(officer)
    # A letter received on Monday at 10:00 is typed in on Monday afternoon: the clocks
    # count from 10:00.
    case = log_complaint(fran, customer, "Mon 2026-03-02 10:00", now="Mon 2026-03-02 14:00", channel="letter")
    assert instant(case["received_at"]) == on("Mon 2026-03-02 10:00")
    case = step(
        olivia,
        case,
        "accept",
        "Mon 2026-03-02 15:00",
        owner="olivia",
        reasoning="A complaint about a repair.",
    )
    assert deadlines(case)["stage1.contact"] == deadline(on("Tue 2026-03-03 10:00"), "open")

    # By Tue 3 March 15:00 no contact is on record and the 10:00 deadline has passed...
    assert deadlines(read(olivia, case["reference"], "Tue 2026-03-03 15:00"))["stage1.contact"]["status"] == (
        "missed"
    )
    # ...but the call was made at 09:00 and is typed in at 15:00: the deadline was met at 09:00.
    case = step(
        olivia,
        case,
        "contacts",
        "Tue 2026-03-03 15:00",
        method="phone",
        summary="Morning call",
        occurred_at=iso("Tue 2026-03-03 09:00"),
    )
    assert deadlines(case)["stage1.contact"] == deadline(
        on("Tue 2026-03-03 10:00"), "met", on("Tue 2026-03-03 09:00")
    )
    event = case["timeline"][-1]
    assert event["kind"] == EventKind.CONTACT_RECORDED
    assert instant(event["occurred_at"]) == on("Tue 2026-03-03 09:00")
    assert instant(event["recorded_at"]) == on("Tue 2026-03-03 15:00")

    # A time in the future is refused, naming the field.
    body = step(
        olivia,
        case,
        "contacts",
        "Tue 2026-03-03 15:00",
        expect=422,
        method="phone",
        summary="Tomorrow's call",
        occurred_at=iso("Wed 2026-03-04 09:00"),
    )
    assert [e["field"] for e in body["errors"]] == ["occurred_at"]


def test_a_refused_step_is_problem_details_and_changes_nothing(api, journey, officer):
    """The refusals above come back as problem details (checked in full in test_errors.py)."""
    olivia = api.as_(officer)
    case = journey.until("accepted")
    with at("Mon 2026-03-02 11:30"):
        reply = olivia.post(
            f"complaints/{case['reference']}/accept",
            {"version": case["version"], "owner": "olivia", "reasoning": "A complaint."},
        )
    body = is_problem(reply, 409, "step-not-allowed")
    assert body["step"] == "accept"
    assert body["reason"] == "Accept is not possible while the complaint is “Stage 1: investigating”."
    after = read(olivia, case["reference"], "Mon 2026-03-02 11:31")
    assert (after["version"], after["state"], after["timeline"]) == (
        case["version"],
        case["state"],
        case["timeline"],
    )
