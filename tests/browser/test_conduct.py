"""In a real browser: a Senior Manager reviews, renews and ends a restriction and declines to investigate
a complaint; a safeguarding lead opens their queue of concerns. Every page is checked with axe-core at
1280 px and at 320 px, empty and with its errors.

The case reaches stage 1 through the services (the standard journey, in March 2026); the restriction's
dates are set from today, so that the review dates typed in are in the future whenever this runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from putright.accounts.models import Role
from putright.cases.models import Complaint, ReasonableAdjustment
from putright.cases.services import concerns
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.cases.conftest import Journey
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def both_widths(page) -> None:
    """axe-core at 1280 px, then at 320 px."""
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def refused_then_open(page, path: str, heading: str, error: str) -> None:
    """Open a form and check it; send it empty and check the error summary; open it afresh."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    both_widths(page)
    page.locator("#main-form button[type=submit]").click()
    assert error in page.locator(".govuk-error-summary").inner_text()
    both_widths(page)
    page.goto(path)


def banner(page) -> str:
    return page.locator(
        ".govuk-notification-banner--success .govuk-notification-banner__heading"
    ).inner_text()


def test_a_senior_manager_follows_a_restriction_through_and_declines_to_investigate(page, journey, senior):
    complaint: Complaint = journey.until("contacted")
    ReasonableAdjustment.objects.create(customer=complaint.customer, kind="large_print", detail="16 point")
    restriction = concerns.record_restriction(
        complaint,
        reason="Abusive calls to staff",
        restrictions="Contact by email only",
        review_on=timezone.localdate() + dt.timedelta(days=7),
        actor=senior,
    )
    base = f"/work/complaints/{complaint.reference}"
    sign_in(page, senior.username)
    page.goto(f"{base}/")
    both_widths(page)
    page.get_by_role("link", name="Review the restriction").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Review the restriction"
    assert "Large print: 16 point" in page.locator("main").inner_text()

    refused_then_open(
        page,
        f"{base}/restrictions/{restriction.pk}/review/",
        "Review the restriction",
        "Record what the review",
    )
    page.get_by_label("What did the review conclude?").fill("Calls are civil now")
    page.get_by_label("Next review date").fill(in_days(30))
    screenshot(page, "restriction-review")
    page.get_by_role("button", name="Record the review").click()
    assert banner(page).startswith("Restriction kept: review it again on")

    refused_then_open(
        page, f"{base}/restrictions/{restriction.pk}/renew/", "Renew the restriction", "Give the reason"
    )
    page.get_by_label("Why is the restriction renewed?").fill("Two threatening emails")
    page.get_by_label("New review date").fill(in_days(60))
    page.get_by_role("button", name="Renew the restriction").click()
    assert banner(page).startswith("Restriction kept: review it again on")

    refused_then_open(
        page, f"{base}/restrictions/{restriction.pk}/end/", "End the restriction", "Give the reason"
    )
    page.get_by_label("Why is the restriction ended?").fill("An apology and no incidents since")
    page.get_by_role("button", name="End the restriction").click()
    assert banner(page) == "Restriction ended: the customer can contact us in the usual way again."
    assert "Contact with this customer is restricted" not in page.locator("main").inner_text()

    refused_then_open(page, f"{base}/not-investigated/", "Decide not to investigate", "Give the reason")
    page.get_by_label("Why will the complaint not be investigated?").fill("Threats to the officer")
    page.get_by_label("What legal advice was given?").fill("Our solicitors advised we may decline")
    page.get_by_label("When was the advice given?").fill(in_days(-1))
    screenshot(page, "not-investigated")
    page.get_by_role("button", name="Record the decision").click()
    assert banner(page).startswith("Decided not to investigate")
    complaint.refresh_from_db()
    assert complaint.state == "not_investigated"
    both_widths(page)


def test_a_safeguarding_lead_sees_their_queue(page, journey, officer, org):
    lead = make_user("sally", Role.SAFEGUARDING_LEAD, org)
    complaint = journey.until("contacted")
    concerns.flag_concern(complaint, kind="safeguarding", description="A child alone at home", actor=officer)
    sign_in(page, lead.username)
    page.get_by_role("link", name="My concerns").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My concerns"
    text = page.locator("main").inner_text()
    assert "A child alone at home" in text and "Outcome due by" in text
    both_widths(page)
    screenshot(page, "my-concerns")
    page.get_by_role("link", name=f"Record the outcome of the concern on {complaint.reference}").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Close the concern"
    both_widths(page)
