"""In a real browser, at 1280 and 320 pixels: a caseworker drafts a "You said, we did" entry with a
customer's name in it, a manager's approval is refused with the name highlighted, the caseworker
takes it out, and the manager approves (issue 12). axe-core checks every page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.learning.models import EntryStatus, YouSaidEntry
from tests.browser.conftest import check_accessibility, screenshot, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def as_(page, user, live_server) -> None:
    page.context.clear_cookies()
    signed_in(page, user, live_server.url)


def open_menu_item(page, name: str, width: int) -> None:
    """The service's menu: behind its "Menu" button on a narrow screen."""
    if width < 641:
        page.get_by_role("button", name="Menu").click()
    with page.expect_navigation():  # a count read straight after the click may see the old page
        page.get_by_role("link", name=name).first.click()


def banner(page) -> str:
    return page.locator(
        ".govuk-notification-banner--success .govuk-notification-banner__heading"
    ).inner_text()


@pytest.mark.parametrize("width", [1280, 320])
def test_drafted_refused_for_a_name_edited_and_approved(page, live_server, officer, senior, customer, width):
    page.set_viewport_size({"width": width, "height": 900})
    as_(page, officer, live_server)
    page.goto("/work/")
    open_menu_item(page, "You said, we did", width)
    check_accessibility(page)
    page.get_by_role("button", name="New entry").click()
    check_accessibility(page)
    page.get_by_role("button", name="Draft the entry").click()  # empty: the errors say what is missing
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("You said").fill("Repairs were booked and then cancelled without a call.")
    page.get_by_label("We did").fill("We called Ada Lovelace and now text before every visit.")
    page.get_by_role("button", name="Draft the entry").click()
    assert banner(page).startswith("The entry is drafted.")
    assert "The personal-data check finds “Ada Lovelace”" in page.locator("#check-warning").inner_text()
    assert page.locator("#we-did mark").inner_text() == "Ada Lovelace"
    check_accessibility(page)
    entry_url = page.url

    as_(page, senior, live_server)
    page.goto(entry_url)
    page.get_by_role("button", name="Approve the entry").click()
    assert page.title().startswith("Error: ")
    assert "The entry was not approved" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#we-did mark").inner_text() == "Ada Lovelace"
    check_accessibility(page)
    screenshot(page, f"you-said-refused-{width}")

    as_(page, officer, live_server)
    page.goto(entry_url)
    page.get_by_role("button", name="Edit the entry").click()
    check_accessibility(page)
    page.get_by_label("We did").fill("We now text before every visit and call if it moves.")
    page.get_by_role("button", name="Save the entry").click()
    assert banner(page) == "The entry is saved."
    assert page.locator("#we-did mark").count() == 0

    as_(page, senior, live_server)
    page.goto(entry_url)
    page.get_by_role("button", name="Approve the entry").click()
    assert banner(page) == "The entry is approved. It is published with its quarter."
    check_accessibility(page)
    entry = YouSaidEntry.objects.get()
    assert (entry.status, entry.drafted_by, entry.approved_by) == (EntryStatus.APPROVED, officer, senior)
    open_menu_item(page, "You said, we did", width)
    assert page.get_by_role("link", name="Publish").count() == 1
    check_accessibility(page)
