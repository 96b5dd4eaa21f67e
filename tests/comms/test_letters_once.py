"""A letter is sent once, by a role that sends it, with the case's dates as they are, and named by its day.

- Once: the one-time key of the form it was written in is stored with the letter (unique); a
  second send with the key, even at the same moment on another connection, sends nothing more.
- By a role that sends it: ``comms.rights`` maps every kind to the capability of the step it
  reports; the services refuse any other role.
- With the dates as they are: given the case's version the caseworker saw, a step taken since
  refuses the send.
- Named by its day: the download's name carries the London day it was sent, as the letter does.
"""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from putright.accounts.models import Role
from putright.accounts.permissions import ROLE_CAPABILITIES, Capability
from putright.cases.errors import InvalidInput, StaleCase
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import investigation
from putright.comms.letters import rights
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind, OutboundEmail
from tests.cases.helpers import at, kinds
from tests.comms.helpers import at_once
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    send,
)
from tests.conftest import _user

K = LetterKind


def counts(complaint) -> tuple[int, int, int]:
    return (
        Letter.objects.filter(complaint=complaint).count(),
        OutboundEmail.objects.filter(complaint=complaint).count(),
        TimelineEvent.objects.filter(complaint=complaint, kind=EventKind.LETTER_SENT).count(),
    )


def send_with(complaint, kind, actor, key, **more):
    draft = letters.draft(complaint, kind)
    return letters.send_letter(
        complaint.pk,
        kind,
        subject=draft.subject,
        body=draft.body,
        template_id=draft.template.pk,
        actor=actor,
        idempotency_key=key,
        **more,
    )


def pdf_files(settings) -> list[str]:
    return sorted(p.name for p in (settings.MEDIA_ROOT / "letters").rglob("*.pdf"))


# Once ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_send_with_the_same_key_returns_the_letter_and_sends_nothing(journey, officer):
    complaint = journey.until("accepted")
    key = uuid.uuid4().hex
    with at("Mon 2026-03-02 11:30"):
        first = send_with(complaint, K.ACKNOWLEDGEMENT, officer, key)
    with at("Mon 2026-03-02 11:31"):
        again = send_with(complaint, K.ACKNOWLEDGEMENT, officer, key)
    assert again.pk == first.pk
    assert not letters.is_repeat(first) and letters.is_repeat(again)
    assert first.idempotency_key == key
    assert letters.sent_with(key) == first
    assert counts(complaint) == (1, 1, 1)
    # Another key is another letter.
    with at("Mon 2026-03-02 11:32"):
        send_with(complaint, K.ACKNOWLEDGEMENT, officer, uuid.uuid4().hex)
    assert counts(complaint) == (2, 2, 2)


@pytest.mark.django_db
def test_a_key_of_another_complaint_is_refused(journey, officer):
    mine, theirs = journey.until("accepted"), journey.until("accepted")
    key = uuid.uuid4().hex
    with at("Mon 2026-03-02 11:30"):
        send_with(theirs, K.ACKNOWLEDGEMENT, officer, key)
        with pytest.raises(InvalidInput) as refused:
            send_with(mine, K.ACKNOWLEDGEMENT, officer, key)
    assert refused.value.field == "idempotency_key"
    assert counts(mine) == (0, 0, 0)


@pytest.mark.django_db
def test_the_unique_key_catches_a_send_that_missed_the_check(journey, officer, settings, monkeypatch):
    """Were both checks passed (the lock somehow not held), the key's unique constraint stops the
    second row; the letter already stored is returned and no PDF file is left behind."""
    complaint = journey.until("accepted")
    key = uuid.uuid4().hex
    with at("Mon 2026-03-02 11:30"):
        first = send_with(complaint, K.ACKNOWLEDGEMENT, officer, key)
    files = pdf_files(settings)
    real, calls = letters._sent_with, []

    def missing_twice(found_key, complaint_id):
        calls.append(found_key)
        return None if len(calls) <= 2 else real(found_key, complaint_id)

    monkeypatch.setattr(letters, "_sent_with", missing_twice)
    with at("Mon 2026-03-02 11:31"):
        again = send_with(complaint, K.ACKNOWLEDGEMENT, officer, key)
    assert len(calls) == 3, "checked before the PDF, under the lock, then after the constraint"
    assert again.pk == first.pk and letters.is_repeat(again)
    assert counts(complaint) == (1, 1, 1)
    assert pdf_files(settings) == files


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_form_at_the_same_moment_make_one_letter_and_one_email(journey, officer):
    """The reviewer's case: two posts of one form 0.3 s apart both found the form's token unused.
    Here two threads, each with its own connection, send with one key at once (on SQLite and, with
    DATABASE_URL, on PostgreSQL)."""
    complaint = journey.until("accepted")
    draft = letters.draft(complaint, K.ACKNOWLEDGEMENT)
    key = uuid.uuid4().hex

    def post():
        return letters.send_letter(
            complaint.pk,
            K.ACKNOWLEDGEMENT,
            subject=draft.subject,
            body=draft.body,
            template_id=draft.template.pk,
            actor=officer,
            idempotency_key=key,
        )

    with at("Mon 2026-03-02 11:30"):
        sent = at_once(post, count=3)
    assert len({letter.pk for letter in sent}) == 1
    assert sorted(letters.is_repeat(letter) for letter in sent) == [False, True, True]
    assert counts(complaint) == (1, 1, 1)
    assert kinds(complaint).count(EventKind.LETTER_SENT) == 1


# By a role that sends it ----------------------------------------------------------------------------


def test_every_kind_has_a_step_and_every_role_that_sends_letters_has_some_to_send():
    assert set(rights.LETTER_RIGHTS) == set(LetterKind)
    for role, capabilities in ROLE_CAPABILITIES.items():
        for stage in (1, 2, 3):
            theirs = [k for k in LetterKind if rights.needed(k, stage) in capabilities]
            if Capability.SEND_LETTERS in capabilities:
                # The case page's "Write a letter" button asks SEND_LETTERS: never an empty chooser.
                assert theirs, (role, stage)


@pytest.mark.parametrize(
    ("role", "sends"),
    [
        (
            Role.CUSTOMER_SERVICES,
            {K.ACKNOWLEDGEMENT, K.CONTACT_RECORD, K.NOT_ACCEPTED, K.INFORMAL_RESOLUTION, K.DESIGNATED_PERSON},
        ),
        (
            Role.RESOLUTION_OFFICER,
            {
                K.ACKNOWLEDGEMENT,
                K.CONTACT_RECORD,
                K.EVIDENCE_REQUEST,
                K.EXTENSION,
                K.NOT_ACCEPTED,
                K.INFORMAL_RESOLUTION,
                K.STAGE1_RESPONSE,
                K.DESIGNATED_PERSON,
            },
        ),
        (Role.SENIOR_MANAGER, set(LetterKind) - {K.APPEAL_DECISION}),
        (Role.PANEL_MEMBER, {K.APPEAL_INVITATION, K.APPEAL_DECISION}),  # the panel arranges its meeting
        (Role.MANAGER, set()),
        (Role.SAFEGUARDING_LEAD, set()),
        (Role.ADMINISTRATOR, set(LetterKind)),
    ],
)
@pytest.mark.django_db
def test_each_role_sends_the_letters_of_its_own_steps(role, sends, org, team):
    user = _user(f"user-{role}", role, team, org)
    assert set(rights.sendable(user, 1)) == sends
    # An extension at stage 2 is a Senior Manager's, as the extension itself is.
    assert (K.EXTENSION in rights.sendable(user, 2)) == (role in (Role.SENIOR_MANAGER, Role.ADMINISTRATOR))


@pytest.mark.django_db
def test_a_customer_services_adviser_cannot_send_the_appeal_decision_and_a_panel_member_can(
    journey, frontline, org, team
):
    complaint = journey.until("final")
    panel = _user("pat", Role.PANEL_MEMBER, team, org)
    with at("Fri 2026-04-24 11:30"):
        with pytest.raises(rights.NotYourLetter) as refused:
            letters.draft(complaint, K.APPEAL_DECISION, actor=frontline)
        assert "only someone who can record the appeal panel's decision" in refused.value.message
        with pytest.raises(rights.NotYourLetter):
            send_with(complaint, K.APPEAL_DECISION, frontline, uuid.uuid4().hex)
        assert counts(complaint) == (0, 0, 0)
        assert letters.draft(complaint, K.APPEAL_DECISION, actor=panel).kind == K.APPEAL_DECISION
        letter = send_with(complaint, K.APPEAL_DECISION, panel, uuid.uuid4().hex)
    assert letter.sent_by == panel
    assert counts(complaint) == (1, 1, 1)


@pytest.mark.django_db
def test_an_officer_cannot_send_the_stage_2_response(journey, officer, senior):
    complaint = journey.until("responded2")
    with at("Thu 2026-03-19 15:30"), pytest.raises(rights.NotYourLetter):
        send_with(complaint, K.STAGE2_RESPONSE, officer, None)
    assert counts(complaint) == (0, 0, 0)
    with at("Thu 2026-03-19 15:30"):
        send_with(complaint, K.STAGE2_RESPONSE, senior, None)
    assert counts(complaint) == (1, 1, 1)


@pytest.mark.django_db
def test_the_choices_hold_only_the_kinds_the_role_sends(journey, frontline, officer):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-03 11:00"):
        investigation.request_evidence(complaint, description="Photos of the damp", actor=officer)
    complaint.refresh_from_db()
    for_officer = letters.letter_choices(complaint, actor=officer)
    for_adviser = letters.letter_choices(complaint, actor=frontline)
    assert K.EVIDENCE_REQUEST in for_officer.suggested + for_officer.others
    assert K.EVIDENCE_REQUEST not in for_adviser.suggested + for_adviser.others
    assert K.STAGE1_RESPONSE in for_officer.unavailable
    assert K.STAGE1_RESPONSE not in for_adviser.unavailable  # not theirs at all: not listed
    assert K.ACKNOWLEDGEMENT in for_adviser.suggested


# With the dates as they are ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_step_taken_since_the_draft_refuses_the_send(journey, officer):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-03 11:00"):
        draft = letters.draft(complaint, K.CONTACT_RECORD)
        investigation.extend(
            complaint,
            new_due_on=dt.date(2026, 3, 27),
            reason="Waiting for a surveyor",
            actor=officer,
        )
    complaint.refresh_from_db()
    assert complaint.version != draft.version
    with at("Tue 2026-03-03 11:30"), pytest.raises(StaleCase):
        send_with(complaint, K.CONTACT_RECORD, officer, None, expected_version=draft.version)
    assert counts(complaint) == (0, 0, 0)
    with at("Tue 2026-03-03 11:30"):
        send_with(complaint, K.CONTACT_RECORD, officer, None, expected_version=complaint.version)
    assert counts(complaint) == (1, 1, 1)


# Named by its day ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_letter_sent_at_half_past_midnight_in_summer_is_named_by_its_london_day(journey, officer):
    complaint = journey.until("accepted")
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Wed 2026-04-01 00:30")
    assert letter.sent_at.astimezone(dt.UTC).date() == dt.date(2026, 3, 31)  # 23:30 UTC the day before
    assert letters.letter_filename(letter) == f"{complaint.reference}-acknowledgement-2026-04-01.pdf"
