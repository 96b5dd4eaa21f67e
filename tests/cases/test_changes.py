"""Changes to the case itself: withdrawal, reassignment, and new matters raised during a case."""

from __future__ import annotations

from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.models import Complaint, DeadlineStatus, EventKind
from putright.cases.services import changes, responses, triage
from tests.cases.helpers import at, due, end_of, kinds, last_event, on, refused
from tests.learning.helpers import record_learning

# --- Withdrawal ------------------------------------------------------------------------------------


def test_withdrawal_ends_the_case_and_cancels_its_open_deadlines(journey):
    complaint = journey.until("contacted")  # stage1.contact met on Tue 3 March at 09:30

    with at("Thu 2026-03-05 12:00"):
        changes.withdraw(
            complaint, reason=" The roof is fixed ", actor=None, on_behalf_of="The customer, by phone"
        )

    assert complaint.state == "withdrawn"
    assert complaint.closed_at == on("Thu 2026-03-05 12:00")
    response = complaint.deadlines.get(name="stage1.response")
    assert response.cancelled_at == on("Thu 2026-03-05 12:00")
    # Long after the old due date (Mon 16 March) it is not shown as missed: it no longer applies.
    assert response.status(on("Mon 2026-03-23 09:00")) == DeadlineStatus.CANCELLED
    contact = complaint.deadlines.get(name="stage1.contact")
    assert (contact.met_at, contact.cancelled_at) == (on("Tue 2026-03-03 09:30"), None)
    event = last_event(complaint)
    assert event.kind == EventKind.WITHDRAWN
    assert event.summary == "Withdrawn by the customer: The roof is fixed"
    assert event.actor_label == "The customer, by phone"


def test_withdrawal_during_an_appeal_cancels_the_meeting_deadline(journey):
    complaint = journey.until("appealed")

    with at("Tue 2026-03-24 09:00"):
        changes.withdraw(complaint, actor=None)

    assert complaint.deadlines.get(name="appeal.meeting").cancelled_at == on("Tue 2026-03-24 09:00")
    assert last_event(complaint).summary == "Withdrawn by the customer"


def test_a_finished_complaint_cannot_be_withdrawn(journey):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 12:00"):
        changes.withdraw(complaint, actor=None)
        with refused(
            complaint, StepNotAllowed, "Withdraw is not possible while the complaint is “Withdrawn”."
        ):
            changes.withdraw(complaint, actor=None)


# --- Reassignment ----------------------------------------------------------------------------------


def test_reassignment_gives_the_case_to_another_officer_and_says_why(
    journey, officer, second_officer, senior
):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 09:00"):
        changes.reassign(complaint, owner=second_officer, reason=" Olivia is on leave ", actor=senior)

    assert complaint.owner == second_officer
    assert complaint.team == second_officer.team
    assert complaint.state == "stage1"
    # The clocks do not restart for a new owner.
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-16")
    event = last_event(complaint)
    assert event.kind == EventKind.REASSIGNED
    assert event.summary == "Reassigned from Olivia Staff to Oscar Staff: Olivia is on leave"
    assert event.data == {"old": officer.pk, "new": second_officer.pk}
    assert event.actor == senior


def test_a_complaint_awaiting_triage_can_be_given_its_first_owner(journey, officer, senior):
    complaint = journey.until("received")

    with at("Mon 2026-03-02 10:30"):
        changes.reassign(complaint, owner=officer, actor=senior)

    assert complaint.owner == officer
    assert complaint.state == "received"
    assert last_event(complaint).summary == "Reassigned from nobody to Olivia Staff"


def test_reassigning_to_the_same_owner_or_a_closed_case_is_refused(journey, officer, senior):
    complaint = journey.until("responded")

    with at("Fri 2026-03-13 09:00"):
        with refused(complaint, InvalidInput, "owner: the case is already with Olivia Staff"):
            changes.reassign(complaint, owner=officer, actor=senior)
        record_learning(complaint, officer)
        responses.close(complaint, actor=officer)
        with refused(complaint, StepNotAllowed, "Reassign is not possible while the complaint is “Closed”."):
            changes.reassign(complaint, owner=senior, actor=senior)


# --- New matters -----------------------------------------------------------------------------------


def test_a_new_matter_becomes_a_linked_new_complaint_that_starts_from_the_beginning(journey, officer):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 14:00"):
        new = changes.raise_new_matter(
            complaint,
            route="new_complaint",
            description="  The surveyor who visited was rude to my daughter ",
            category="staff_conduct",
            actor=officer,
        )

    assert new.parent == complaint
    assert list(complaint.new_matters.all()) == [new]
    assert new.state == "received"
    assert new.stage == 0
    assert (new.customer, new.organisation, new.category) == (
        complaint.customer,
        complaint.organisation,
        "staff_conduct",
    )
    assert new.received_at == on("Wed 2026-03-04 14:00")
    assert new.summary == "The surveyor who visited was rude to my daughter"
    assert not new.deadlines.exists()
    assert kinds(new) == [EventKind.COMPLAINT_LOGGED, EventKind.RAISED_FROM]
    raised_from = last_event(new)
    assert raised_from.summary == f"Raised during complaint {complaint.reference}"
    assert raised_from.data == {"parent": complaint.reference}

    # The first complaint carries on where it was, with the new one on its timeline.
    assert complaint.state == "stage1"
    event = last_event(complaint)
    assert event.kind == EventKind.NEW_MATTER_RAISED
    assert event.summary == (
        f"New matter raised as complaint {new.reference}: The surveyor who visited was rude to my daughter"
    )
    assert event.data == {"new_complaint": new.reference}

    # The new complaint is triaged like any other, its clocks from when it was raised:
    # Wed 4 March 14:00 + 24 working hours -> Thu 5 March 14:00; 10 working days from
    # Wed 4: Thu 5 (1) .. Fri 6 (2), Mon 9 .. Fri 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 (10).
    with at("Thu 2026-03-05 09:00"):
        triage.accept(new, owner=officer, actor=officer, reasoning="Meets the definition.")
    assert due(new, "stage1.contact") == on("Thu 2026-03-05 14:00")
    assert due(new, "stage1.response") == end_of("Wed 2026-03-18")


def test_a_new_matter_outside_the_complaints_procedure_is_signposted(journey, officer):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 14:00"):
        result = changes.raise_new_matter(
            complaint,
            route="signpost",
            description="Noise from the flat upstairs",
            signpost_to=" Anti-social behaviour team ",
            actor=officer,
        )

    assert result is None
    assert Complaint.objects.count() == 1
    assert complaint.state == "stage1"
    event = last_event(complaint)
    assert event.kind == EventKind.NEW_MATTER_SIGNPOSTED
    assert (
        event.summary == "New matter signposted to Anti-social behaviour team: Noise from the flat upstairs"
    )
    assert event.data == {"signposted_to": "Anti-social behaviour team"}


def test_a_new_matter_needs_a_description_a_route_and_for_a_signpost_a_team(journey, officer):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 14:00"):
        with refused(complaint, StepNotAllowed, "Name the team the customer is signposted to."):
            changes.raise_new_matter(complaint, route="signpost", description="Noise", actor=officer)
        with refused(complaint, InvalidInput, "description: say what the new matter is"):
            changes.raise_new_matter(complaint, route="new_complaint", description=" ", actor=officer)
        with refused(complaint, InvalidInput) as info:
            changes.raise_new_matter(complaint, route="ignore", description="Noise", actor=officer)
        assert info.value.field == "route"


def test_a_new_matter_is_raised_only_during_a_live_case(journey, officer):
    complaint = journey.until("received")

    with (
        at("Mon 2026-03-02 10:30"),
        refused(
            complaint,
            StepNotAllowed,
            "Raise new matter is not possible while the complaint is “Received, awaiting triage”.",
        ),
    ):
        changes.raise_new_matter(
            complaint, route="new_complaint", description="Also the boiler", actor=officer
        )
