"""Responding: an outcome for every point, the actions agreed, and closure only when they are done.

The standard complaint was received Mon 2 March 2026 at 10:00: its stage 1
response is due by the end of Mon 16 March (see test_triage.py).
"""

from __future__ import annotations

from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.models import DeadlineStatus, EventKind, ResponseKind
from putright.cases.services import responses
from tests.cases.conftest import all_points
from tests.cases.helpers import at, day, kinds, last_event, on, refused
from tests.learning.helpers import record_learning

THREE_POINTS = ["The roof repair was cancelled twice", "Nobody called back", "The roofer was rude"]


def mixed(complaint) -> dict[int, tuple[str, str]]:
    one, two, three = complaint.points.order_by("number")
    return {
        one.pk: ("upheld", "The visits were cancelled without telling you"),
        two.pk: ("partially_upheld", "We called once, but late"),
        three.pk: ("not_upheld", "  The roofer's account and the photos do not support this "),
    }


def test_a_response_gives_each_point_its_own_outcome(journey, officer):
    complaint = journey.until("accepted", points=THREE_POINTS)

    with at("Thu 2026-03-12 15:00"):
        response = responses.respond(
            complaint, outcomes=mixed(complaint), method="letter", summary=" Partly upheld ", actor=officer
        )

    assert complaint.state == "stage1_responded"
    assert (response.kind, response.method, response.summary) == (
        ResponseKind.RESPONSE,
        "letter",
        "Partly upheld",
    )
    assert list(response.outcomes.values_list("point__number", "outcome", "reasons")) == [
        (1, "upheld", "The visits were cancelled without telling you"),
        (2, "partially_upheld", "We called once, but late"),
        (3, "not_upheld", "The roofer's account and the photos do not support this"),
    ]
    assert complaint.stages.get(number=1).responded_at == on("Thu 2026-03-12 15:00")
    # Answered before the end of Mon 16 March: met. No call was logged, so the
    # response itself is the first contact.
    for name in ("stage1.contact", "stage1.response"):
        deadline = complaint.deadlines.get(name=name)
        assert deadline.met_at == on("Thu 2026-03-12 15:00")
    assert complaint.deadlines.get(name="stage1.response").status(on("Tue 2026-03-17 09:00")) == (
        DeadlineStatus.MET
    )
    event = last_event(complaint)
    assert event.kind == EventKind.RESPONDED
    assert event.summary == "Stage 1 response given: Partly upheld"
    assert event.data["outcomes"] == {"upheld": 1, "partially_upheld": 1, "not_upheld": 1}
    # A stage 1 response is not the final response: no clock to the Ombudsman yet.
    assert (complaint.final_response_at, complaint.ombudsman_direct_from) == (None, None)


def test_a_response_after_the_deadline_is_recorded_as_late(journey, officer):
    complaint = journey.until("contacted")

    with at("Tue 2026-03-17 10:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="phone", summary="Late", actor=officer
        )

    deadline = complaint.deadlines.get(name="stage1.response")
    assert deadline.met_at == on("Tue 2026-03-17 10:00")
    assert deadline.status(on("Tue 2026-03-17 10:00")) == DeadlineStatus.MISSED


def test_a_response_must_answer_every_point_and_only_this_complaints_points(journey, officer, log):
    complaint = journey.until("contacted", points=THREE_POINTS)
    with at("Tue 2026-03-03 10:00"):
        other = log("2026-03-03 09:50")

    outcomes = mixed(complaint)
    missing_one = dict(list(outcomes.items())[:2])
    foreign = {**outcomes, other.points.first().pk: ("upheld", "")}
    with at("Thu 2026-03-12 15:00"):
        with refused(
            complaint, StepNotAllowed, "Give an outcome for every point of complaint: 1 without one."
        ):
            responses.respond(
                complaint, outcomes=missing_one, method="letter", summary="Reply", actor=officer
            )
        with refused(
            complaint, StepNotAllowed, "An outcome was given for a point that is not part of this complaint."
        ):
            responses.respond(complaint, outcomes=foreign, method="letter", summary="Reply", actor=officer)
        with refused(
            complaint, InvalidInput, "outcomes: 'sort_of' is not upheld, partially_upheld or not_upheld"
        ):
            bad = {**outcomes, next(iter(outcomes)): ("sort_of", "")}
            responses.respond(complaint, outcomes=bad, method="letter", summary="Reply", actor=officer)
        with refused(complaint, InvalidInput, "method: must be phone, in_person, letter or email"):
            responses.respond(complaint, outcomes=outcomes, method="fax", summary="Reply", actor=officer)
        with refused(complaint, InvalidInput, "summary: summarise the response given to the customer"):
            responses.respond(complaint, outcomes=outcomes, method="letter", summary=" ", actor=officer)


def test_a_complaint_awaiting_triage_cannot_be_responded_to(journey, officer):
    complaint = journey.until("received")

    with (
        at("Mon 2026-03-02 12:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Respond is not possible while the complaint is “Received, awaiting triage”.",
        ),
    ):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Hi", actor=officer
        )


# --- Actions and closure ---------------------------------------------------------------------------


def test_a_complaint_closes_only_when_every_agreed_action_is_done(journey, officer, second_officer):
    complaint = journey.until("responded")
    with at("Thu 2026-03-12 15:00"):
        record_learning(complaint, officer)

    with at("Thu 2026-03-12 15:30"):
        roof = responses.add_action(
            complaint,
            description=" Repair the roof ",
            due_on=day("Fri 2026-03-20"),
            owner=second_officer,
            actor=officer,
        )
        payment = responses.add_action(
            complaint,
            description="Pay £150 for the damaged carpet",
            due_on=day("Thu 2026-03-26"),
            actor=officer,
        )
    assert (roof.description, roof.stage_number, roof.owner, roof.agreed_at) == (
        "Repair the roof",
        1,
        second_officer,
        on("Thu 2026-03-12 15:30"),
    )
    assert (
        last_event(complaint).summary == "Action agreed, due 26 March 2026: Pay £150 for the damaged carpet"
    )

    with (
        at("Fri 2026-03-13 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "The complaint can only be closed when every agreed action is done: 2 actions are still open.",
        ),
    ):
        responses.close(complaint, actor=officer)

    with at("Thu 2026-03-19 16:00"):
        responses.complete_action(complaint, action_id=roof.pk, note=" Roof retiled ", actor=second_officer)
        with refused(
            complaint,
            StepNotAllowed,
            "The complaint can only be closed when every agreed action is done: 1 action is still open.",
        ):
            responses.close(complaint, actor=officer)

    with at("Wed 2026-03-25 11:00"):
        responses.complete_action(complaint, action_id=payment.pk, note="Done.", actor=officer)
        responses.close(complaint, actor=officer)

    roof.refresh_from_db()
    assert (roof.completed_at, roof.completed_by, roof.completion_note) == (
        on("Thu 2026-03-19 16:00"),
        second_officer,
        "Roof retiled",
    )
    assert complaint.state == "closed"
    assert complaint.closed_at == on("Wed 2026-03-25 11:00")
    assert last_event(complaint).summary == "Closed at stage 1"
    assert kinds(complaint)[-5:] == [
        EventKind.ACTION_ADDED,
        EventKind.ACTION_ADDED,
        EventKind.ACTION_COMPLETED,
        EventKind.ACTION_COMPLETED,
        EventKind.CLOSED,
    ]


def test_an_action_is_completed_once_and_only_on_its_own_complaint(journey, officer):
    complaint = journey.until("responded")
    other = journey.until("responded")
    with at("Thu 2026-03-12 15:30"):
        action = responses.add_action(
            complaint, description="Repair", due_on=day("Fri 2026-03-20"), actor=officer
        )
        elsewhere = responses.add_action(
            other, description="Repair", due_on=day("Fri 2026-03-20"), actor=officer
        )

    with at("Fri 2026-03-13 09:00"):
        responses.complete_action(complaint, action_id=action.pk, note="Done.", actor=officer)
        with refused(complaint, InvalidInput, "action_id: this action is already complete"):
            responses.complete_action(complaint, action_id=action.pk, note="Done.", actor=officer)
        with refused(complaint, StepNotAllowed, "That action is not part of this complaint."):
            responses.complete_action(complaint, action_id=elsewhere.pk, note="Done.", actor=officer)

    action.refresh_from_db()
    assert action.completed_at == on("Fri 2026-03-13 09:00")


def test_an_action_is_marked_done_only_with_what_was_done(journey, officer):
    complaint = journey.until("responded")
    with at("Thu 2026-03-12 15:30"):
        action = responses.add_action(
            complaint, description="Repair the gutter", due_on=day("Fri 2026-03-20"), actor=officer
        )
    with (
        at("Fri 2026-03-13 09:00"),
        refused(
            complaint, StepNotAllowed, "Say what was done: the record shows how the action was carried out."
        ),
    ):
        responses.complete_action(complaint, action_id=action.pk, note="  ", actor=officer)
    action.refresh_from_db()
    assert action.completed_at is None

    with at("Fri 2026-03-13 09:00"):
        responses.complete_action(
            complaint, action_id=action.pk, note="Gutter refixed by Gasway.", actor=officer
        )
    assert last_event(complaint).summary == (
        "Action completed: Repair the gutter (done: Gutter refixed by Gasway.)"
    )


def test_an_action_needs_a_description_and_a_live_complaint(journey, officer):
    complaint = journey.until("responded")

    with at("Fri 2026-03-13 09:00"):
        with refused(complaint, InvalidInput, "description: say what will be done"):
            responses.add_action(complaint, description=" ", due_on=day("Fri 2026-03-20"), actor=officer)
        record_learning(complaint, officer)
        responses.close(complaint, actor=officer)
        with refused(
            complaint, StepNotAllowed, "Add action is not possible while the complaint is “Closed”."
        ):
            responses.add_action(complaint, description="Repair", due_on=day("Fri 2026-03-20"), actor=officer)


def test_a_complaint_still_under_investigation_cannot_be_closed(journey, officer):
    complaint = journey.until("contacted")

    with (
        at("Wed 2026-03-04 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Close is not possible while the complaint is “Stage 1: investigating”.",
        ),
    ):
        responses.close(complaint, actor=officer)
