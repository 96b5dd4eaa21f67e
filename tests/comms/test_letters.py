"""Sending letters: one transaction, an email in the outbox or a letter to post, and its trace."""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import customers, triage
from putright.comms.letters.services import letters, templates
from putright.comms.models import Letter, LetterKind, LetterStatus, OutboundEmail
from tests.cases.helpers import at, kinds, last_event, on
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_bytes,
    pdf_text,
    send,
)

K = LetterKind
pytestmark = pytest.mark.django_db


def not_accepted(log, actor, **fields):
    """A complaint received and not accepted at triage: the not accepted letter can then be written."""
    with at("Mon 2026-03-02 10:00"):
        complaint = log("2026-03-02 10:00", **fields)
        triage.not_accept(
            complaint, reason="neighbour_or_asb", explanation="This is about noise next door.", actor=actor
        )
    complaint.refresh_from_db()
    return complaint


def counts(complaint) -> tuple[int, int, int, int]:
    return (
        Letter.objects.filter(complaint=complaint).count(),
        OutboundEmail.objects.filter(complaint=complaint).count(),
        TimelineEvent.objects.filter(complaint=complaint).count(),
        complaint.__class__.objects.get(pk=complaint.pk).version,
    )


def test_a_letter_to_a_customer_without_a_postal_address_is_emailed_with_its_pdf(journey, officer):
    complaint = journey.until("accepted")
    version = complaint.version
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")

    assert letter.status == LetterStatus.EMAILED
    assert letter.email == "ada@example.org"
    assert letter.pdf.name.endswith(f"{complaint.reference}-acknowledgement.pdf")
    email = OutboundEmail.objects.get(letter=letter)
    assert (email.to, email.purpose, email.complaint_id) == (["ada@example.org"], "letter", complaint.pk)
    assert email.subject == letter.subject
    assert "Tuesday 3 March 2026 at 10:00" in email.body_text
    assert "Tuesday 3 March 2026 at 10:00" in email.body_html
    [attachment] = email.attachments.all()
    assert attachment.filename == f"{complaint.reference}-acknowledgement.pdf"
    assert attachment.mimetype == "application/pdf"
    assert bytes(attachment.content).startswith(b"%PDF")
    assert bytes(attachment.content) == pdf_bytes(letter)

    event = complaint.timeline.get(kind=EventKind.LETTER_SENT)
    template = templates.current(K.ACKNOWLEDGEMENT)
    assert event.summary == f"Acknowledgement sent by email to ada@example.org (template v{template.version})"
    assert event.data["letter_id"] == letter.pk
    assert event.data["template_version"] == template.version
    assert event.actor == officer
    # A letter is not a step of the procedure: the case's state stands. The acknowledgement
    # letter acknowledges the stage, a step of its own (issue 13, ack: see
    # tests/comms/test_acknowledgement_letters.py).
    complaint.refresh_from_db()
    assert (complaint.version, complaint.state) == (version + 1, "stage1")
    assert kinds(complaint)[-2:] == [EventKind.LETTER_SENT, EventKind.ACKNOWLEDGED]


def test_a_customer_who_prefers_letters_gets_one_to_post_and_no_email(log, officer, landlord, customer):
    customer.address = "12 Mundesley Road\nNorth Walsham"
    customer.preferred_contact = "letter"
    customer.save(update_fields=["address", "preferred_contact"])
    with at("Mon 2026-03-02 10:00"):
        complaint = log("2026-03-02 10:00")
    with at("Mon 2026-03-02 11:00"):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")

    assert letter.status == LetterStatus.TO_POST
    assert letter.email == ""
    assert letter.recipient_address == "12 Mundesley Road\nNorth Walsham\nNR28 0NB"
    assert not OutboundEmail.objects.filter(complaint=complaint).exists()
    assert "12 Mundesley Road" in pdf_text(letter)
    assert last_event(complaint).summary.startswith(
        "Acknowledgement ready to post to Ada Lovelace (template v"
    )


def test_mark_posted_records_once(log, officer, landlord, customer):
    customer.address = "12 Mundesley Road"
    customer.preferred_contact = "letter"
    customer.save(update_fields=["address", "preferred_contact"])
    complaint = not_accepted(log, officer)
    letter = send(complaint, K.NOT_ACCEPTED, officer, "Mon 2026-03-02 10:30")

    with at("Tue 2026-03-03 09:00"):
        posted = letters.mark_posted(letter.pk, actor=officer)
    assert posted.status == LetterStatus.POSTED
    assert posted.posted_at == on("Tue 2026-03-03 09:00")
    before = counts(complaint)
    with at("Tue 2026-03-03 10:00"), pytest.raises(InvalidInput) as refused:
        letters.mark_posted(letter.pk, actor=officer)
    assert "already recorded as posted on Tuesday 3 March 2026" in refused.value.message
    assert counts(complaint) == before
    assert kinds(complaint).count(EventKind.LETTER_POSTED) == 1
    letter.refresh_from_db()
    assert letter.posted_at == on("Tue 2026-03-03 09:00")


def test_an_emailed_letter_cannot_be_marked_posted(journey, officer):
    complaint = journey.until("accepted")
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    with pytest.raises(InvalidInput, match="sent by email"):
        letters.mark_posted(letter.pk, actor=officer)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"body": "\n\n  "}, "body"),
        ({"kind": K.STAGE1_RESPONSE}, "template_id"),
        ({"template_id": 999_999}, "template_id"),
    ],
)
def test_a_refused_letter_changes_nothing(journey, officer, change, field):
    complaint = journey.until("accepted")
    template = templates.current(K.ACKNOWLEDGEMENT)
    arguments = {
        "kind": K.ACKNOWLEDGEMENT,
        "subject": "Hello",
        "body": "Dear Ada",
        "template_id": template.pk,
    }
    arguments.update(change)
    before = counts(complaint)
    with pytest.raises(InvalidInput) as refused:
        letters.send_letter(complaint.pk, arguments.pop("kind"), actor=officer, **arguments)
    assert refused.value.field == field
    assert counts(complaint) == before


def test_a_letter_keeps_its_template_version_and_words_after_the_template_changes(journey, officer, senior):
    complaint = journey.until("accepted")
    first = templates.current(K.ACKNOWLEDGEMENT)
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    newer = templates.save_version(
        K.ACKNOWLEDGEMENT,
        subject="Complaint {{ reference }} received",
        body="Dear {{ recipient_name }},\n\nWe have it.",
        note="Shorter",
        based_on=first.version,
        actor=senior,
    )
    assert newer.version == first.version + 1
    letter.refresh_from_db()
    assert letter.template == first
    assert "Tuesday 3 March 2026 at 10:00" in letter.body
    assert letters.draft(complaint, K.ACKNOWLEDGEMENT).subject == f"Complaint {complaint.reference} received"
    second = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 12:00")
    assert second.template == newer
    assert last_event(complaint).data["template_version"] == newer.version


def test_the_caseworkers_edits_are_what_is_sent(journey, officer):
    complaint = journey.until("accepted")
    draft = letters.draft(complaint, K.ACKNOWLEDGEMENT)
    with at("Mon 2026-03-02 11:30"):
        letter = letters.send_letter(
            complaint.pk,
            K.ACKNOWLEDGEMENT,
            subject=draft.subject,
            body=draft.body + "\n\nP.S. <b>The roofer</b> & I will visit on Friday.",
            template_id=draft.template.pk,
            actor=officer,
        )
    text = pdf_text(letter)
    assert "P.S. <b>The roofer</b> & I will visit on Friday." in text  # escaped, not markup
    assert "<b>" not in OutboundEmail.objects.get(letter=letter).body_html.replace("&lt;b&gt;", "")


def test_a_draft_shows_large_print_and_the_needs_to_act_on(log, officer, landlord, org):
    person = customers.create_customer(
        organisation=org,
        first_name="Bob",
        last_name="Reader",
        email="bob@example.org",
        adjustments=[
            ("large_print", ""),
            ("easy_read", ""),
            ("other_language", "Polish"),
            ("bsl_interpreter", ""),
        ],
    )
    complaint = not_accepted(log, officer, customer=person)
    draft = letters.draft(complaint, K.NOT_ACCEPTED)
    assert draft.large_print is True
    assert draft.needs == [
        "British Sign Language requested: offer a BSL interpreter or a BSL video of this letter",
        "Easy read requested: send an easy read version as well",
        "Another language requested (Polish): send a translation as well",
    ]
    assert (draft.recipient_name, draft.email) == ("Bob Reader", "bob@example.org")
    letter = send(complaint, K.NOT_ACCEPTED, officer, "Mon 2026-03-02 10:30")
    assert letter.large_print is True


def test_a_consenting_representative_receives_the_letters(log, officer, landlord, customer):
    helper = customers.add_representative(
        customer=customer,
        name="Carol Carer",
        kind="family_or_friend",
        email="carol@example.org",
        consent_given_at=on("Mon 2026-03-02 09:00"),
        consent_how="Told us on the phone",
    )
    complaint = not_accepted(log, officer, representative=helper)
    letter = send(complaint, K.NOT_ACCEPTED, officer, "Mon 2026-03-02 10:30")
    assert (letter.recipient_name, letter.email) == ("Carol Carer", "carol@example.org")
    assert "Dear Carol Carer" in letter.body


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        ("received", []),
        # Only what the case's facts allow: no contact, evidence request or extension is recorded yet.
        ("accepted", [K.ACKNOWLEDGEMENT]),
        ("contacted", [K.ACKNOWLEDGEMENT, K.CONTACT_RECORD]),
        ("responded", [K.STAGE1_RESPONSE]),
        ("escalated", [K.ACKNOWLEDGEMENT]),
        ("contacted2", [K.ACKNOWLEDGEMENT, K.CONTACT_RECORD]),
        ("responded2", [K.STAGE2_RESPONSE]),
        ("appealed", []),  # nothing until the appeal is refused, evidence asked for or a meeting arranged
        ("scheduled", [K.APPEAL_INVITATION]),
        ("decided", []),  # the decision letter waits for the final response
        ("final", [K.APPEAL_DECISION]),
    ],
)
def test_suggested_letters_follow_the_state(journey, until, expected):
    complaint = journey.until(until)
    assert letters.suggested_kinds(complaint) == expected


def test_a_letter_already_sent_goes_to_the_back_of_the_suggestions(journey, officer):
    complaint = journey.until("contacted")
    send(complaint, K.ACKNOWLEDGEMENT, officer, "Tue 2026-03-03 11:30")
    assert letters.suggested_kinds(complaint)[0] == K.CONTACT_RECORD
    assert letters.suggested_kinds(complaint)[-1] == K.ACKNOWLEDGEMENT
