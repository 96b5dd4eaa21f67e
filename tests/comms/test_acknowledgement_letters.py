"""issue 13, ack: the acknowledgement letter, once sent by any channel, acknowledges its stage.

Under the Code's policy (code-2024) a complaint received Thursday 19 March 2026 at 14:00 and
acknowledged by letter on Monday 23 March at 10:00 is due its response 10 working days from
then: Tue 24 ... Thu 2 April is the 8th, Good Friday (3 April) and Easter Monday (6 April) are
bank holidays, Tue 7 the 9th, Wed 8 April the 10th: by the end of Wednesday 8 April (BST, the
clocks having gone forward on Sunday 29 March). Worked out in full in tests/cases/test_acknowledgement.py.
"""

# ruff: noqa: F811

from __future__ import annotations

import pytest

from putright.cases.models import Complaint, EventKind, Stage
from putright.cases.services import changes, investigation, triage
from putright.comms.letters.services import letters
from putright.comms.models import LetterKind, LetterStatus
from tests.cases.helpers import at, due, end_of, kinds, on, wall
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    landlord,
    send,
)
from tests.conftest import policy_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def code_2024(settings):
    with policy_in_force(settings, "code-2024"):
        yield


@pytest.fixture
def accepted(log, officer, landlord):
    def make() -> Complaint:
        complaint = log(wall("Thu 2026-03-19 14:00"))
        with at("Thu 2026-03-19 15:00"):
            triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        complaint.refresh_from_db()
        return complaint

    return make


@pytest.fixture
def by_post(customer):
    customer.address = "12 Mundesley Road\nNorth Walsham"
    customer.preferred_contact = "letter"
    customer.save(update_fields=["address", "preferred_contact"])
    return customer


def stage1(complaint: Complaint) -> Stage:
    return Stage.objects.get(complaint=complaint, number=1)


def test_an_emailed_acknowledgement_acknowledges_the_stage_and_starts_the_code_clock(
    code_2024, accepted, officer
):
    complaint = accepted()
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-23 10:00")

    assert letter.status == LetterStatus.EMAILED
    stage = stage1(complaint)
    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Mon 2026-03-23 10:00"), "letter")
    assert complaint.deadlines.get(name="stage1.contact").met_at == on("Mon 2026-03-23 10:00")
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")
    assert kinds(complaint)[-2:] == [EventKind.LETTER_SENT, EventKind.ACKNOWLEDGED]


def test_a_letter_to_post_acknowledges_when_it_is_posted(code_2024, accepted, officer, by_post):
    complaint = accepted()
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Fri 2026-03-20 16:30")
    assert letter.status == LetterStatus.TO_POST
    assert stage1(complaint).acknowledged_at is None  # ready to post is not sent

    with at("Mon 2026-03-23 10:00"):
        letters.mark_posted(letter.pk, actor=officer)

    stage = stage1(complaint)
    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Mon 2026-03-23 10:00"), "letter")
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")
    assert kinds(complaint)[-2:] == [EventKind.LETTER_POSTED, EventKind.ACKNOWLEDGED]


def test_a_second_letter_changes_nothing(code_2024, accepted, officer):
    complaint = accepted()
    send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-23 10:00")
    complaint.refresh_from_db()
    version = complaint.version

    send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Tue 2026-03-24 10:00")

    complaint.refresh_from_db()
    assert complaint.version == version
    assert stage1(complaint).acknowledged_at == on("Mon 2026-03-23 10:00")
    assert kinds(complaint).count(EventKind.ACKNOWLEDGED) == 1
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")


def test_under_the_seed_policy_the_letter_is_no_first_contact(accepted, officer):
    complaint = accepted()
    send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Fri 2026-03-20 10:00")

    assert stage1(complaint).acknowledged_at == on("Fri 2026-03-20 10:00")
    assert complaint.deadlines.get(name="stage1.contact").met_at is None
    # 10 working days from receipt: Fri 20 March ... Thu 2 April.
    assert due(complaint, "stage1.response") == end_of("Thu 2026-04-02")


def test_another_letter_acknowledges_nothing(code_2024, accepted, officer):
    complaint = accepted()
    with at("Fri 2026-03-20 09:00"):
        investigation.record_contact(complaint, method="phone", summary="Called", actor=officer)
    send(complaint, LetterKind.CONTACT_RECORD, officer, "Fri 2026-03-20 10:00")
    assert stage1(complaint).acknowledged_at is None


def test_a_letter_posted_after_the_complaint_was_withdrawn_is_still_recorded(accepted, officer, by_post):
    complaint = accepted()
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Fri 2026-03-20 10:00")
    with at("Fri 2026-03-20 11:00"):
        changes.withdraw(complaint, reason="Sorted out", actor=officer)
    with at("Mon 2026-03-23 10:00"):
        posted = letters.mark_posted(letter.pk, actor=officer)
    assert posted.status == LetterStatus.POSTED
    assert stage1(complaint).acknowledged_at is None
    assert kinds(complaint)[-1] == EventKind.LETTER_POSTED


def test_the_letter_promises_the_response_date_its_own_sending_sets(code_2024, accepted, officer):
    # Before it is sent the case holds a provisional date counted from the last day contact may
    # come (Thu 26 March + 10 working days, over Easter: Tue 14 April); sent on Monday 23 March,
    # the letter itself restarts the clock, so it must promise Wednesday 8 April, not the 14th.
    complaint = accepted()
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-14")
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-23 10:00")
    assert "by Wednesday 8 April 2026" in letter.body
    assert "14 April" not in letter.body
    assert due(complaint, "stage1.response") == end_of("Wed 2026-04-08")


def test_under_the_seed_policy_the_letter_gives_the_date_the_case_holds(accepted, officer):
    complaint = accepted()
    held = due(complaint, "stage1.response")
    letter = send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, "Mon 2026-03-23 10:00")
    assert f"by {held:%A} {held.day} {held:%B %Y}" in letter.body
