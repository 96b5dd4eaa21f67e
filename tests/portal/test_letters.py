"""The customer's letters: listed on their case page with the day and how each was sent, and downloaded.

A letter is downloaded only by a session let into its own case, with exactly
the case page's check: anything else (no session, a session whose links were
stopped, another case's letter, a letter id that does not exist) is the same
"not found" page as an unknown case. Every letter is made through the real
letter service (tests/web/comms_helpers.py), PDF and all.

The standard journey (tests/cases/conftest.py): accepted Mon 2 March 2026,
phoned Tue 3 March, stage 1 response Thu 12 March 15:00. Ada has an email
address and no postal address, so her letters are emailed; Grace, made here,
reads on paper in large print, so hers are posted.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from putright.cases.models import AdjustmentKind
from putright.cases.services.customers import add_representative, create_customer
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind
from putright.portal import access
from tests.cases.conftest import Journey
from tests.cases.helpers import at, on
from tests.portal.test_complain import main
from tests.portal.test_follow import case_page, let_in
from tests.web.comms_helpers import send

pytestmark = pytest.mark.django_db

SENT = "Thu 2026-03-12 16:00"
LOOKING = "Fri 2026-03-13 09:00"


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


@pytest.fixture
def responded(journey, officer):
    """Ada's complaint with its stage 1 response, and two letters emailed to her the same afternoon."""
    complaint = journey.until("responded")
    with at(SENT):
        contact = send(complaint, officer, LetterKind.CONTACT_RECORD)
        response = send(complaint, officer, LetterKind.STAGE1_RESPONSE)
    return complaint, contact, response


@pytest.fixture
def grace(org):
    return create_customer(
        organisation=org,
        first_name="Grace",
        last_name="Hopper",
        phone="01603 111111",
        address="1 Harbour Row\nGreat Yarmouth",
        postcode="NR30 1AA",
        preferred_contact="letter",
        adjustments=[(AdjustmentKind.LARGE_PRINT, "16 point")],
    )


def letter_url(complaint, letter: Letter) -> str:
    return reverse("portal:letter", args=[complaint.reference, letter.pk])


def download(client: Client, complaint, letter: Letter):
    with at(LOOKING):
        return client.get(letter_url(complaint, letter))


def letters_section(response) -> str:
    words = main(response)
    start = words.index("Letters we have sent you")
    return words[start : words.index("What you can do", start)]


def not_found_words(client: Client) -> str:
    """What this visitor is told for a case that does not exist."""
    with at(LOOKING):
        page = client.get(reverse("portal:case", args=["PR-AAAAAA"]))
    assert page.status_code == 404
    return main(page)


# The list on the case page ------------------------------------------------------------------


def test_the_case_page_lists_each_letter_with_what_it_is_the_day_and_how_it_was_sent(client, responded):
    complaint, contact, response = responded
    let_in(client, complaint)
    with at(LOOKING):
        page = case_page(client, complaint)
    assert page.status_code == 200
    section = letters_section(page)
    assert section == (
        "Letters we have sent you "
        "Letter recording what we talked about (PDF) "
        "Dated Thursday 12 March 2026. Sent by email to ada@example.org. "
        "Our response to your complaint (PDF) "
        "Dated Thursday 12 March 2026. Sent by email to ada@example.org. "
    )
    html = page.content.decode()
    assert f'href="{letter_url(complaint, contact)}"' in html
    assert f'href="{letter_url(complaint, response)}"' in html


def test_a_case_without_letters_has_no_letters_section(client, journey):
    complaint = journey.until("accepted")
    let_in(client, complaint)
    with at(LOOKING):
        page = case_page(client, complaint)
    assert "Letters we have sent you" not in main(page)


def test_a_letter_to_post_says_it_is_being_posted_then_the_day_it_was_posted(client, journey, officer, grace):
    complaint = journey.until("accepted", customer=grace)
    with at("Mon 2026-03-02 11:30"):
        letter = send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
    assert letter.large_print
    let_in(client, complaint)
    with at("Mon 2026-03-02 12:00"):
        waiting = letters_section(case_page(client, complaint))
    assert waiting == (
        "Letters we have sent you "
        "Letter to say we received your complaint (PDF, large print) "
        "Dated Monday 2 March 2026. We are posting it to you. "
    )
    let_in(client, complaint)  # the next day is a new visit
    with at("Tue 2026-03-03 09:00"):
        letters.mark_posted(letter.pk, actor=officer)
        posted = letters_section(case_page(client, complaint))
    assert "Sent by post to you on Tuesday 3 March 2026." in posted


def test_a_letter_sent_to_someone_acting_for_the_customer_is_theirs_too_and_names_who_it_went_to(
    client, journey, officer, customer
):
    councillor = add_representative(
        customer=customer,
        name="Cllr Jones",
        kind="designated_person",
        email="jones@council.example",
        consent_given_at=on("Mon 2026-03-02 09:00"),
        consent_how="Signed form",
    )
    complaint = journey.until("accepted", representative=councillor)
    with at("Mon 2026-03-02 11:30"):
        letter = send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
    assert letter.recipient_name == "Cllr Jones"
    let_in(client, complaint)
    with at("Mon 2026-03-02 12:00"):
        section = letters_section(case_page(client, complaint))
        pdf = client.get(letter_url(complaint, letter))
    assert "Sent by email to Cllr Jones at jones@council.example." in section
    assert pdf.status_code == 200


# The download -------------------------------------------------------------------------------


def test_the_customer_downloads_a_letter_as_the_pdf_we_sent(client, responded):
    complaint, _, response = responded
    let_in(client, complaint)
    reply = download(client, complaint, response)
    assert reply.status_code == 200
    content = b"".join(reply.streaming_content)
    assert content.startswith(b"%PDF")
    response.pdf.open("rb")
    try:
        assert content == response.pdf.read()
    finally:
        response.pdf.close()
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == (
        f'attachment; filename="{complaint.reference}-stage1-response-2026-03-12.pdf"'
    )
    assert reply["Cache-Control"] == "no-store"
    assert reply["X-Content-Type-Options"] == "nosniff"


def test_a_letter_is_only_fetched_not_posted_to(client, responded):
    complaint, _, response = responded
    let_in(client, complaint)
    with at(LOOKING):
        assert client.post(letter_url(complaint, response)).status_code == 405


def test_another_cases_letter_is_not_found_even_through_a_session_let_into_both(
    client, journey, officer, responded
):
    mine, _, my_letter = responded
    other = journey.until("responded")
    with at(SENT):
        their_letter = send(other, officer, LetterKind.STAGE1_RESPONSE)
    let_in(client, mine)
    expected = not_found_words(client)

    # Their letter under my reference, and under theirs: this session was let into mine only.
    for reply in (download(client, mine, their_letter), download(client, other, their_letter)):
        assert reply.status_code == 404
        assert reply["Content-Type"].startswith("text/html")
        assert reply["Cache-Control"] == "no-store"
        assert main(reply) == expected

    # Let into both: a letter still belongs under its own case's address only.
    client.cookies[access.VISIT_COOKIE] = access.signed_visit({mine.pk: "", other.pk: ""})
    assert download(client, mine, their_letter).status_code == 404
    assert download(client, other, my_letter).status_code == 404
    assert download(client, other, their_letter).status_code == 200


def test_a_letter_id_that_does_not_exist_is_not_found_like_the_rest(client, responded):
    complaint, _, _ = responded
    let_in(client, complaint)
    with at(LOOKING):
        reply = client.get(reverse("portal:letter", args=[complaint.reference, 999_999]))
    assert reply.status_code == 404
    assert main(reply) == not_found_words(client)


def test_without_being_let_in_a_letter_is_not_found(responded):
    complaint, _, response = responded
    stranger = Client()
    reply = download(stranger, complaint, response)
    assert reply.status_code == 404
    assert reply["Cache-Control"] == "no-store"
    assert main(reply) == not_found_words(stranger)
    with at(LOOKING):
        assert main(case_page(stranger, complaint)) == main(reply)  # just as the case page says


def test_once_the_links_are_stopped_a_session_let_in_before_cannot_download(responded):
    complaint, _, response = responded
    visitor = Client()
    with at("Thu 2026-03-12 17:00"):
        token = access.issue_link(complaint, "ada@example.org")
        visitor.get(reverse("portal:link", args=[token]))
        assert visitor.get(letter_url(complaint, response)).status_code == 200
    with at("Thu 2026-03-12 17:30"):
        access.revoke_links(complaint)
    reply = download(visitor, complaint, response)
    assert reply.status_code == 404
    assert main(reply) == not_found_words(visitor)


def test_a_letter_sent_at_half_past_midnight_in_summer_is_named_by_its_london_day(client, journey, officer):
    complaint = journey.until("contacted")
    with at("Wed 2026-04-01 00:30"):  # 23:30 on 31 March in UTC
        letter = send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
    let_in(client, complaint)
    reply = download(client, complaint, letter)
    assert reply["Content-Disposition"] == f'attachment; filename="{letters.letter_filename(letter)}"'
    assert letters.letter_filename(letter) == f"{complaint.reference}-acknowledgement-2026-04-01.pdf"


def test_a_letter_whose_pdf_file_is_missing_is_not_found_not_an_error(client, responded):
    complaint, _, response = responded
    response.pdf.storage.delete(response.pdf.name)
    let_in(client, complaint)
    reply = download(client, complaint, response)
    assert reply.status_code == 404
    assert main(reply) == not_found_words(client)
