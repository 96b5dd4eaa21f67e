"""In Chromium: a phone complaint logged for a new customer and accepted at stage 1; another
logged for an existing customer found by search, and not accepted with signposting."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.cases.models import Complaint
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.browser.steps import fill_date, fill_phone_complaint_for_new_customer

pytestmark = pytest.mark.django_db(transaction=True)


def the_complaint_group(page, legend: str):
    return page.get_by_role("group", name=legend)


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def test_a_phone_complaint_for_a_new_customer_is_logged_then_accepted_at_stage_1(page, frontline, officer):
    sign_in(page, frontline.username)
    page.get_by_role("link", name="Log a complaint").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Log a complaint"
    check_accessibility(page)
    screenshot(page, "log-complaint")

    # Sent empty but for a date years ago without its month (typed in boxes, not picked), the form
    # says what to fix, each message linked to its field: the date's to the box left empty.
    fill_date(page, "When did the matter happen?", "2019--14")
    page.get_by_role("button", name="Log complaint").click()
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    expect(summary.get_by_role("link", name="Enter the customer's first name")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter what went wrong")).to_be_visible()
    summary.get_by_role("link", name="The date the matter happened must include a month").click()
    assert page.evaluate("document.activeElement.id") == "id_matter_date-month"
    assert page.title().startswith("Error: Log a complaint")
    check_accessibility(page)
    screenshot(page, "log-complaint-errors")
    assert not Complaint.objects.exists()

    fill_phone_complaint_for_new_customer(page)
    page.get_by_role("button", name="Log complaint").click()

    complaint = Complaint.objects.get()
    assert page.url.endswith(f"/work/complaints/{complaint.reference}/")
    assert (
        f"Complaint {complaint.reference} logged" in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Leaking roof not repaired" in page.get_by_role("heading", level=1).inner_text()
    assert list(complaint.customer.adjustments.values_list("kind", "detail")) == [("large_print", "16 point")]

    switch_to(page, officer.username)
    page.goto(f"/work/complaints/{complaint.reference}/accept/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accept at stage 1"
    assert "The matter happened on Monday 2 November 2026" in page.locator("#time-limit").inner_text()
    assert "within the 6-month limit" in page.locator("#time-limit").inner_text()
    check_accessibility(page)
    screenshot(page, "triage")
    assert page.get_by_label("Who will own it at stage 1?").input_value() == str(officer.pk)
    # The triage reasoning is asked for: without it nothing is accepted, and the error is shown.
    page.get_by_role("button", name="Accept at stage 1").click()
    assert "Enter why it is a complaint" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    page.get_by_label("Why is it a complaint?").fill("The repair was promised and not done.")
    page.get_by_role("button", name="Accept at stage 1").click()

    assert page.url.endswith(f"/work/complaints/{complaint.reference}/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{complaint.reference} accepted at stage 1 and assigned to Olivia Staff." in banner
    complaint.refresh_from_db()
    assert (complaint.state, complaint.owner) == ("stage1", officer)
    assert complaint.triage_note == "The repair was promised and not done."


def test_a_complaint_for_a_customer_found_by_search_is_not_accepted_with_signposting(
    page, frontline, customer
):
    sign_in(page, frontline.username)
    page.goto("/work/log/")
    # The results come as the caseworker types (htmx); the link chooses the customer.
    page.get_by_label("Find an existing customer").fill("lovelace")
    choose = page.get_by_role("link", name="Choose Ada Lovelace")
    choose.wait_for()
    check_accessibility(page)
    choose.click()
    assert "Ada Lovelace" in page.locator("#chosen-customer").inner_text()

    the_complaint_group(page, "How was the complaint made?").get_by_label("In person").check()
    page.get_by_label("Our staff have acted inappropriately or been rude").check()
    page.get_by_label("Summary").fill("Noise from the flat upstairs")
    page.get_by_label("What went wrong?").fill("My neighbour plays loud music every night.")
    page.get_by_role("button", name="Log complaint").click()
    complaint = Complaint.objects.get()
    assert complaint.customer == customer

    page.goto(f"/work/complaints/{complaint.reference}/not-accept/")
    check_accessibility(page)
    page.get_by_label("You are complaining about a neighbour or other resident").check()
    # The policy's signpost for the reason is used unless the caseworker gives another.
    assert "Signposted to Anti-social behaviour team" in page.locator("#main-form").inner_text()
    page.get_by_label("What will the customer be told?").fill(
        "Noise from a neighbour is dealt with by our anti-social behaviour team, who will contact you."
    )
    check_accessibility(page)
    page.get_by_role("button", name="Do not accept").click()

    assert page.url.endswith(f"/work/complaints/{complaint.reference}/")
    assert "Recorded as not accepted" in page.locator(".govuk-notification-banner").inner_text()
    complaint.refresh_from_db()
    assert (complaint.state, complaint.signposted_to) == ("not_accepted", "Anti-social behaviour team")


def test_the_resolve_informally_page_is_accessible(page, frontline, log):
    complaint = log("2026-11-16 10:00")
    sign_in(page, frontline.username)
    page.goto(f"/work/complaints/{complaint.reference}/resolve-informally/")
    check_accessibility(page)
    page.get_by_role("button", name="Record informal resolution").click()
    assert "Enter what was done to put it right" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
