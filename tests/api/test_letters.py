"""Letters over HTTP: the letters sent on a complaint, listed, and each downloaded as the PDF that was sent.

The letters are made through the real letter service (tests/web/comms_helpers.py).
The complaint is the standard one of tests/api/helpers.py, accepted by Olivia on
Mon 2 March 2026 at 11:00 and phoned on Tue 3 March; Ada (tests/conftest.py) has
an email address and no postal address, so her letters are emailed; Grace,
made here, reads on paper in large print, so hers are posted.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, User
from putright.api.main import api as ninja_api
from putright.cases.models import AdjustmentKind, Complaint
from putright.cases.services import triage
from putright.cases.services.customers import create_customer
from putright.cases.services.intake import log_complaint
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind
from tests.api.conftest import instant
from tests.api.helpers import Journey, is_problem
from tests.cases.helpers import at, on
from tests.web.comms_helpers import send

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-04 12:00"
LIST = "/api/v1/complaints/{reference}/letters"
PDF = "/api/v1/complaints/{reference}/letters/{letter_id}/pdf"


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(api, customer, frontline, officer, senior) -> Complaint:
    """Ada's complaint at stage 1, with its acknowledgement and the record of the call emailed to her."""
    reference = Journey(api, customer, frontline, officer, senior).until("contacted")["reference"]
    complaint = Complaint.objects.get(reference=reference)
    with at("Tue 2026-03-03 10:00"):
        send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
        send(complaint, officer, LetterKind.CONTACT_RECORD)
    return complaint


@pytest.fixture
def elsewhere(other_org, other_org_customer) -> Letter:
    """A letter on a complaint of Suffolk Housing, a landlord Victory's staff do not work for."""
    officer = User.objects.create_user(
        username="suffolk-officer", password=None, role=Role.RESOLUTION_OFFICER, first_name="Sue"
    )
    officer.organisations.add(other_org)
    with at("Mon 2026-03-02 10:00"):
        complaint = log_complaint(
            organisation=other_org,
            customer=other_org_customer,
            channel="phone",
            received_at=on("Mon 2026-03-02 10:00"),
            summary="Damp in the bedroom",
            description="Black mould on the bedroom wall since November.",
            points=["The damp was not treated"],
            category="service_failure",
            actor=officer,
        )
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        return send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)


def list_url(complaint: Complaint) -> str:
    return LIST.format(reference=complaint.reference)


def pdf_url(letter: Letter) -> str:
    return PDF.format(reference=letter.complaint.reference, letter_id=letter.pk)


def get(client, url: str):
    with at(NOW):
        return client.get(url)


# Listing ------------------------------------------------------------------------------------


def test_the_letters_are_listed_oldest_first_with_how_and_when_each_was_sent(api, officer, case):
    reply = get(api.as_(officer), list_url(case))

    assert reply.status_code == 200, reply.content
    acknowledgement, contact = reply.json()
    first, second = Letter.objects.filter(complaint=case).order_by("sent_at", "pk")
    assert instant(acknowledgement.pop("sent_at")) == on("Tue 2026-03-03 10:00")
    assert acknowledgement == {
        "id": first.pk,
        "kind": "acknowledgement",
        "kind_label": "Acknowledgement",
        "stage": 1,
        "subject": first.subject,
        "recipient_name": "Ada Lovelace",
        "email": "ada@example.org",
        "status": "emailed",
        "status_label": "Sent by email",
        "sent_by": {"username": "olivia", "name": str(officer)},
        "posted_at": None,
        "template_version": 1,
        "large_print": False,
        "download": pdf_url(first),
    }
    assert (contact["id"], contact["kind"], contact["download"]) == (
        second.pk,
        "contact_record",
        pdf_url(second),
    )
    assert acknowledgement["subject"]


def test_a_posted_letter_says_when_it_was_posted(api, org, officer, log):
    grace = create_customer(
        organisation=org,
        first_name="Grace",
        last_name="Hopper",
        address="1 Harbour Row\nGreat Yarmouth",
        postcode="NR30 1AA",
        preferred_contact="letter",
        adjustments=[(AdjustmentKind.LARGE_PRINT, "16 point")],
    )
    with at("Mon 2026-03-02 10:00"):
        complaint = log("2026-03-02 10:00", customer=grace)
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        letter = send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
    olivia = api.as_(officer)
    (waiting,) = get(olivia, list_url(complaint)).json()
    with at("Tue 2026-03-03 09:00"):
        letters.mark_posted(letter.pk, actor=officer)

    (posted,) = get(olivia, list_url(complaint)).json()

    assert (waiting["status"], waiting["status_label"], waiting["posted_at"]) == (
        "to_post",
        "Waiting to be posted",
        None,
    )
    assert (posted["status"], posted["email"], posted["recipient_name"], posted["large_print"]) == (
        "posted",
        "",
        "Grace Hopper",
        True,
    )
    assert instant(posted["posted_at"]) == on("Tue 2026-03-03 09:00")


def test_a_complaint_without_letters_lists_none(api, customer, frontline, officer, senior):
    reference = Journey(api, customer, frontline, officer, senior).until("accepted")["reference"]
    reply = get(api.as_(officer), LIST.format(reference=reference))
    assert (reply.status_code, reply.json()) == (200, [])


def test_the_list_reads_a_fixed_number_of_queries_however_many_letters(api, officer, case):
    client = api.as_(officer)
    get(client, list_url(case))  # the token's first use is recorded once

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get(client, list_url(case)).status_code == 200
        return len(queries)

    two = count()
    with at("Tue 2026-03-03 11:00"):
        for _ in range(3):
            send(case, officer, LetterKind.CONTACT_RECORD)
    assert count() == two


# Downloading --------------------------------------------------------------------------------


def test_a_letter_is_downloaded_as_the_pdf_that_was_sent(api, officer, case):
    letter = Letter.objects.filter(complaint=case, kind=LetterKind.ACKNOWLEDGEMENT).get()

    reply = get(api.as_(officer), pdf_url(letter))

    assert reply.status_code == 200
    content = b"".join(reply.streaming_content)
    assert content.startswith(b"%PDF")
    letter.pdf.open("rb")
    try:
        assert content == letter.pdf.read()
    finally:
        letter.pdf.close()
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-acknowledgement-2026-03-03.pdf"'
    )
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in reply["Cache-Control"]


def test_the_download_address_in_the_list_works(api, officer, case):
    client = api.as_(officer)
    for listed in get(client, list_url(case)).json():
        assert get(client, listed["download"]).status_code == 200


# Who may see them ---------------------------------------------------------------------------


def test_another_landlords_letters_are_not_found_like_a_missing_complaint(api, officer, elsewhere):
    olivia = api.as_(officer)
    theirs = elsewhere.complaint

    listed = is_problem(get(olivia, list_url(theirs)), 404, "not-found")
    missing = is_problem(get(olivia, LIST.format(reference="PR-AAAAAA")), 404, "not-found")
    assert listed["title"] == missing["title"]
    is_problem(get(olivia, pdf_url(elsewhere)), 404, "not-found")


def test_a_letter_of_another_complaint_is_not_found_under_this_one(api, officer, case, elsewhere):
    olivia = api.as_(officer)
    for letter_id in (elsewhere.pk, 999_999):
        reply = get(olivia, PDF.format(reference=case.reference, letter_id=letter_id))
        problem = is_problem(reply, 404, "not-found")
        assert problem["detail"] == f"No letter {letter_id} on complaint {case.reference}."


def test_without_credentials_is_401(api, case):
    anonymous = api.anonymous()
    letter = case.letters.first()
    for url in (list_url(case), pdf_url(letter)):
        reply = get(anonymous, url)
        is_problem(reply, 401, "unauthenticated")
        assert reply["WWW-Authenticate"] == "Bearer"


# The OpenAPI document -----------------------------------------------------------------------


def test_the_openapi_document_has_both_paths_and_their_answers():
    paths = ninja_api.get_openapi_schema()["paths"]

    listing = paths[LIST]["get"]
    assert set(listing["responses"]) >= {200, 401, 403, 404}
    item = listing["responses"][200]["content"]["application/json"]["schema"]["items"]
    assert item["$ref"].endswith("/LetterOut")
    assert "application/problem+json" in listing["responses"][404]["content"]

    download = paths[PDF]["get"]
    assert download["responses"][200]["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    assert "application/problem+json" in download["responses"][404]["content"]
    assert download["security"]
    assert {p["name"] for p in download["parameters"]} == {"reference", "letter_id"}


def test_a_letter_sent_at_half_past_midnight_in_summer_is_named_by_its_london_day(api, officer, case):
    with at("Wed 2026-04-01 00:30"):  # 23:30 on 31 March in UTC
        letter = send(case, officer, LetterKind.ACKNOWLEDGEMENT)
    reply = get(api.as_(officer), pdf_url(letter))
    assert reply["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-acknowledgement-2026-04-01.pdf"'
    )
    assert letters.letter_filename(letter) == f"{case.reference}-acknowledgement-2026-04-01.pdf"


def test_a_letter_whose_pdf_file_is_missing_is_a_404_problem_not_an_error(api, officer, case):
    letter = Letter.objects.filter(complaint=case, kind=LetterKind.ACKNOWLEDGEMENT).get()
    letter.pdf.storage.delete(letter.pdf.name)
    problem = is_problem(get(api.as_(officer), pdf_url(letter)), 404, "not-found")
    assert "missing" in problem["detail"]
