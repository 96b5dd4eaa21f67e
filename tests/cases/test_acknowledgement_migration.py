"""issue 13, ack: the migration gives the stages that existed before it their acknowledgement.

Cases are built through the real services on the standard journey (tests/cases/conftest.py:
received Monday 2 March 2026 at 10:00, accepted at 11:00, Olivia's call on Tuesday 3 March at
09:30, the stage 2 review call on Monday 16 March at 10:00), then put back as they were before
acknowledgements were recorded, and the migration is run from the state before it.
"""

# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from putright.cases.models import Complaint, Stage
from putright.cases.services import investigation
from putright.comms.letters.services import letters
from putright.comms.models import LetterKind
from tests.cases.helpers import at, on
from tests.comms.letter_cases import _letters_in_tmp, landlord, send  # noqa: F401 (fixtures)

BEFORE = ("cases", "0015_acknowledgement_and_stock_type")
AFTER = ("cases", "0016_backfill_acknowledgements")


def by_post(customer) -> None:
    customer.address = "12 Mundesley Road\nNorth Walsham"
    customer.preferred_contact = "letter"
    customer.save(update_fields=["address", "preferred_contact"])


def acknowledged(complaint: Complaint) -> dict[int, tuple]:
    return {
        s.number: (s.acknowledged_at, s.acknowledged_via)
        for s in Stage.objects.filter(complaint=complaint).order_by("number")
    }


def migrate_from_before() -> None:
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        executor.loader.build_graph()
        executor.migrate([AFTER])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_each_stage_gets_the_earliest_of_its_letter_and_its_first_contact(
    journey, officer, customer, landlord
):
    # The letter first: emailed on Monday 2 March at 11:30, before Tuesday's call.
    by_letter = journey.until("accepted")
    send(by_letter, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    with at("Tue 2026-03-03 09:30"):
        investigation.record_contact(by_letter, method="phone", summary="Called", actor=officer)
    # The call first, the letter on Wednesday: the call is the acknowledgement.
    by_call = journey.until("contacted")
    send(by_call, LetterKind.ACKNOWLEDGEMENT, officer, "Wed 2026-03-04 10:00")
    # Only the customer's call: nothing of ours acknowledged it.
    theirs = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        investigation.record_contact(
            theirs, method="phone", direction="inbound", summary="Asked for news", actor=officer
        )
    # Both stages, each by its own first call; the appeal is not a stage of the Code.
    reviewed = journey.until("appealed")
    # A letter to post counts once it was posted, not when it was made ready.
    by_post(customer)
    posted = journey.until("accepted")
    letter = send(posted, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    with at("Tue 2026-03-03 12:00"):
        letters.mark_posted(letter.pk, actor=officer)
    unposted = journey.until("accepted")
    send(unposted, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")

    # Before the migration nothing was recorded: take back what the services now record.
    Stage.objects.update(acknowledged_at=None, acknowledged_via="")
    migrate_from_before()

    assert acknowledged(by_letter) == {1: (on("Mon 2026-03-02 11:30"), "letter")}
    assert acknowledged(by_call) == {1: (on("Tue 2026-03-03 09:30"), "backfilled")}
    assert acknowledged(theirs) == {1: (None, "")}
    assert acknowledged(reviewed) == {
        1: (on("Tue 2026-03-03 09:30"), "backfilled"),
        2: (on("Mon 2026-03-16 10:00"), "backfilled"),
        3: (None, ""),
    }
    assert acknowledged(posted) == {1: (on("Tue 2026-03-03 12:00"), "letter")}
    assert acknowledged(unposted) == {1: (None, "")}


@pytest.mark.django_db(transaction=True)
def test_a_stage_already_acknowledged_keeps_its_acknowledgement(journey, officer):
    complaint = journey.until("contacted")
    Stage.objects.filter(complaint=complaint).update(
        acknowledged_at=on("Mon 2026-03-02 10:30"), acknowledged_via="recorded"
    )
    migrate_from_before()
    assert acknowledged(complaint) == {1: (on("Mon 2026-03-02 10:30"), "recorded")}
