"""The stage 2 review, the final response, and the appeal to the Tenants Experience Group panel.

Flagship policy: stage 2 contact within 5 working days of the request and a
response within 20 working days of it; an appeal meeting within 20 working days
of the appeal request and a decision within 5 working days of the meeting; the
customer may go to the Ombudsman directly 8 weeks after the final response.
Bank holidays in spring 2026: Good Friday 3 April, Easter Monday 6 April, Early
May bank holiday Mon 4 May. The clocks go forward on Sun 29 March 2026.
"""

from __future__ import annotations

import datetime as dt

from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.models import DeadlineStatus, EventKind, ResponseKind
from putright.cases.services import escalation, responses
from tests.cases.conftest import FULL_PANEL, MEETING, all_points
from tests.cases.helpers import at, day, due, end_of, kinds, last_event, on, refused
from tests.learning.helpers import record_learning

# --- Stage 2 ---------------------------------------------------------------------------------------


def test_escalation_opens_the_review_with_its_grounds_and_clocks_from_the_request(journey, senior, team):
    complaint = journey.until("responded")

    # Requested Fri 13 March 2026 at 10:00: day 0 is Fri 13.
    # Contact, 5 working days: Mon 16 (1), Tue 17 (2), Wed 18 (3), Thu 19 (4), Fri 20 (5)
    #   -> end of Fri 20 March.
    # Response, 20 working days: Mon 16 .. Fri 20 (5), Mon 23 .. Fri 27 (10), Mon 30 (11),
    #   Tue 31 (12), Wed 1 April (13), Thu 2 (14), [Good Friday, Easter Monday], Tue 7 (15),
    #   Wed 8 (16), Thu 9 (17), Fri 10 (18), Mon 13 (19), Tue 14 (20) -> end of Tue 14 April (BST).
    with at("Fri 2026-03-13 10:00"):
        stage = escalation.escalate(
            complaint,
            grounds=["d", "a"],
            explanation="  Nobody explained the delay ",
            owner=senior,
            actor=None,
            on_behalf_of="Jane Smith MP (designated person)",
        )

    assert complaint.state == "stage2"
    assert complaint.stage == 2
    assert (complaint.owner, complaint.team) == (senior, team)
    assert (stage.number, stage.grounds, stage.request_text, stage.handler) == (
        2,
        ["a", "d"],
        "Nobody explained the delay",
        senior,
    )
    assert stage.opened_at == on("Fri 2026-03-13 10:00")
    assert due(complaint, "stage2.contact") == end_of("Fri 2026-03-20")
    assert due(complaint, "stage2.response") == end_of("Tue 2026-04-14")
    event = last_event(complaint)
    assert event.kind == EventKind.ESCALATED
    assert event.summary == "Escalated to stage 2 on grounds (a), (d); review by Sam Staff"
    assert (event.actor, event.actor_label, event.stage_number) == (
        None,
        "Jane Smith MP (designated person)",
        2,
    )


def test_a_complaint_closed_at_stage_1_can_be_escalated_and_reopens(journey, senior, officer):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        record_learning(complaint, officer)
        responses.close(complaint, actor=officer)

    # Requested Thu 2 April 2026 at 11:00, the day before Good Friday.
    # Contact: day 0 Thu 2; [Fri 3, Mon 6], Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4),
    #   Mon 13 (5) -> end of Mon 13 April.
    # Response: ... Mon 13 (5), Tue 14 (6) .. Fri 17 (9), Mon 20 (10) .. Fri 24 (14),
    #   Mon 27 (15) .. Thu 30 (18), Fri 1 May (19), [Mon 4 May], Tue 5 May (20) -> end of Tue 5 May.
    with at("Thu 2026-04-02 11:00"):
        escalation.escalate(complaint, grounds=["b"], owner=senior, actor=senior)

    assert complaint.state == "stage2"
    assert complaint.closed_at is None
    assert due(complaint, "stage2.contact") == end_of("Mon 2026-04-13")
    assert due(complaint, "stage2.response") == end_of("Tue 2026-05-05")


def test_the_flagship_review_needs_at_least_one_known_ground(journey, senior):
    complaint = journey.until("responded")

    with at("Fri 2026-03-13 10:00"):
        with refused(complaint, StepNotAllowed, "Choose at least one ground for the review."):
            escalation.escalate(complaint, grounds=[], owner=senior, actor=senior)
        with refused(complaint, StepNotAllowed, "Unknown ground: choose from (a), (b), (c), (d)."):
            escalation.escalate(complaint, grounds=["b", "e"], owner=senior, actor=senior)


def test_only_a_stage_1_response_can_be_escalated(journey, senior):
    complaint = journey.until("contacted")

    with (
        at("Wed 2026-03-04 10:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Escalate is not possible while the complaint is “Stage 1: investigating”.",
        ),
    ):
        escalation.escalate(complaint, grounds=["b"], owner=senior, actor=senior)


def test_a_complaint_closed_after_its_review_cannot_be_reviewed_again(journey, senior):
    complaint = journey.until("responded2")
    with at("Fri 2026-03-20 09:00"):
        record_learning(complaint, senior)
        responses.close(complaint, actor=senior)
        with refused(
            complaint,
            StepNotAllowed,
            "Only a complaint closed at stage 1 can be escalated to a stage 2 review.",
        ):
            escalation.escalate(complaint, grounds=["b"], owner=senior, actor=senior)


def test_the_stage_2_response_is_the_final_response_and_starts_the_ombudsman_wait(journey, senior):
    complaint = journey.until("contacted2")

    # Responded Thu 19 March 2026 at 15:00 GMT. Eight weeks later, the same
    # wall-clock time: Thu 14 May 2026 at 15:00, now BST, i.e. 14:00 UTC.
    with at("Thu 2026-03-19 15:00"):
        responses.respond(
            complaint,
            outcomes=all_points(complaint, "not_upheld"),
            method="email",
            summary="No change",
            actor=senior,
        )

    assert complaint.state == "stage2_responded"
    assert complaint.final_response_at == on("Thu 2026-03-19 15:00")
    assert complaint.ombudsman_direct_from == on("Thu 2026-05-14 15:00")
    assert complaint.final_response_at.astimezone(dt.UTC).hour == 15
    assert complaint.ombudsman_direct_from.astimezone(dt.UTC).hour == 14
    assert complaint.deadlines.get(name="stage2.response").status(on("Thu 2026-03-19 15:00")) == (
        DeadlineStatus.MET
    )
    event = last_event(complaint)
    assert event.summary == "Stage 2 response given: No change"
    assert event.data["ombudsman_direct_from"] == on("Thu 2026-05-14 15:00").isoformat()


# --- The appeal, heard -----------------------------------------------------------------------------


def test_an_appeal_is_requested_heard_decided_and_answered_with_the_final_response(journey, senior):
    complaint = journey.until("responded2")

    # Requested Mon 23 March 2026 at 10:00. Meeting within 20 working days: day 0 Mon 23;
    #   Tue 24 (1) .. Fri 27 (4), Mon 30 (5), Tue 31 (6), Wed 1 April (7), Thu 2 (8),
    #   [Good Friday, Easter Monday], Tue 7 (9) .. Fri 10 (12), Mon 13 (13) .. Fri 17 (17),
    #   Mon 20 (18), Tue 21 (19), Wed 22 (20) -> end of Wed 22 April.
    with at("Mon 2026-03-23 10:00"):
        stage = escalation.request_appeal(
            complaint,
            criteria=["c", "a"],
            explanation="Point 2 was never looked at, and the review was late",
            actor=None,
            on_behalf_of="The customer",
        )
    assert complaint.state == "appeal_requested"
    assert complaint.stage == 3
    assert (stage.number, stage.grounds) == (3, ["a", "c"])
    assert due(complaint, "appeal.meeting") == end_of("Wed 2026-04-22")
    assert last_event(complaint).summary == "Appeal requested on criteria (a), (c)"

    # Agreed on Wed 25 March for Tue 21 April at 14:00. Decision within 5 working days
    # of the meeting: day 0 Tue 21; Wed 22 (1), Thu 23 (2), Fri 24 (3), Mon 27 (4),
    # Tue 28 (5) -> end of Tue 28 April.
    with at("Wed 2026-03-25 14:00"):
        hearing = escalation.schedule_appeal(
            complaint,
            meeting_at=on(MEETING),
            location="Tom Moore House, North Walsham",
            panel=FULL_PANEL,
            agreed_with_customer=True,
            companion_name="Tom Friend",
            companion_relationship="Neighbour",
            actor=senior,
        )
    assert complaint.state == "appeal_scheduled"
    assert hearing.meeting_at == on("Tue 2026-04-21 14:00")
    assert hearing.agreed_with_customer_at == on("Wed 2026-03-25 14:00")
    assert hearing.panel == FULL_PANEL
    assert (hearing.companion_name, hearing.companion_relationship) == ("Tom Friend", "Neighbour")
    assert due(complaint, "appeal.decision") == end_of("Tue 2026-04-28")
    assert last_event(complaint).summary == (
        "Appeal meeting arranged for Tuesday 21 April 2026 at 14:00, Tom Moore House, North Walsham"
    )

    with at("Thu 2026-04-23 16:00"):
        decision = escalation.decide_appeal(
            complaint,
            outcomes=all_points(complaint, "partially_upheld"),
            summary="Partly upheld",
            actor=senior,
        )
    assert complaint.state == "appeal_decided"
    assert decision.kind == ResponseKind.APPEAL_DECISION
    assert set(decision.outcomes.values_list("outcome", flat=True)) == {"partially_upheld"}
    # The meeting was held on Tue 21 April, within its deadline (Wed 22 April).
    meeting = complaint.deadlines.get(name="appeal.meeting")
    assert meeting.met_at == on("Tue 2026-04-21 14:00")
    assert meeting.status(on("Thu 2026-04-23 16:00")) == DeadlineStatus.MET
    # The stage 2 response was the final response until the appeal answers.
    assert complaint.final_response_at == on("Thu 2026-03-19 15:00")

    # Sent Fri 24 April 2026 at 11:00 BST. Eight weeks on: Fri 19 June 2026 at 11:00 BST.
    with at("Fri 2026-04-24 11:00"):
        escalation.record_final_response(complaint, method="letter", actor=senior)
    assert complaint.state == "appeal_responded"
    assert complaint.final_response_at == on("Fri 2026-04-24 11:00")
    assert complaint.ombudsman_direct_from == on("Fri 2026-06-19 11:00")
    assert complaint.stages.get(number=3).responded_at == on("Fri 2026-04-24 11:00")
    assert complaint.deadlines.get(name="appeal.decision").met_at == on("Fri 2026-04-24 11:00")
    assert kinds(complaint)[-4:] == [
        EventKind.APPEAL_REQUESTED,
        EventKind.APPEAL_SCHEDULED,
        EventKind.APPEAL_DECIDED,
        EventKind.FINAL_RESPONSE,
    ]

    with at("Mon 2026-04-27 09:00"):
        record_learning(complaint, senior)
        responses.close(complaint, actor=senior)
    assert complaint.state == "closed"


def test_an_appeal_must_name_known_criteria_and_explain_them(journey):
    complaint = journey.until("responded2")

    with at("Mon 2026-03-23 10:00"):
        with refused(
            complaint, StepNotAllowed, "An appeal must say which of the criteria (a), (b), (c) it meets."
        ):
            escalation.request_appeal(complaint, criteria=[], explanation="Unhappy", actor=None)
        with refused(complaint, StepNotAllowed, "Unknown criterion: choose from (a), (b), (c)."):
            escalation.request_appeal(complaint, criteria=["d"], explanation="Unhappy", actor=None)
        with refused(
            complaint,
            StepNotAllowed,
            "An appeal must explain how the complaint meets the criteria it names.",
        ):
            escalation.request_appeal(complaint, criteria=["a"], explanation="  ", actor=None)


def test_only_a_stage_2_response_can_be_appealed(journey, officer):
    under_review = journey.until("contacted2")
    closed_at_stage_1 = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        record_learning(closed_at_stage_1, officer)
        responses.close(closed_at_stage_1, actor=officer)

    with at("Mon 2026-03-23 10:00"):
        with refused(
            under_review,
            StepNotAllowed,
            "Request appeal is not possible while the complaint is “Stage 2: under review”.",
        ):
            escalation.request_appeal(under_review, criteria=["a"], explanation="Late", actor=None)
        with refused(
            closed_at_stage_1,
            StepNotAllowed,
            "Only a complaint closed after its stage 2 review can be appealed.",
        ):
            escalation.request_appeal(closed_at_stage_1, criteria=["a"], explanation="Late", actor=None)


def test_a_complaint_closed_after_its_review_can_still_be_appealed(journey, senior):
    complaint = journey.until("responded2")
    with at("Fri 2026-03-20 09:00"):
        record_learning(complaint, senior)
        responses.close(complaint, actor=senior)

    with at("Mon 2026-03-23 10:00"):
        escalation.request_appeal(complaint, criteria=["b"], explanation="Roof still leaks", actor=None)

    assert complaint.state == "appeal_requested"
    assert complaint.closed_at is None


def test_the_meeting_is_agreed_with_the_customer_before_the_full_panel(journey, senior):
    complaint = journey.until("appealed")

    def schedule(**changes):
        fields = {
            "meeting_at": on(MEETING),
            "location": "Tom Moore House",
            "panel": FULL_PANEL,
            "agreed_with_customer": True,
            "actor": senior,
        }
        return escalation.schedule_appeal(complaint, **{**fields, **changes})

    with at("Wed 2026-03-25 14:00"):
        with refused(
            complaint,
            StepNotAllowed,
            "The meeting is arranged by mutual agreement: confirm the date with the customer.",
        ):
            schedule(agreed_with_customer=False)
        with refused(complaint, StepNotAllowed, "The panel needs a resident."):
            schedule(panel={**FULL_PANEL, "resident": "  "})
        with refused(complaint, StepNotAllowed) as info:
            schedule(panel={"resident": "Rita Resident"})
        assert info.value.message.startswith("The panel needs a board member")
        assert "executive" in info.value.message
        with refused(
            complaint, StepNotAllowed, "The customer may bring a companion, but not a legal representative."
        ):
            schedule(companion_name="Lee Gull", companion_is_legal_representative=True)
        with refused(complaint, StepNotAllowed, "The meeting cannot be before the appeal was requested."):
            schedule(meeting_at=on("Fri 2026-03-20 14:00"))
        with refused(
            complaint, InvalidInput, "location: say where the meeting will be held (or how, if online)"
        ):
            schedule(location=" ")
        with refused(complaint, InvalidInput) as info:
            schedule(panel={**FULL_PANEL, "mayor": "Max Mayor"})
        assert info.value.field == "panel"
        with refused(complaint, InvalidInput) as info:
            schedule(meeting_at=dt.datetime(2026, 4, 21, 14, 0))
        assert info.value.field == "meeting_at"


def test_a_rearranged_meeting_moves_the_decision_deadline(journey, senior):
    complaint = journey.until("scheduled")
    assert due(complaint, "appeal.decision") == end_of("Tue 2026-04-28")

    # Moved to Thu 23 April at 10:00, a day after the 20 working days (Wed 22 April), so the
    # reason is recorded. Decision: day 0 Thu 23; Fri 24 (1), Mon 27 (2), Tue 28 (3),
    # Wed 29 (4), Thu 30 (5) -> end of Thu 30 April.
    with at("Mon 2026-04-20 09:00"):
        with refused(complaint, StepNotAllowed) as info:
            escalation.schedule_appeal(
                complaint,
                meeting_at=on("Thu 2026-04-23 10:00"),
                location="Online",
                panel=FULL_PANEL,
                agreed_with_customer=True,
                actor=senior,
            )
        assert "The meeting should be held by Wednesday 22 April 2026" in info.value.message
        escalation.schedule_appeal(
            complaint,
            meeting_at=on("Thu 2026-04-23 10:00"),
            location="Online",
            panel=FULL_PANEL,
            agreed_with_customer=True,
            late_reason="The customer is in hospital until 22 April.",
            actor=senior,
        )

    assert complaint.state == "appeal_scheduled"
    deadline = complaint.deadlines.get(name="appeal.decision")
    assert (deadline.due_at, deadline.original_due_at) == (end_of("Thu 2026-04-30"), end_of("Thu 2026-04-30"))
    assert deadline.clock_started_at == on("Thu 2026-04-23 10:00")
    assert complaint.stages.get(number=3).hearing.location == "Online"
    assert last_event(complaint).data["late_reason"] == "The customer is in hospital until 22 April."
    # Held a day late: the meeting deadline shows missed, with the reason on the record.
    meeting = complaint.deadlines.get(name="appeal.meeting")
    assert meeting.met_at == on("Thu 2026-04-23 10:00")
    assert meeting.status(on("Fri 2026-04-24 09:00")) == DeadlineStatus.MISSED


def test_the_panel_decides_at_or_after_the_meeting(journey, senior):
    requested = journey.until("appealed")
    complaint = journey.until("scheduled")

    with at("Tue 2026-04-21 10:00"):
        with refused(complaint, StepNotAllowed, "The panel decides at or after the meeting, not before it."):
            escalation.decide_appeal(complaint, outcomes=all_points(complaint), summary="Early", actor=senior)
        with refused(
            requested,
            StepNotAllowed,
            "Decide appeal is not possible while the complaint is “Appeal requested”.",
        ):
            escalation.decide_appeal(requested, outcomes=all_points(requested), summary="Early", actor=senior)
        with refused(complaint, InvalidInput, "summary: summarise the panel's decision"):
            escalation.decide_appeal(complaint, outcomes=all_points(complaint), summary=" ", actor=senior)


# --- The appeal, refused ---------------------------------------------------------------------------


def test_an_appeal_is_refused_only_when_the_actions_are_done_and_no_criterion_is_met(journey, senior):
    complaint = journey.until("responded2")
    with at("Thu 2026-03-19 15:30"):
        action = responses.add_action(
            complaint, description="Replace the ceiling", due_on=day("Fri 2026-03-27"), actor=senior
        )
    with at("Mon 2026-03-23 10:00"):
        escalation.request_appeal(complaint, criteria=["b"], explanation="Ceiling not replaced", actor=None)

    with (
        at("Mon 2026-03-23 15:00"),
        refused(
            complaint,
            StepNotAllowed,
            "An appeal can only be refused when every agreed action is done: 1 action is still open.",
        ),
    ):
        escalation.refuse_appeal(complaint, reason="Actions done", actor=senior)

    with at("Tue 2026-03-24 12:00"):
        responses.complete_action(complaint, action_id=action.pk, note="Ceiling replaced", actor=senior)
        record_learning(complaint, senior)
        with refused(complaint, StepNotAllowed, "An appeal that meets a criterion ((b)) must be heard."):
            escalation.refuse_appeal(complaint, reason="Done", criteria_met=["b"], actor=senior)
        with refused(
            complaint, StepNotAllowed, "Give the reason for refusing the appeal: the customer is told it."
        ):
            escalation.refuse_appeal(complaint, reason=" ", actor=senior)

    # Refused Wed 25 March 2026 at 10:00 GMT. The stage 2 response (Thu 19 March, 15:00 GMT)
    # stays the final response, so refusing a hearing does not delay the Ombudsman: eight
    # weeks from it is Thu 14 May 2026 at 15:00 BST, as before the appeal was asked for.
    with at("Wed 2026-03-25 10:00"):
        stage = escalation.refuse_appeal(
            complaint, reason="  The ceiling was replaced on 24 March; no criterion is met ", actor=senior
        )

    assert complaint.state == "closed"
    assert complaint.closed_at == on("Wed 2026-03-25 10:00")
    assert (stage.refused_at, stage.refusal_reason) == (
        on("Wed 2026-03-25 10:00"),
        "The ceiling was replaced on 24 March; no criterion is met",
    )
    assert complaint.final_response_at == on("Thu 2026-03-19 15:00")
    assert complaint.ombudsman_direct_from == on("Thu 2026-05-14 15:00")
    meeting = complaint.deadlines.get(name="appeal.meeting")
    assert meeting.cancelled_at == on("Wed 2026-03-25 10:00")
    assert meeting.status(on("Wed 2026-03-25 10:00")) == DeadlineStatus.CANCELLED
    assert last_event(complaint).kind == EventKind.APPEAL_REFUSED
    assert (
        last_event(complaint).summary
        == "Appeal refused: The ceiling was replaced on 24 March; no criterion is met"
    )

    with (
        at("Thu 2026-03-26 10:00"),
        refused(
            complaint, StepNotAllowed, "Only a complaint closed after its stage 2 review can be appealed."
        ),
    ):
        escalation.request_appeal(complaint, criteria=["a"], explanation="Again", actor=None)
