"""issue 13, ack: the acknowledgement, a fact of its own on each stage, the earliest one standing.

Dates worked out by hand (England and Wales; Good Friday 3 April and Easter Monday 6 April 2026
are bank holidays; the clocks go forward on Sunday 29 March 2026, so a day's end is 23:59:59 GMT
before it and BST after it).

Under the Code's policy (code-2024) a complaint received Thursday 19 March 2026 at 14:00:
- must be acknowledged within 5 working days: Fri 20, Mon 23, Tue 24, Wed 25, Thu 26 March,
  by the end of Thursday 26 March;
- until it is, its response is due 10 working days from that latest moment, the end of
  Thursday 26 March, after the 17:00 cut-off, so counted from Friday 27: Mon 30, Tue 31 March,
  Wed 1, Thu 2, (Good Friday, Easter Monday), Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14 April;
- acknowledged on Monday 23 March, its response is due 10 working days from then: Tue 24,
  Wed 25, Thu 26, Fri 27, Mon 30, Tue 31 March, Wed 1, Thu 2, (Fri 3, Mon 6), Tue 7, Wed 8
  April, by the end of Wednesday 8 April (BST);
- acknowledged on Friday 20 March instead: Mon 23 ... Thu 2 April is 9, (Fri 3, Mon 6),
  Tue 7 April the 10th, by the end of Tuesday 7 April.
Under the seed policy (flagship) the same complaint's response is due 10 working days from
receipt (Fri 20 March ... Thu 2 April), first contact within 24 working hours (Fri 20 March at
14:00), and an acknowledgement moves neither.
"""

from __future__ import annotations

import pytest

from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import AcknowledgedVia, Complaint, EventKind, Stage
from putright.cases.services import acknowledgement, changes, investigation, triage
from tests.cases.helpers import at, due, end_of, kinds, last_event, on, refused, wall

pytestmark = pytest.mark.django_db

RECEIVED = "Thu 2026-03-19 14:00"


@pytest.fixture
def accepted(log, officer):
    """Received Thursday 19 March 2026 at 14:00 by phone, accepted at stage 1 at 15:00."""

    def make() -> Complaint:
        complaint = log(wall(RECEIVED))
        with at("Thu 2026-03-19 15:00"):
            triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        complaint.refresh_from_db()
        return complaint

    return make


def stage1(complaint: Complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=1)


def acknowledge(complaint: Complaint, officer, when: str, typed: str | None = None, **extra) -> Stage:
    with at(typed or when):
        return acknowledgement.acknowledge(
            complaint,
            via=extra.pop("via", AcknowledgedVia.RECORDED),
            actor=officer,
            occurred_at=on(when),
            **extra,
        )


# Under the Code's policy the acknowledgement starts the response clock.


def test_under_the_code_an_acknowledgement_meets_the_deadline_and_restarts_the_response(
    code_2024, accepted, officer
):
    complaint = accepted()
    assert due(complaint, "stage1.contact") == end_of("Thu 2026-03-26")
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-14")

    stage = acknowledge(complaint, officer, "Mon 2026-03-23 10:00")

    assert stage.acknowledged_at == on("Mon 2026-03-23 10:00")
    assert stage.acknowledged_via == AcknowledgedVia.RECORDED
    contact = complaint.deadlines.get(name="stage1.contact")
    assert contact.met_at == on("Mon 2026-03-23 10:00")
    response = complaint.deadlines.get(name="stage1.response")
    assert response.due_at == response.original_due_at == end_of("Wed 2026-04-08")
    assert response.clock_started_at == on("Mon 2026-03-23 10:00")
    event = last_event(complaint)
    assert event.kind == EventKind.ACKNOWLEDGED
    assert event.occurred_at == on("Mon 2026-03-23 10:00")
    assert event.summary == (
        "Stage 1 acknowledged: acknowledgement recorded; response now due by Wednesday 8 April 2026"
    )
    assert event.data["met"] == "stage1.contact"


def test_an_earlier_contact_recorded_after_the_fact_moves_the_acknowledgement_and_the_clock(
    code_2024, accepted, officer
):
    complaint = accepted()
    acknowledge(complaint, officer, "Mon 2026-03-23 10:00", via=AcknowledgedVia.LETTER)
    with at("Tue 2026-03-24 09:00"):
        investigation.record_contact(
            complaint,
            method="phone",
            summary="Called on Friday to acknowledge the complaint",
            acknowledges=True,
            actor=officer,
            occurred_at=on("Fri 2026-03-20 16:00"),
        )

    stage = stage1(complaint)
    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Fri 2026-03-20 16:00"), "contact")
    assert complaint.deadlines.get(name="stage1.contact").met_at == on("Fri 2026-03-20 16:00")
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-07")
    event = complaint.timeline.order_by("pk").last()  # dated Friday: recorded last, shown before Monday's
    assert event.kind == EventKind.ACKNOWLEDGED
    assert event.occurred_at == on("Fri 2026-03-20 16:00")
    assert event.summary == (
        "Stage 1 acknowledged: contact recorded as acknowledging, earlier than the acknowledgement "
        "letter sent on Monday 23 March 2026; response now due by Tuesday 7 April 2026"
    )
    assert event.data["old"] == on("Mon 2026-03-23 10:00").isoformat()


def test_a_later_acknowledgement_changes_nothing(code_2024, accepted, officer):
    complaint = accepted()
    acknowledge(complaint, officer, "Mon 2026-03-23 10:00")
    complaint.refresh_from_db()
    before = (complaint.version, list(complaint.timeline.values_list("pk", flat=True)))

    stage = acknowledge(complaint, officer, "Wed 2026-03-25 11:00", via=AcknowledgedVia.LETTER)

    complaint.refresh_from_db()
    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Mon 2026-03-23 10:00"), "recorded")
    assert (complaint.version, list(complaint.timeline.values_list("pk", flat=True))) == before
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")


def test_a_later_contact_marked_acknowledging_is_recorded_and_moves_nothing(code_2024, accepted, officer):
    complaint = accepted()
    acknowledge(complaint, officer, "Mon 2026-03-23 10:00")
    with at("Wed 2026-03-25 11:00"):
        investigation.record_contact(
            complaint, method="phone", summary="Update call", acknowledges=True, actor=officer
        )
    assert stage1(complaint).acknowledged_at == on("Mon 2026-03-23 10:00")
    assert kinds(complaint)[-1] == EventKind.CONTACT_RECORDED
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")


def test_an_acknowledgement_after_a_first_contact_keeps_the_clock_the_contact_started(
    code_2024, accepted, officer
):
    """A call on Friday started the clock (the policy's anchor is contact or acknowledgement):
    Monday's letter is the acknowledgement on record, and the response stays due on 7 April."""
    complaint = accepted()
    with at("Fri 2026-03-20 16:00"):
        investigation.record_contact(complaint, method="phone", summary="Introduced myself", actor=officer)
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-07")

    stage = acknowledge(complaint, officer, "Mon 2026-03-23 10:00", via=AcknowledgedVia.LETTER)

    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Mon 2026-03-23 10:00"), "letter")
    assert complaint.deadlines.get(name="stage1.contact").met_at == on("Fri 2026-03-20 16:00")
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-07")
    assert "response_due" not in last_event(complaint).data


def test_an_extended_response_keeps_its_extension(code_2024, accepted, officer):
    complaint = accepted()
    acknowledge(complaint, officer, "Mon 2026-03-23 10:00")
    with at("Tue 2026-03-24 10:00"):
        investigation.extend(
            complaint,
            new_due_on=on("Fri 2026-04-17 12:00").date(),
            reason="Contractor's report",
            actor=officer,
        )
    acknowledge(complaint, officer, "Fri 2026-03-20 16:00", typed="Tue 2026-03-24 11:00")
    assert stage1(complaint).acknowledged_at == on("Fri 2026-03-20 16:00")
    assert due(complaint, "stage1.response") == end_of("Fri 2026-04-17")


# Under the seed policy the acknowledgement is a fact, and no clock.


def test_under_the_seed_policy_the_acknowledgement_moves_no_clock(accepted, officer):
    complaint = accepted()
    assert due(complaint, "stage1.contact") == on("Fri 2026-03-20 14:00")
    assert due(complaint, "stage1.response") == end_of("Thu 2026-04-02")

    stage = acknowledge(complaint, officer, "Fri 2026-03-20 10:00", via=AcknowledgedVia.LETTER)

    assert stage.acknowledged_at == on("Fri 2026-03-20 10:00")
    contact = complaint.deadlines.get(name="stage1.contact")
    assert contact.met_at is None  # a letter is not the Resolution Officer's 24-hour contact
    assert due(complaint, "stage1.response") == end_of("Thu 2026-04-02")
    assert last_event(complaint).summary == "Stage 1 acknowledged: acknowledgement letter sent"


def test_stage_2_is_acknowledged_on_its_own(journey, officer, senior):
    complaint = journey.until("escalated")
    acknowledge(complaint, senior, "Fri 2026-03-13 11:00")
    assert Stage.objects.get(complaint=complaint, number=2).acknowledged_at == on("Fri 2026-03-13 11:00")
    assert stage1(complaint).acknowledged_at is None


def test_the_appeal_is_recorded_too(journey, senior):
    complaint = journey.until("appealed")
    acknowledge(complaint, senior, "Mon 2026-03-23 11:00")
    assert Stage.objects.get(complaint=complaint, number=3).acknowledged_at == on("Mon 2026-03-23 11:00")


# Refusals change nothing.


def test_a_complaint_not_yet_accepted_has_no_stage_to_acknowledge(log, officer):
    complaint = log(wall(RECEIVED))
    with at("Thu 2026-03-19 15:00"), refused(complaint, StepNotAllowed):
        acknowledgement.acknowledge(complaint, via="recorded", actor=officer)
    with at("Thu 2026-03-19 15:00"), refused(complaint, InvalidInput) as info:
        investigation.record_contact(
            complaint, method="phone", summary="Hi", acknowledges=True, actor=officer
        )
    assert info.value.field == "acknowledges"


def test_a_withdrawn_complaint_is_refused(accepted, officer):
    complaint = accepted()
    with at("Fri 2026-03-20 09:00"):
        changes.withdraw(complaint, reason="Sorted out", actor=officer)
    with at("Fri 2026-03-20 10:00"), refused(complaint, StepNotAllowed) as info:
        acknowledgement.acknowledge(complaint, via="recorded", actor=officer)
    assert "Withdrawn" in info.value.message


@pytest.mark.parametrize(
    ("when", "field"),
    [("Thu 2026-03-19 13:00", "occurred_at"), ("Mon 2026-03-23 10:00", "occurred_at")],
    ids=["before-receipt", "in-the-future"],
)
def test_a_time_before_the_stage_or_in_the_future_is_refused(accepted, officer, when, field):
    complaint = accepted()
    with at("Fri 2026-03-20 10:00"), refused(complaint, InvalidInput) as info:
        acknowledgement.acknowledge(complaint, via="recorded", actor=officer, occurred_at=on(when))
    assert info.value.field == field


def test_a_stale_version_and_an_unknown_way_are_refused(accepted, officer):
    complaint = accepted()
    with at("Fri 2026-03-20 10:00"), refused(complaint, StaleCase):
        acknowledgement.acknowledge(
            complaint, via="recorded", actor=officer, expected_version=complaint.version - 1
        )
    with at("Fri 2026-03-20 10:00"), refused(complaint, InvalidInput) as info:
        acknowledgement.acknowledge(complaint, via="backfilled", actor=officer)
    assert info.value.field == "via"
