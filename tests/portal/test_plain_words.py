"""The public pages in plain words: reasons, rules, sizes and emails as a customer reads them.

Dates: the Journey's complaint is received on Mon 2 March 2026 and answered at
stage 1 on Thu 12 March 2026 (see tests/cases/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from putright.cases.services import customers, triage
from tests.cases.conftest import Journey
from tests.cases.helpers import at
from tests.portal.test_complain import TENANT, fill, main, send
from tests.portal.test_follow import _ask_for_link, _part, mailbox  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def _let_in(client: Client, complaint, when: str = "Fri 2026-03-13 09:00") -> None:
    with at(when):
        client.post(
            reverse("portal:find"),
            {"reference": complaint.reference, "postcode": "NR28 0NB", "surname": "Lovelace"},
        )


def _page(client: Client, name: str, complaint, *args: object) -> str:
    return main(client.get(reverse(f"portal:{name}", args=[complaint.reference, *args])))


def test_the_email_sent_with_a_new_complaint_does_not_ask_if_they_asked_for_it(
    client,
    org,
    mailbox,  # noqa: F811 (the fixture imported above)
    django_capture_on_commit_callbacks,
):
    with at("Thu 2026-12-24 15:00"):
        fill(client)
        with django_capture_on_commit_callbacks(execute=True):
            send(client)
    [message] = mailbox
    plain, html = _part(message, "text/plain"), _part(message, "text/html")
    assert "If you did not ask for it" not in plain and "If you did not ask for it" not in html
    assert "ask for a new one here: http://testserver/your-complaint/new-link/" in plain
    assert 'href="http://testserver/your-complaint/new-link/">ask for a new one</a>' in html


def test_a_link_asked_for_says_what_to_do_if_it_was_not_them(journey, mailbox):  # noqa: F811
    complaint = journey.until("responded")
    _ask_for_link(Client(), complaint.reference, "ada@example.org")
    [message] = mailbox
    assert "If you did not ask for it, you do not need to do anything." in _part(message, "text/plain")


def test_a_case_not_accepted_can_go_to_the_ombudsman_now_without_waiting_for_a_final_response(
    client, journey, frontline
):
    complaint = journey.until("received")
    with at("Mon 2026-03-02 11:00"):
        triage.not_accept(
            complaint, reason="not_about_us", explanation="It is about the council", actor=frontline
        )
    _let_in(client, complaint)
    with at("Fri 2026-03-13 09:00"):
        page = _page(client, "case", complaint)
    ombudsman = page[page.index("The Housing Ombudsman") :]
    assert "You can contact the Housing Ombudsman Service about our decision now." in ombudsman
    assert "final response" not in ombudsman


def test_the_appeal_page_says_who_can_come_to_the_meeting_as_the_policy_says(client, journey):
    complaint = journey.until("responded2")
    _let_in(client, complaint, "Fri 2026-03-20 09:00")
    with at("Fri 2026-03-20 09:00"):
        page = _page(client, "appeal", complaint)
    assert (
        "We will agree a date for the meeting with you. You can bring someone with you for support, "
        "but not a legal representative such as a solicitor." in page
    )


def test_the_add_information_page_marks_nothing_optional_and_gives_the_file_types_and_size(client, journey):
    complaint = journey.until("accepted")
    _let_in(client, complaint)
    with at("Fri 2026-03-13 09:00"):
        page = _page(client, "information", complaint)
        review = _page(client, "withdraw", complaint)
    assert "(optional)" not in page
    assert "You can do one or both." in page
    assert "A PDF, PNG, JPEG or plain text file, up to 10 MB." in page
    assert "Why are you withdrawing it? (optional)" in review  # truly optional there


def test_the_file_size_limit_is_said_the_same_way_on_every_page(client, org, settings):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024 // 2  # 2.5 MB
    assert "PDF, PNG, JPEG or plain text files, up to 2.5 MB each" in main(client.get("/"))
    fill(client, {"who": TENANT["who"]})
    assert "up to 2.5 MB" in main(client.get("/complain/evidence/"))
    html = client.get("/complain/evidence/").content.decode()
    assert re.search(r'<input type="file"[^>]*accept="\.pdf,\.png,\.jpg,\.jpeg,\.txt"', html)


def test_withdrawing_consent_asks_about_the_person_by_name(client, journey):
    complaint = journey.until("accepted")
    person = customers.add_representative(
        customer=complaint.customer,
        name="Jo Bloggs MP",
        kind="designated_person",
        role="MP",
        consent_given_at=timezone.now(),
        consent_how="given online by the customer",
    )
    _let_in(client, complaint)
    with at("Fri 2026-03-13 09:00"):
        page = _page(client, "consent-withdraw", complaint, person.pk)
    assert "Do you want Jo Bloggs MP to stop acting for you?" in page
    assert "Are you sure?" not in page
