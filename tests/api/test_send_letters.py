"""Sending a letter over HTTP: the same road as the workspace (its kind allowed now, the caller's role
writes it, never with a blank), once per Idempotency-Key.

The complaint is the standard one of tests/api/helpers.py at stage 1, phoned on Tue 3 March 2026;
Ada (tests/conftest.py) has an email address, so her letters are emailed.
"""

from __future__ import annotations

import pytest

from putright.cases.models import Complaint, EventKind
from putright.comms.models import Letter, OutboundEmail
from tests.api.helpers import Journey, is_problem
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-04 12:00"
BLANK = (
    "this letter would go out with a blank. Fill in Victory Housing Trust's phone number: an administrator "
    "adds it on the Letterheads page (Letter templates, then Letterheads)"
)


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(api, customer, frontline, officer, senior) -> Complaint:
    reference = Journey(api, customer, frontline, officer, senior).until("contacted")["reference"]
    return Complaint.objects.get(reference=reference)


def send(client, case: Complaint, body: dict, **kwargs):
    with at(NOW):
        return client.post(f"complaints/{case.reference}/letters", body, **kwargs)


def test_a_letter_is_sent_from_its_template_once_per_key(api, officer, case):
    body = {"kind": "contact_record", "version": case.version}
    reply = send(api.as_(officer), case, body, idempotency_key="letter-1")
    assert reply.status_code == 201, reply.content
    sent = reply.json()
    assert (sent["kind"], sent["status"], sent["email"]) == ("contact_record", "emailed", "ada@example.org")
    again = send(api.as_(officer), case, body, idempotency_key="letter-1")
    assert again.status_code == 201 and again.json()["id"] == sent["id"]
    (letter,) = Letter.objects.all()
    assert "0808 157 0001" in letter.body
    assert OutboundEmail.objects.filter(letter=letter).count() == 1
    assert case.timeline.filter(kind=EventKind.LETTER_SENT).count() == 1


def test_a_letter_with_a_blank_is_refused_naming_it_and_nothing_is_sent(api, officer, case, org):
    org.parent.phone = ""
    org.parent.save(update_fields=["phone"])
    reply = send(api.as_(officer), case, {"kind": "contact_record", "version": case.version})
    problem = is_problem(reply, 422, "invalid")
    assert problem["errors"] == [{"field": "blanks", "message": BLANK}]
    assert not Letter.objects.exists() and not OutboundEmail.objects.exists()


def test_a_kind_the_case_does_not_allow_and_a_stale_version_are_refused(api, officer, case):
    reply = send(api.as_(officer), case, {"kind": "stage2_response", "version": case.version})
    assert is_problem(reply, 422, "invalid")["errors"][0]["field"] == "kind"
    stale = send(api.as_(officer), case, {"kind": "contact_record", "version": case.version - 1})
    is_problem(stale, 409, "stale-version")
    assert not Letter.objects.exists()


def test_a_role_that_does_not_write_letters_is_forbidden(api, case, manager):
    forbidden = send(api.as_(manager), case, {"kind": "contact_record", "version": case.version})
    is_problem(forbidden, 403, "forbidden")
    assert not Letter.objects.exists()
