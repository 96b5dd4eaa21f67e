"""The case timeline: every step leaves its trace, dated when it happened, and is never rewritten."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import changes, concerns, escalation, investigation, responses, triage
from tests.cases.conftest import FULL_PANEL, all_points
from tests.cases.helpers import at, day, kinds, on, refused, wall
from tests.learning.helpers import record_learning


def test_the_appeal_path_writes_exactly_one_event_per_step_in_order(log, officer, senior):
    """The contract "every step leaves its trace": the exact events of a full journey."""
    with at("Mon 2026-03-02 11:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    with at("Tue 2026-03-03 09:30"):
        investigation.record_contact(complaint, method="phone", summary="Called", actor=officer)
    with at("Wed 2026-03-04 10:00"):
        investigation.request_evidence(complaint, description="Photos", actor=officer)
    with at("Fri 2026-03-13 16:00"):
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-20"), reason="Roofer", actor=officer)
    with at("Thu 2026-03-19 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=officer
        )
    with at("Thu 2026-03-19 15:30"):
        action = responses.add_action(
            complaint, description="Repair", due_on=day("Fri 2026-03-20"), actor=officer
        )
    with at("Mon 2026-03-23 10:00"):
        responses.complete_action(complaint, action_id=action.pk, note="Done.", actor=officer)
    with at("Mon 2026-03-23 10:30"):
        record_learning(complaint, officer)
        responses.close(complaint, actor=officer)
    with at("Tue 2026-03-24 10:00"):
        escalation.escalate(complaint, grounds=["b"], owner=senior, actor=None)
    with at("Wed 2026-03-25 10:00"):
        investigation.record_contact(complaint, method="in_person", summary="Visited", actor=senior)
    with at("Wed 2026-03-25 11:00"):
        concerns.flag_concern(complaint, kind="health_and_safety", description="Damp", actor=senior)
    with at("Thu 2026-04-09 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="email", summary="Upheld", actor=senior
        )
    with at("Mon 2026-04-13 10:00"):
        escalation.request_appeal(complaint, criteria=["b"], explanation="Still damp", actor=None)
    with at("Tue 2026-04-14 10:00"):
        escalation.schedule_appeal(
            complaint,
            meeting_at=on("Tue 2026-04-28 14:00"),
            location="Online",
            panel=FULL_PANEL,
            agreed_with_customer=True,
            actor=senior,
        )
    with at("Wed 2026-04-29 10:00"):
        escalation.decide_appeal(complaint, outcomes=all_points(complaint), summary="Upheld", actor=senior)
    with at("Thu 2026-04-30 10:00"):
        escalation.record_final_response(complaint, method="letter", actor=senior)
    with at("Fri 2026-05-01 10:00"):
        record_learning(complaint, senior)
        responses.close(complaint, actor=senior)

    assert kinds(complaint) == [
        EventKind.COMPLAINT_LOGGED,
        EventKind.ACCEPTED,
        EventKind.CONTACT_RECORDED,
        EventKind.EVIDENCE_REQUESTED,
        EventKind.EXTENDED,
        EventKind.RESPONDED,
        EventKind.ACTION_ADDED,
        EventKind.ACTION_COMPLETED,
        # Closing needs a theme and a root cause on each of the two upheld points: a step each.
        EventKind.LEARNING_RECORDED,
        EventKind.LEARNING_RECORDED,
        EventKind.CLOSED,
        EventKind.ESCALATED,
        EventKind.CONTACT_RECORDED,
        EventKind.CONCERN_FLAGGED,
        EventKind.RESPONDED,
        EventKind.APPEAL_REQUESTED,
        EventKind.APPEAL_SCHEDULED,
        EventKind.APPEAL_DECIDED,
        EventKind.FINAL_RESPONSE,
        EventKind.CLOSED,
    ]
    events = list(complaint.timeline.order_by("occurred_at", "pk"))
    assert [e.stage_number for e in events] == [0] + [1] * 10 + [2] * 4 + [3] * 5
    assert [e.actor_label for e in events][10:12] == ["Olivia Staff", "The customer"]
    # One version per step after logging (the learning recorded before the second close was
    # already there: nothing to record, no step).
    assert complaint.version == 20
    assert complaint.state == "closed"


def test_timeline_events_can_never_be_changed_or_deleted(journey):
    complaint = journey.until("accepted")
    event = complaint.timeline.first()
    before = list(complaint.timeline.values_list("pk", "kind", "summary"))

    event.summary = "Rewritten history"
    with pytest.raises(TypeError, match="never changed"):
        event.save()
    with pytest.raises(TypeError, match="never deleted"):
        event.delete()
    with pytest.raises(TypeError, match="never changed"):
        TimelineEvent.objects.filter(complaint=complaint).update(summary="Rewritten")
    with pytest.raises(TypeError, match="never changed"):
        complaint.timeline.update(summary="Rewritten")
    # bulk_update runs inside its own atomic block: give it a savepoint to roll back to.
    with pytest.raises(TypeError, match="never changed"), transaction.atomic():
        TimelineEvent.objects.bulk_update([event], ["summary"])
    with pytest.raises(TypeError, match="never deleted"):
        TimelineEvent.objects.filter(complaint=complaint).delete()
    with pytest.raises(TypeError, match="never deleted"):
        complaint.timeline.all().delete()

    assert list(complaint.timeline.values_list("pk", "kind", "summary")) == before


# --- When a step happened ---------------------------------------------------------------------------


NOW = "Tue 2026-03-03 09:30"
STEPS = {
    "record_contact": lambda c, u, when: investigation.record_contact(
        c, method="phone", summary="Called", actor=u, occurred_at=when
    ),
    "add_action": lambda c, u, when: responses.add_action(
        c, description="Repair", due_on=day("Fri 2026-03-20"), actor=u, occurred_at=when
    ),
    "withdraw": lambda c, u, when: changes.withdraw(c, actor=None, occurred_at=when),
    "flag_concern": lambda c, u, when: concerns.flag_concern(
        c, kind="safeguarding", description="Worry", actor=u, occurred_at=when
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize(
    ("occurred_at", "detail"),
    [
        pytest.param(
            dt.datetime(2026, 3, 3, 9, 0), "give a time zone (or an offset such as +00:00)", id="naive"
        ),
        pytest.param("2026-03-03T09:00:00+00:00", "give a date and time", id="malformed-text"),
        pytest.param(dt.date(2026, 3, 3), "give a date and time", id="malformed-date"),
        pytest.param(on("Tue 2026-03-03 10:30"), "cannot be in the future", id="future"),
        pytest.param(
            on("Mon 2026-03-02 09:59"),
            # Accepted at 11:00: a stage 1 step cannot be dated before stage 1 began.
            "cannot be before stage 1 began (2 March 2026 at 11:00)",
            id="before-the-stage",
        ),
    ],
)
def test_a_step_dated_impossibly_is_refused_and_changes_nothing(journey, officer, step, occurred_at, detail):
    complaint = journey.until("accepted")

    with at(NOW), refused(complaint, InvalidInput) as info:
        STEPS[step](complaint, officer, occurred_at)

    assert (info.value.field, info.value.detail) == ("occurred_at", detail)


def test_a_step_dated_a_few_minutes_ahead_of_the_server_clock_is_accepted(journey, officer):
    complaint = journey.until("accepted")

    with at(NOW):
        investigation.record_contact(
            complaint, method="phone", summary="Called", actor=officer, occurred_at=on("Tue 2026-03-03 09:34")
        )

    assert complaint.timeline.last().occurred_at == on("Tue 2026-03-03 09:34")


def test_an_event_dated_in_the_past_keeps_both_times_and_sorts_by_when_it_happened(journey, officer):
    complaint = journey.until("accepted")

    # Typed at 09:30 on Tuesday: first the email that arrived at 09:00, then the call at 08:45.
    with at(NOW):
        investigation.record_contact(
            complaint,
            method="email",
            direction="inbound",
            summary="Email",
            actor=officer,
            occurred_at=on("Tue 2026-03-03 09:00"),
        )
        investigation.record_contact(
            complaint, method="phone", summary="Call", actor=officer, occurred_at=on("Tue 2026-03-03 08:45")
        )

    events = list(complaint.timeline.order_by("occurred_at", "pk"))[-2:]
    assert [e.summary for e in events] == ["Contact by phone: Call", "Contact by email: Email"]
    assert [e.recorded_at for e in events] == [on(NOW), on(NOW)]
