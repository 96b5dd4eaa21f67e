"""Internal notes: kept on the case with a staff-only timeline event, apart from the contacts with
the customer; each colleague named (an @mention or the picker) is emailed through the outbox and a
real SMTP server on loopback, once the note commits; a bad note changes nothing and tells nobody."""

from __future__ import annotations

from email.message import Message

import pytest
from django.test import TestCase

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.errors import InvalidInput
from putright.cases.models import CaseNote, EventKind
from putright.cases.services import notes
from putright.comms.models import OutboundEmail
from putright.portal.selectors import customer_case
from tests.cases.helpers import at, kinds, on
from tests.web.helpers import make_user


@pytest.fixture
def mailbox(delivered_mail):
    return delivered_mail


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def _note(complaint, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notes.add_note(complaint, **kwargs)


def test_a_note_with_a_mention_is_kept_and_emails_the_colleague(journey, officer, senior, mailbox):
    complaint = journey.until("contacted")
    senior.email = "sam@example.org"
    senior.save()
    with at("Wed 2026-03-04 10:00"):
        note = _note(complaint, text="@sam can you approve the goodwill payment?", actor=officer)

    assert (note.text, note.author, note.written_at) == (
        "@sam can you approve the goodwill payment?",
        officer,
        on("Wed 2026-03-04 10:00"),
    )
    assert list(note.mentioned.all()) == [senior]
    event = complaint.timeline.last()
    assert event.kind == EventKind.NOTE_ADDED
    assert event.summary == "Internal note (told Sam Staff): @sam can you approve the goodwill payment?"
    # A note is not a contact with the customer, and changes nothing about where the case stands.
    assert complaint.contacts.count() == 1
    complaint.refresh_from_db()
    assert complaint.state == "stage1"

    (message,) = mailbox
    assert message["To"] == "sam@example.org"
    assert message["Subject"] == f"{complaint.reference}: Olivia Staff mentioned you in a note"
    body = _body(message)
    assert "@sam can you approve the goodwill payment?" in body
    assert f"/work/complaints/{complaint.reference}/" in body


def test_the_picker_tells_a_colleague_and_the_writer_is_never_emailed(
    journey, officer, second_officer, mailbox
):
    complaint = journey.until("accepted")
    second_officer.email = "oscar@example.org"
    second_officer.save()
    officer.email = "olivia@example.org"
    officer.save()
    with at("Tue 2026-03-03 09:00"):
        _note(complaint, text="Note to self, and to @olivia.", tell=[second_officer], actor=officer)
    assert [m["To"] for m in mailbox] == ["oscar@example.org"]


def test_a_group_colleague_may_be_named_from_a_subsidiary(journey, frontline, org, mailbox):
    """The group's Senior Managers serve its landlords: an adviser at one can name them."""
    manager = make_user("rachel", Role.SENIOR_MANAGER, org.parent)
    manager.email = "rachel@example.org"
    manager.save()
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 09:00"):
        _note(complaint, text="@rachel the customer asked for a manager to call", actor=frontline)
    assert [m["To"] for m in mailbox] == [manager.email]


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        ("   ", "text", "write the note"),
        (
            "@nobody please call",
            "text",
            "nobody called @nobody works for Victory Housing Trust: check the username",
        ),
        ("x" * 5001, "text", "keep the note to 5000 characters"),
    ],
)
def test_a_bad_note_is_refused_and_changes_nothing(journey, officer, text, field, message, mailbox):
    complaint = journey.until("accepted")
    before = kinds(complaint)
    with at("Tue 2026-03-03 09:00"), pytest.raises(InvalidInput) as refused:
        _note(complaint, text=text, actor=officer)
    assert (refused.value.field, refused.value.detail) == (field, message)
    assert kinds(complaint) == before
    assert not CaseNote.objects.exists()
    assert not OutboundEmail.objects.exists() and not mailbox


def test_a_colleague_of_another_landlord_cannot_be_told(journey, officer, mailbox):
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    stranger = make_user("stan", Role.SENIOR_MANAGER, suffolk)
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 09:00"), pytest.raises(InvalidInput) as refused:
        _note(complaint, text="Please look", tell=[stranger], actor=officer)
    assert refused.value.detail == "choose a colleague who works for Victory Housing Trust"
    assert not CaseNote.objects.exists() and not mailbox


def test_an_email_address_is_not_a_mention():
    assert notes.mentioned_usernames("Email ada@example.org, then tell @amelia.hart.") == ["amelia.hart"]


def test_the_customer_never_sees_a_note(journey, officer):
    complaint = journey.until("contacted")
    with at("Wed 2026-03-04 10:00"):
        notes.add_note(complaint, text="Customer was abusive on the phone; see restriction", actor=officer)
        view = customer_case(complaint.pk)
    assert "abusive" not in repr(view)
