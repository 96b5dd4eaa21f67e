"""A customer's visit to their case, and public limits that do not lock out the customer (issue 15).

A visit is its own signed cookie, apart from the staff session: it ends when
the browser closes (no Max-Age, no Expires), after 30 minutes without a
page, when the customer signs out, and when they stop their links. The find
page counts only misses; asking for a new link is counted per address and
email together, and the email goes at most once in ten minutes whoever asks.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from putright.portal import access
from putright.portal.models import CaseLink
from tests.cases.conftest import Journey
from tests.cases.helpers import at
from tests.conftest import sign_in_with_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def text(response) -> str:
    body = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&#x27;", "'").split())


def follow(client: Client, complaint) -> None:
    token = access.issue_link(complaint, "ada@example.org")
    assert client.get(reverse("portal:link", args=[token])).status_code == 302


def case_page(client: Client, complaint):
    return client.get(reverse("portal:case", args=[complaint.reference]))


# The visit -------------------------------------------------------------------------------------


def test_the_visit_cookie_lasts_only_while_the_browser_is_open(journey):
    complaint = journey.until("accepted")
    browser = Client()
    token = access.issue_link(complaint, "ada@example.org")
    response = browser.get(reverse("portal:link", args=[token]))
    cookie = response.cookies[access.VISIT_COOKIE]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Nothing about the case is put in the session staff sign in with.
    assert "sessionid" not in response.cookies
    page = case_page(browser, complaint)
    assert page.status_code == 200
    assert page.cookies[access.VISIT_COOKIE]["max-age"] == ""  # re-signed, still a browser cookie


def test_a_visit_ends_after_thirty_minutes_without_a_page(journey):
    complaint = journey.until("accepted")
    browser = Client()
    with at("Tue 2026-03-03 10:00"):
        follow(browser, complaint)
    with at("Tue 2026-03-03 10:25"):
        assert case_page(browser, complaint).status_code == 200  # each page starts the time again
    with at("Tue 2026-03-03 10:54"):
        assert case_page(browser, complaint).status_code == 200
    with at("Tue 2026-03-03 11:25"):
        gone = case_page(browser, complaint)
    assert gone.status_code == 404
    assert "We could not find that complaint" in text(gone)
    assert gone.cookies[access.VISIT_COOKIE].value == ""  # the stale cookie is deleted


def test_a_forged_visit_cookie_lets_nobody_in(journey):
    complaint = journey.until("accepted")
    browser = Client()
    browser.cookies[access.VISIT_COOKIE] = f'[[{complaint.pk},""]]'
    assert case_page(browser, complaint).status_code == 404


def test_sign_out_is_on_the_case_page_and_ends_the_visit(journey):
    complaint = journey.until("accepted")
    browser = Client(enforce_csrf_checks=True)
    follow(browser, complaint)
    page = case_page(browser, complaint)
    html = page.content.decode()
    sign_out = reverse("portal:sign-out", args=[complaint.reference])
    assert f'<form method="post" action="{sign_out}"' in html
    assert "Sign out" in text(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # A link cannot sign anyone out, nor a post from elsewhere.
    assert browser.get(sign_out).status_code == 405
    assert browser.post(sign_out).status_code == 403
    assert case_page(browser, complaint).status_code == 200
    done = browser.post(sign_out, {"csrfmiddlewaretoken": token}, follow=True)
    assert "You have signed out" in text(done)
    assert case_page(browser, complaint).status_code == 404
    assert browser.get(reverse("portal:review", args=[complaint.reference])).status_code == 404


def test_stopping_the_links_signs_this_browser_out_too(journey):
    complaint = journey.until("accepted")
    browser = Client()
    follow(browser, complaint)
    done = browser.post(reverse("portal:stop-link", args=[complaint.reference]), follow=True)
    assert "Your private links no longer work" in text(done)
    assert "this browser is signed out" in text(done)
    assert CaseLink.objects.filter(revoked_at__isnull=True).count() == 0
    assert case_page(browser, complaint).status_code == 404


def test_a_staff_session_and_a_customer_visit_in_one_browser_do_not_end_each_other(journey, officer):
    complaint = journey.until("accepted")
    browser = Client()
    sign_in_with_code(browser, officer)
    staff_page = reverse("web:case", args=[complaint.reference])
    assert browser.get(staff_page).status_code == 200
    follow(browser, complaint)
    assert case_page(browser, complaint).status_code == 200
    # The customer signs out: the caseworker is still signed in.
    browser.post(reverse("portal:sign-out", args=[complaint.reference]))
    assert case_page(browser, complaint).status_code == 404
    assert browser.get(staff_page).status_code == 200
    # The caseworker signs out: a customer's visit in the same browser stays.
    follow(browser, complaint)
    browser.post(reverse("web:sign-out"))
    assert browser.get(staff_page).status_code == 302
    assert case_page(browser, complaint).status_code == 200


# Limits that do not lock out the customer -----------------------------------------------------


def find(client: Client, reference: str, surname: str = "Lovelace"):
    data = {"reference": reference, "postcode": "NR28 0NB", "surname": surname}
    return client.post(reverse("portal:find"), data)


def test_a_customer_who_finds_their_case_often_is_never_limited(journey):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 09:00"):
        for _ in range(15):
            assert find(Client(), complaint.reference).status_code == 302
        for _ in range(9):  # misses still count
            assert find(Client(), "PR-000000").status_code == 400
        assert find(Client(), complaint.reference).status_code == 302
        assert find(Client(), "PR-000000").status_code == 400
        assert find(Client(), complaint.reference).status_code == 429


def _ask(client: Client, reference: str, email: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("portal:new-link"), {"reference": reference, "email": email})


def test_a_stranger_naming_the_customers_email_cannot_block_their_new_link(journey, delivered_mail):
    complaint = journey.until("accepted")
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    with at("Tue 2026-03-03 09:00"):
        for _ in range(3):
            assert _ask(stranger, complaint.reference, "ada@example.org").status_code == 302
        assert _ask(stranger, complaint.reference, "ada@example.org").status_code == 429
    # The customer's inbox got one link, not three.
    assert len(delivered_mail) == 1
    with at("Tue 2026-03-03 09:15"):
        own = _ask(Client(REMOTE_ADDR="192.0.2.20"), complaint.reference, "ada@example.org")
    assert own.status_code == 302
    assert own["Location"] == reverse("portal:link-sent")
    assert len(delivered_mail) == 2


def test_successful_requests_for_a_link_do_not_use_up_the_address(journey, delivered_mail):
    complaint = journey.until("accepted")
    household = Client(REMOTE_ADDR="192.0.2.20")
    with at("Tue 2026-03-03 09:00"):
        for number in range(12):  # customers in one building, each asking for their own
            complaint.customer.email = f"tenant{number}@example.org"
            complaint.customer.save(update_fields=["email"])
            assert _ask(household, complaint.reference, f"tenant{number}@example.org").status_code == 302
    assert len(delivered_mail) == 12
