"""Investigating: contact with the customer, evidence, and extensions of the response date.

The standard complaint (tests/cases/conftest.py) was received Mon 2 March 2026 at
10:00 and accepted at stage 1 at 11:00, so (see test_triage.py):
  stage1.contact  due Tue 3 March 10:00 (24 working hours)
  stage1.response due end of Mon 16 March (10 working days)
The flagship policy allows one extension of at most 10 working days more without
a recorded good reason: from Mon 16 March, Tue 17 (1), Wed 18 (2), Thu 19 (3),
Fri 20 (4), Mon 23 (5), Tue 24 (6), Wed 25 (7), Thu 26 (8), Fri 27 (9), Mon 30 (10)
-> the limit is the end of Mon 30 March 2026.
"""

from __future__ import annotations

from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.models import DeadlineStatus, EventKind
from putright.cases.services import investigation, triage
from tests.cases.helpers import at, day, due, end_of, kinds, last_event, on, refused

# --- Contact ---------------------------------------------------------------------------------------


def test_our_first_call_meets_the_contact_deadline(journey, officer):
    complaint = journey.until("accepted")

    with at("Tue 2026-03-03 09:30"):
        contact = investigation.record_contact(
            complaint, method="phone", summary="  Agreed to visit on Friday ", actor=officer
        )

    assert (contact.stage_number, contact.direction, contact.summary) == (
        1,
        "outbound",
        "Agreed to visit on Friday",
    )
    deadline = complaint.deadlines.get(name="stage1.contact")
    assert deadline.met_at == on("Tue 2026-03-03 09:30")
    assert deadline.status(on("Wed 2026-03-04 09:00")) == DeadlineStatus.MET
    # The response clock does not move: the flagship policy counts it from receipt.
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-16")
    event = last_event(complaint)
    assert event.kind == EventKind.CONTACT_RECORDED
    assert event.summary == "Contact by phone: Agreed to visit on Friday"
    assert event.data == {"method": "phone", "direction": "outbound", "met": "stage1.contact"}
    assert complaint.version == 3


def test_a_call_typed_in_the_next_day_counts_when_it_was_made(journey, officer):
    complaint = journey.until("accepted")

    # Typed on Wednesday, the call was made on Tuesday at 09:30, before the 10:00 deadline.
    with at("Wed 2026-03-04 09:00"):
        investigation.record_contact(
            complaint,
            method="phone",
            summary="Called yesterday",
            actor=officer,
            occurred_at=on("Tue 2026-03-03 09:30"),
        )

    deadline = complaint.deadlines.get(name="stage1.contact")
    assert deadline.met_at == on("Tue 2026-03-03 09:30")
    assert deadline.status(on("Wed 2026-03-04 09:00")) == DeadlineStatus.MET
    event = last_event(complaint)
    assert (event.occurred_at, event.recorded_at) == (on("Tue 2026-03-03 09:30"), on("Wed 2026-03-04 09:00"))


def test_a_call_after_the_contact_deadline_is_recorded_as_missed(journey, officer):
    complaint = journey.until("accepted")

    with at("Tue 2026-03-03 11:00"):
        investigation.record_contact(complaint, method="phone", summary="Sorry for the delay", actor=officer)

    deadline = complaint.deadlines.get(name="stage1.contact")
    assert deadline.met_at == on("Tue 2026-03-03 11:00")
    assert deadline.status(on("Tue 2026-03-03 11:00")) == DeadlineStatus.MISSED


def test_the_customer_calling_us_does_not_meet_our_contact_deadline(journey, officer):
    complaint = journey.until("accepted")

    with at("Mon 2026-03-02 15:00"):
        investigation.record_contact(
            complaint, method="phone", direction="inbound", summary="Customer chasing", actor=officer
        )

    deadline = complaint.deadlines.get(name="stage1.contact")
    assert deadline.met_at is None
    assert deadline.status(on("Tue 2026-03-03 10:01")) == DeadlineStatus.MISSED
    assert "met" not in last_event(complaint).data


def test_only_the_first_of_our_contacts_meets_the_deadline(journey, officer):
    complaint = journey.until("contacted")  # Tue 3 March 09:30

    with at("Thu 2026-03-05 10:00"):
        investigation.record_contact(complaint, method="email", summary="Sent photos", actor=officer)

    assert complaint.deadlines.get(name="stage1.contact").met_at == on("Tue 2026-03-03 09:30")
    assert last_event(complaint).data == {"method": "email", "direction": "outbound"}
    assert complaint.contacts.count() == 2


def test_contact_is_refused_with_a_bad_method_or_no_summary(journey, officer):
    complaint = journey.until("accepted")

    with at("Tue 2026-03-03 09:30"):
        with refused(complaint, InvalidInput) as info:
            investigation.record_contact(complaint, method="pigeon", summary="Coo", actor=officer)
        assert info.value.field == "method"
        with refused(complaint, InvalidInput, "summary: say what was discussed"):
            investigation.record_contact(complaint, method="phone", summary="  ", actor=officer)
        with refused(complaint, InvalidInput) as info:
            investigation.record_contact(
                complaint, method="phone", direction="sideways", summary="Hello", actor=officer
            )
        assert info.value.field == "direction"


def test_contact_after_an_informal_resolution_is_refused(log, frontline):
    with at("Mon 2026-03-02 10:30"):
        complaint = log("2026-03-02 10:00")
        triage.resolve_informally(complaint, resolution="Sorted", actor=frontline)
        with refused(
            complaint,
            StepNotAllowed,
            "Record contact is not possible while the complaint is “Resolved informally”.",
        ):
            investigation.record_contact(complaint, method="phone", summary="Follow-up", actor=frontline)


# --- Evidence --------------------------------------------------------------------------------------


def test_evidence_is_requested_with_a_date_to_reply_by(journey, officer):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 10:00"):
        evidence = investigation.request_evidence(
            complaint, description="Photos of the ceiling", respond_by=day("Wed 2026-03-11"), actor=officer
        )

    assert (evidence.stage_number, evidence.respond_by) == (1, day("Wed 2026-03-11"))
    assert last_event(complaint).summary == "Evidence requested: Photos of the ceiling"
    assert complaint.state == "stage1"


def test_evidence_cannot_be_due_before_it_was_asked_for(journey, officer):
    complaint = journey.until("contacted")

    with (
        at("Wed 2026-03-04 10:00"),
        refused(complaint, InvalidInput, "respond_by: cannot be before the request"),
    ):
        investigation.request_evidence(
            complaint, description="Photos", respond_by=day("Tue 2026-03-03"), actor=officer
        )


def test_evidence_is_not_asked_for_once_the_stage_has_responded(journey, officer):
    complaint = journey.until("responded")

    with (
        at("Fri 2026-03-13 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Request evidence is not possible while the complaint is “Stage 1: responded”.",
        ),
    ):
        investigation.request_evidence(complaint, description="Photos", actor=officer)


# --- Extensions ------------------------------------------------------------------------------------


def test_a_first_extension_within_ten_working_days_needs_no_good_reason(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        extension = investigation.extend(
            complaint,
            new_due_on=day("Fri 2026-03-27"),
            reason="  Waiting for the roofer's report ",
            actor=officer,
        )

    deadline = complaint.deadlines.get(name="stage1.response")
    assert deadline.due_at == end_of("Fri 2026-03-27")
    assert deadline.original_due_at == end_of("Mon 2026-03-16")
    assert (extension.number, extension.previous_due_at, extension.new_due_at) == (
        1,
        end_of("Mon 2026-03-16"),
        end_of("Fri 2026-03-27"),
    )
    assert extension.good_reason == ""
    event = last_event(complaint)
    assert event.kind == EventKind.EXTENDED
    assert event.summary == "Response date moved to Friday 27 March 2026: Waiting for the roofer's report"
    assert complaint.state == "stage1"


def test_a_first_extension_to_the_last_day_of_the_limit_needs_no_good_reason(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        investigation.extend(complaint, new_due_on=day("Mon 2026-03-30"), reason="Roofer", actor=officer)

    # Mon 30 March is after the clocks went forward: the end of the day in BST.
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-30")


def test_an_extension_beyond_ten_working_days_needs_a_good_reason(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        with refused(
            complaint,
            StepNotAllowed,
            "An extension beyond Monday 30 March 2026 (10 working days) needs a recorded good reason.",
        ):
            investigation.extend(complaint, new_due_on=day("Tue 2026-03-31"), reason="Roofer", actor=officer)

        extension = investigation.extend(
            complaint,
            new_due_on=day("Tue 2026-03-31"),
            reason="Roofer",
            good_reason="The customer is in hospital until 27 March",
            actor=officer,
        )

    assert extension.good_reason == "The customer is in hospital until 27 March"
    assert due(complaint, "stage1.response") == end_of("Tue 2026-03-31")


def test_a_second_extension_needs_a_good_reason_even_within_the_limit(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-20"), reason="Roofer", actor=officer)
    with at("Thu 2026-03-19 16:00"):
        with refused(complaint, StepNotAllowed, "A further extension needs a recorded good reason."):
            investigation.extend(
                complaint, new_due_on=day("Mon 2026-03-23"), reason="Still waiting", actor=officer
            )
        second = investigation.extend(
            complaint,
            new_due_on=day("Mon 2026-03-23"),
            reason="Still waiting",
            good_reason="The surveyor fell ill",
            actor=officer,
        )

    assert (second.number, second.previous_due_at) == (2, end_of("Fri 2026-03-20"))
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-23")
    assert kinds(complaint).count(EventKind.EXTENDED) == 2


def test_an_extension_to_a_bank_holiday_is_refused_with_the_holidays_name(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        with refused(
            complaint, InvalidInput, "new_due_on: Friday 3 April 2026 is not a working day (Good Friday)"
        ):
            investigation.extend(
                complaint, new_due_on=day("Fri 2026-04-03"), reason="Roofer", good_reason="Ill", actor=officer
            )
        with refused(complaint, InvalidInput, "new_due_on: Saturday 21 March 2026 is not a working day"):
            investigation.extend(complaint, new_due_on=day("Sat 2026-03-21"), reason="Roofer", actor=officer)


def test_an_extension_over_christmas_and_new_year(log, officer):
    # Received Mon 14 December 2026 at 10:00. Response, 10 working days: day 0 Mon 14;
    #   Tue 15 (1), Wed 16 (2), Thu 17 (3), Fri 18 (4), Mon 21 (5), Tue 22 (6), Wed 23 (7),
    #   Thu 24 (8), [Fri 25 Christmas Day, Mon 28 Boxing Day substitute], Tue 29 (9),
    #   Wed 30 (10) -> end of Wed 30 December 2026.
    # Extension limit, 10 working days on: Thu 31 (1), [Fri 1 Jan New Year's Day],
    #   Mon 4 (2), Tue 5 (3), Wed 6 (4), Thu 7 (5), Fri 8 (6), Mon 11 (7), Tue 12 (8),
    #   Wed 13 (9), Thu 14 (10) -> Thu 14 January 2027.
    with at("Mon 2026-12-14 11:00"):
        complaint = log("2026-12-14 10:00")
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    assert due(complaint, "stage1.response") == end_of("Wed 2026-12-30")

    with at("Wed 2026-12-23 15:00"):
        with refused(
            complaint,
            InvalidInput,
            "new_due_on: Monday 28 December 2026 is not a working day (Boxing Day (observed))",
        ):
            investigation.extend(complaint, new_due_on=day("Mon 2026-12-28"), reason="Leave", actor=officer)
        with refused(
            complaint,
            InvalidInput,
            "new_due_on: Friday 1 January 2027 is not a working day (New Year's Day)",
        ):
            investigation.extend(complaint, new_due_on=day("Fri 2027-01-01"), reason="Leave", actor=officer)
        with refused(
            complaint,
            StepNotAllowed,
            "An extension beyond Thursday 14 January 2027 (10 working days) needs a recorded good reason.",
        ):
            investigation.extend(complaint, new_due_on=day("Fri 2027-01-15"), reason="Leave", actor=officer)
        investigation.extend(complaint, new_due_on=day("Thu 2027-01-14"), reason="Leave", actor=officer)

    assert due(complaint, "stage1.response") == end_of("Thu 2027-01-14")


def test_an_extension_must_give_a_reason_and_a_later_date(journey, officer):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-13 16:00"):
        with refused(
            complaint,
            StepNotAllowed,
            "Give the reason for the delay: the customer is told it with the new date.",
        ):
            investigation.extend(complaint, new_due_on=day("Fri 2026-03-20"), reason=" ", actor=officer)
        with refused(complaint, StepNotAllowed, "The new date must be later than the current response date."):
            investigation.extend(complaint, new_due_on=day("Mon 2026-03-16"), reason="Roofer", actor=officer)


def test_the_stage_2_extension_limit_counts_from_the_stage_2_response_date(journey, senior):
    # Stage 2 response due Tue 14 April 2026 (see test_escalation.py). Ten working
    # days on: Wed 15 (1), Thu 16 (2), Fri 17 (3), Mon 20 (4), Tue 21 (5), Wed 22 (6),
    # Thu 23 (7), Fri 24 (8), Mon 27 (9), Tue 28 (10) -> Tue 28 April 2026.
    complaint = journey.until("contacted2")

    with at("Thu 2026-04-09 12:00"):
        with refused(
            complaint,
            StepNotAllowed,
            "An extension beyond Tuesday 28 April 2026 (10 working days) needs a recorded good reason.",
        ):
            investigation.extend(complaint, new_due_on=day("Wed 2026-04-29"), reason="Audit", actor=senior)
        investigation.extend(complaint, new_due_on=day("Tue 2026-04-28"), reason="Audit", actor=senior)

    assert due(complaint, "stage2.response") == end_of("Tue 2026-04-28")
    assert complaint.stages.get(number=2).extensions.count() == 1


def test_a_response_already_given_cannot_be_extended(journey, officer):
    complaint = journey.until("responded")

    with (
        at("Fri 2026-03-13 09:00"),
        refused(
            complaint, StepNotAllowed, "Extend is not possible while the complaint is “Stage 1: responded”."
        ),
    ):
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-20"), reason="Late", actor=officer)


def test_a_visit_reads_as_in_person_on_the_timeline(journey, officer):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 11:00"):
        investigation.record_contact(complaint, method="in_person", summary="Visited the flat", actor=officer)
    assert last_event(complaint).summary == "Contact in person: Visited the flat"
