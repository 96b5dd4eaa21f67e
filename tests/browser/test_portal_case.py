"""In a real browser: a customer follows their case with the emailed link, reads the response,
asks for a review and, after the review's response, an appeal.

The email goes through the outbox and the worker's delivery to a real SMTP server on loopback
(aiosmtpd), and the link is read from it.
Every page of the customer's case is checked with axe-core, empty and with errors, at 1280 and
at 320 px wide, where nothing may scroll sideways. A tampered link and an expired one show the
same clear page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message

import pytest

from putright.cases.models import Complaint
from putright.cases.services import responses
from putright.comms.email import delivery
from putright.portal import access, limits
from putright.portal.views.case import FIND_LIMIT
from putright.procedure.wording import day_of
from tests.browser.conftest import EXPECTED_STATUSES, check_accessibility, screenshot
from tests.cases.conftest import Journey, all_points
from tests.cases.helpers import LONDON, at

pytestmark = pytest.mark.django_db(transaction=True)

#: The customer's pages answer these on purpose too: a link or case that is not theirs (404),
#: a step the procedure does not allow now (409).
ANSWERS = (*EXPECTED_STATUSES, "status of 404 (Not Found)", "status of 409 (Conflict)")


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """The browser tests' page, also accepting the customer's pages' deliberate 404 and 409."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield opened
    context.close()
    errors = [e for e in errors if not any(answer in e for answer in ANSWERS)]
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


@pytest.fixture
def mailbox(smtp_server) -> list[Message]:
    """What the worker's delivery hands to a real SMTP server on loopback (aiosmtpd)."""
    return smtp_server.messages


def link_from(mailbox: list[Message]) -> str:
    """The path of the private link in the one email delivered from the outbox.

    The page stored the email in the outbox with the link; the worker's
    delivery, run here once, takes it to the SMTP server.
    """
    assert delivery.deliver_due()["sent"] == 1
    (message,) = mailbox
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
    found = re.search(r"https?://[^/\s]+(/your-complaint/link/\S+/)", body.decode())
    assert found, body
    return found.group(1)


def check_both_widths(page) -> None:
    """axe-core at 1280 px, then at 320 px with nothing scrolling sideways."""
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px: {width} px wide"
    page.set_viewport_size({"width": 1280, "height": 900})


def check_form(page, path: str, heading: str, error: str) -> None:
    """Open a form, check it; send it empty, check the error summary names the problem, check again."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    check_both_widths(page)
    page.locator("#main-form button[type=submit]").click()
    assert page.title().startswith("Error: ")
    assert error in page.locator(".govuk-error-summary").inner_text()
    check_both_widths(page)
    page.goto(path)


def banner(page) -> str:
    return page.locator(
        ".govuk-notification-banner--success .govuk-notification-banner__heading"
    ).inner_text()


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def case_path(complaint: Complaint, step: str = "") -> str:
    return f"/your-complaint/{complaint.reference}/" + (f"{step}/" if step else "")


def test_a_customer_follows_their_case_asks_for_a_review_then_an_appeal(page, journey, senior, mailbox):
    complaint = journey.until("responded")

    check_form(page, "/your-complaint/", "Follow your complaint", "Enter your complaint reference")
    page.get_by_role("link", name="Email me a new link").click()
    check_form(page, "/your-complaint/new-link/", "Email me a new link", "Enter your email address")
    page.get_by_label("Your complaint reference").fill(complaint.reference.lower())
    page.get_by_label("Your email address").fill("ada@example.org")
    page.get_by_role("button", name="Send me a link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    check_both_widths(page)

    page.goto(link_from(mailbox))
    assert page.url.endswith(case_path(complaint)), "the secret leaves the address bar"
    main = main_text(page)
    assert "We have sent our response" in main
    assert "Point 1: The repair was not done Upheld: we agree that we did something wrong." in main
    assert "Olivia, Resolution Officer" in main
    check_both_widths(page)
    screenshot(page, "portal-case")

    page.get_by_role("link", name="Ask for a review").click()
    check_form(page, case_path(complaint, "review"), "Ask for a review", "Select at least one reason")
    page.get_by_label("You are unhappy with the proposed resolution").check()
    page.get_by_label("You are unhappy with the way the complaint has been handled").check()
    page.get_by_label("Tell us more").fill("The offer does not cover the ruined carpet")
    screenshot(page, "portal-review")
    page.get_by_role("button", name="Ask for a review").click()
    complaint.refresh_from_db()
    assert complaint.state == "stage2"
    contact = complaint.deadlines.get(name="stage2.contact").due_at
    assert banner(page) == (
        f"You have asked for a review. We will contact you about your review by {day_of(contact, LONDON)}."
    )
    assert "We are reviewing your complaint" in main_text(page)
    assert "Ask for an appeal" not in main_text(page)
    check_both_widths(page)

    # The senior manager sends the review's response (through the services).
    responses.respond(
        complaint,
        outcomes=all_points(complaint),
        method="letter",
        summary="We will pay for the carpet",
        actor=senior,
    )
    page.goto(case_path(complaint))
    assert "The response to your review" in main_text(page)
    assert "We will pay for the carpet" in main_text(page)
    page.get_by_role("link", name="Ask for an appeal").click()
    check_form(page, case_path(complaint, "appeal"), "Ask for an appeal", "Select at least one reason")
    page.get_by_label("All or some of the agreed actions have not been carried out").check()
    page.get_by_label("Tell us why").fill("The carpet has not been paid for")
    page.get_by_role("button", name="Ask for an appeal").click()
    complaint.refresh_from_db()
    assert complaint.state == "appeal_requested"
    assert banner(page).startswith("You have asked for an appeal.")
    assert "We have received your appeal" in main_text(page)
    check_both_widths(page)


def test_a_tampered_and_an_expired_link_show_the_same_clear_page(page, journey):
    complaint = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        expired = access.issue_link(complaint, "ada@example.org")  # more than 90 days ago
    good = access.issue_link(complaint, "ada@example.org")
    secret, _, signature = good.partition(":")
    tampered = f"{secret[::-1]}:{signature}"

    response = page.goto(f"/your-complaint/link/{tampered}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "This link does not work"
    tampered_text = main_text(page)
    assert "email me a new link" in tampered_text
    check_both_widths(page)
    screenshot(page, "portal-link-invalid")

    response = page.goto(f"/your-complaint/link/{expired}/")
    assert response is not None and response.status == 404
    assert main_text(page) == tampered_text
    assert page.goto(case_path(complaint)).status == 404  # and no way in

    page.goto(f"/your-complaint/link/{good}/")
    assert "We are looking into your complaint" in main_text(page)


def test_every_other_customer_page_is_accessible_at_both_widths(page, journey, org):
    complaint = journey.until("accepted")
    page.goto(f"/your-complaint/link/{access.issue_link(complaint, 'ada@example.org')}/")
    check_both_widths(page)  # the case page at stage 1, with its dates still to come

    check_form(
        page,
        case_path(complaint, "information"),
        "Add information or evidence",
        "Write something or choose a file to add",
    )
    page.get_by_label("What do you want to tell us?").fill("The leak is worse after the rain.")
    page.get_by_role("button", name="Add to my complaint").click()
    assert banner(page).startswith("Thank you. We have added this to your complaint.")

    check_form(page, case_path(complaint, "consent"), "Let someone act for you", "Tick the box")
    page.get_by_label("My MP, a local councillor or a tenant panel").check()
    page.get_by_label("Their full name").fill("Jo Bloggs MP")
    page.get_by_label("Their role").fill("MP for North Norfolk")
    page.get_by_label("I agree that this person can act for me").check()
    page.get_by_role("button", name="Give consent").click()
    assert banner(page) == "Jo Bloggs MP can now act for you on your complaint."
    check_both_widths(page)
    person = complaint.customer.representatives.get()
    check_form(
        page,
        case_path(complaint, f"consent/{person.pk}/withdraw"),
        "Stop Jo Bloggs MP acting for you",
        "Select yes if this person should stop acting for you",
    )

    page.goto(case_path(complaint, "review"))  # not open at stage 1: the page says why
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot ask for a review now"
    check_both_widths(page)

    page.goto(case_path(complaint, "stop-link"))
    check_both_widths(page)

    check_form(
        page,
        case_path(complaint, "withdraw"),
        "Withdraw your complaint",
        "Select yes if you want to withdraw your complaint",
    )
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    assert "You withdrew your complaint" in main_text(page)
    check_both_widths(page)

    # issue 15: the visit is a browser-session cookie, and the customer can end it.
    (visit,) = [c for c in page.context.cookies() if c["name"] == access.VISIT_COOKIE]
    assert visit["expires"] == -1, "the visit ends when the browser closes"
    page.get_by_role("button", name="Sign out").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"
    check_both_widths(page)
    assert page.goto(case_path(complaint)).status == 404
    assert not [c for c in page.context.cookies() if c["name"] == access.VISIT_COOKIE]

    assert page.goto("/your-complaint/PR-000000/").status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find that complaint"
    check_both_widths(page)

    for _ in range(FIND_LIMIT.allowed):
        limits.count(FIND_LIMIT, "127.0.0.1")
    page.goto("/your-complaint/")
    page.get_by_label("Your complaint reference").fill(complaint.reference)
    page.get_by_label("Your postcode").fill("NR28 0NB")
    page.get_by_label("Your surname").fill("Lovelace")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Please wait before trying again"
    check_both_widths(page)
