"""Each complaint carries its nearest open deadline, kept by every step, for lists at any size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from putright.cases.models import Complaint, Deadline
from tests.cases.helpers import at, on
from tests.learning.helpers import record_learning

pytestmark = pytest.mark.django_db


def nearest_open(complaint: Complaint) -> tuple:
    row = (
        Deadline.objects.filter(complaint=complaint, met_at=None, cancelled_at=None)
        .order_by("due_at", "pk")
        .values_list("due_at", "name")
        .first()
    )
    return row or (None, "")


def test_a_new_complaint_has_no_deadline_until_it_is_accepted(journey):
    complaint = journey.until("received")
    assert (complaint.next_due_at, complaint.next_due_name) == (None, "")


def test_after_acceptance_the_next_deadline_is_first_contact_within_24_working_hours(journey):
    complaint = journey.until("accepted")
    # Received Monday 2 March 2026 at 10:00: contact is owed by Tuesday 3 March at 10:00.
    assert complaint.next_due_name == "stage1.contact"
    assert complaint.next_due_at == on("Tue 2026-03-03 10:00")


@pytest.mark.parametrize("step", ["contacted", "responded", "escalated", "appealed", "scheduled", "final"])
def test_every_step_leaves_the_nearest_open_deadline_on_the_complaint(journey, step):
    complaint = journey.until(step)
    assert (complaint.next_due_at, complaint.next_due_name) == nearest_open(complaint)


def test_after_contact_the_next_deadline_is_the_response(journey):
    complaint = journey.until("contacted")
    assert complaint.next_due_name == "stage1.response"


def test_a_closed_complaint_has_no_deadline(journey):
    complaint = journey.until("responded")
    from putright.cases.services import responses

    with at("Fri 2026-03-13 09:00"):
        record_learning(complaint, journey.officer)
        responses.close(complaint, actor=journey.officer)
    complaint.refresh_from_db()
    assert (complaint.next_due_at, complaint.next_due_name) == (None, "")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_complaints_that_already_had_deadlines(journey):
    complaint = journey.until("contacted")
    expected = (complaint.next_due_at, complaint.next_due_name)
    Complaint.objects.filter(pk=complaint.pk).update(next_due_at=None, next_due_name="")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("cases", "0003_timeline_immutable")])
        executor.loader.build_graph()
        executor.migrate([("cases", "0004_next_deadline_on_complaint")])
        # Only the columns 0004 knows: later migrations' columns are not there yet.
        filled = Complaint.objects.filter(pk=complaint.pk).values_list("next_due_at", "next_due_name").get()
        assert filled == expected
    finally:
        # Going back to 0003 also unapplied every later migration that depends on
        # cases (comms, ...); the tests after this one need them all back.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
