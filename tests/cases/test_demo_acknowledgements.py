"""issue 13, ack: the demo's first contact at each stage acknowledges it, as a caseworker would tick it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from putright.cases.models import Contact, EventKind, Stage, TimelineEvent

pytestmark = pytest.mark.django_db


def test_the_demo_acknowledges_stages_through_its_first_contacts():
    call_command("demo", stdout=io.StringIO(), complaints=40)

    acknowledged = Stage.objects.filter(acknowledged_at__isnull=False)
    assert acknowledged.filter(number=1).exists() and acknowledged.filter(number=2).exists()
    assert set(acknowledged.values_list("acknowledged_via", flat=True)) == {"contact"}
    assert TimelineEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == acknowledged.count()
    # Each acknowledgement is the stage's first acknowledging contact.
    for stage in acknowledged:
        first = (
            Contact.objects.filter(complaint=stage.complaint_id, stage_number=stage.number, acknowledges=True)
            .order_by("occurred_at")
            .first()
        )
        assert first is not None and first.occurred_at == stage.acknowledged_at
    # Follow-up calls acknowledge nothing.
    assert Contact.objects.filter(acknowledges=False).exists()
