"""issue 16, dash: every service that writes a point, stage, deadline, response, outcome, point's
learning or remedy copies its complaint's receipt and organisation onto it, and a row without
them is refused, so that the reports' figures by the copies are the figures by the complaints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from putright.cases.models import Complaint, Stage
from tests.complaint_copies import assert_every_copy_is_its_complaints, rows_and_wrong_copies


def test_a_complaints_life_through_the_services_copies_its_receipt_onto_every_row(db):
    # The demo makes its complaints through the services, in every state: logged, points added
    # and split, accepted, responded to, escalated, appealed, learning and remedies recorded.
    call_command("demo", complaints=40, seed=11, stdout=None)
    assert_every_copy_is_its_complaints()


def test_a_row_written_without_the_copies_is_refused(db):
    call_command("demo", complaints=5, seed=3, stdout=None)
    complaint = Complaint.objects.filter(stage=0).first() or Complaint.objects.first()
    assert complaint is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(complaint=complaint, number=9, opened_at=dt.datetime.now(dt.UTC))


def test_a_copy_that_differs_is_found(db):
    """The check above would see a service that copied the wrong complaint's receipt."""
    call_command("demo", complaints=5, seed=3, stdout=None)
    stage = Stage.objects.first()
    assert stage is not None
    Stage.objects.filter(pk=stage.pk).update(
        complaint_received_at=stage.complaint_received_at - dt.timedelta(1)
    )
    assert rows_and_wrong_copies()["Stage"][1] == 1
