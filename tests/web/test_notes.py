"""Internal notes on the case page: a section of their own (apart from the contacts with the
customer), a form that tells a colleague, refusals on the form, who may write them, and queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import CaseNote
from putright.cases.services import notes
from putright.comms.models import OutboundEmail
from tests.cases.helpers import at, kinds
from tests.web.helpers import make_user
from tests.web.helpers import text as text_of
from tests.web.test_case_page import open_page, stage1_case

NOTE_URL = "/work/complaints/{reference}/notes/"


@pytest.fixture
def outbox(settings):
    """Django's mail goes to the outbox, as in production."""
    settings.EMAIL_BACKEND = "putright.comms.email.outbox.OutboxBackend"


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


def _post(client, user, complaint, when: str, data: dict):
    with at(when):
        client.force_login(user)
        return client.post(NOTE_URL.format(reference=complaint.reference), data)


def test_a_note_from_the_case_page_tells_the_colleague_picked(client, case, officer, senior, outbox):
    senior.email = "sam@example.org"
    senior.save()
    page = open_page(client, officer, case, "Tue 2026-03-17 09:00")
    assert "Internal notes" in text_of(page) and "No internal notes yet." in text_of(page)
    assert 'id="note-form"' in page.content.decode()

    done = _post(
        client,
        officer,
        case,
        "Tue 2026-03-17 09:05",
        {"text": "Customer prefers afternoons.", "tell": senior.pk},
    )
    assert done.status_code == 302
    assert done["Location"] == f"/work/complaints/{case.reference}/#notes"
    (email,) = OutboundEmail.objects.all()
    assert email.to == ["sam@example.org"]
    page = open_page(client, officer, case, "Tue 2026-03-17 09:06")
    text = text_of(page)
    assert "Note added: Sam Staff emailed." in text
    assert (
        "Olivia Staff, Tuesday 17 March 2026 at 09:05 – told Sam Staff Customer prefers afternoons." in text
    )
    # Not a contact with the customer.
    assert "No contacts recorded yet." in text


def test_a_mention_of_nobody_is_refused_on_the_form_and_nothing_is_kept(client, case, officer, outbox):
    before = kinds(case)
    refused = _post(client, officer, case, "Tue 2026-03-17 09:05", {"text": "@nobody call back"})
    assert refused.status_code == 400
    text = text_of(refused)
    assert "There is a problem" in text
    assert "Nobody called @nobody works for Victory Housing Trust: check the username" in text
    blank = _post(client, officer, case, "Tue 2026-03-17 09:05", {"text": ""})
    assert "Enter the note" in text_of(blank)
    assert kinds(case) == before
    assert not CaseNote.objects.exists() and not OutboundEmail.objects.exists()


def test_a_view_only_manager_cannot_write_a_note_and_a_stranger_finds_no_case(client, case, org, outsider):
    manager = make_user("mandy", Role.MANAGER, org)
    assert _post(client, manager, case, "Tue 2026-03-17 09:05", {"text": "Hello"}).status_code == 403
    assert 'id="note-form"' not in open_page(client, manager, case, "Tue 2026-03-17 09:05").content.decode()
    assert _post(client, outsider, case, "Tue 2026-03-17 09:05", {"text": "Hello"}).status_code == 404
    assert not CaseNote.objects.exists()


def _queries(client, user, complaint) -> int:
    client.force_login(user)
    with at("Wed 2026-03-18 09:00"), CaptureQueriesContext(connection) as queries:
        assert client.get(f"/work/complaints/{complaint.reference}/").status_code == 200
    return len(queries)


def test_the_page_reads_as_many_queries_for_one_note_as_for_ten(client, log, officer, senior, second_officer):
    for colleague in (senior, second_officer):
        colleague.email = f"{colleague.username}@example.org"
        colleague.save()
    small, large = stage1_case(log, officer), stage1_case(log, officer)
    with at("Tue 2026-03-17 09:00"):
        notes.add_note(small, text="One note", actor=officer)
        for n in range(10):
            notes.add_note(large, text=f"Note {n} for @sam", tell=[second_officer], actor=officer)
    assert _queries(client, officer, small) == _queries(client, officer, large)
