"""In Chromium, the whole of "You said, we did" (issue 12): a caseworker drafts an entry for the last
quarter, a manager approves it, publishes the quarter from the staff pages and opens the public page,
which shows the entry with the figures; axe-core checks every page on the way."""

from __future__ import annotations

import pytest
from django.utils import timezone

from putright.learning.models import Publication
from putright.learning.quarters import Quarter
from tests.browser.conftest import check_accessibility, signed_in
from tests.browser.test_you_said import as_, banner, open_menu_item

pytestmark = pytest.mark.django_db(transaction=True)

YOU_SAID = "Repairs were booked and then cancelled without a call."
WE_DID = "We now text the day before every visit, and call if it has to move."


def test_drafted_approved_published_and_read_by_the_public(page, live_server, officer, senior):
    quarter = Quarter.containing(timezone.localdate()).previous()
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, officer, live_server.url)
    page.goto("/work/")
    open_menu_item(page, "You said, we did", 1280)
    page.get_by_role("button", name="New entry").click()
    page.get_by_label("Quarter").select_option(quarter.key)
    page.get_by_label("You said").fill(YOU_SAID)
    page.get_by_label("We did").fill(WE_DID)
    page.get_by_role("button", name="Draft the entry").click()
    assert banner(page).startswith("The entry is drafted.")
    check_accessibility(page)
    entry_url = page.url

    as_(page, senior, live_server)
    page.goto(entry_url)
    page.get_by_role("button", name="Approve the entry").click()
    assert banner(page) == "The entry is approved. It is published with its quarter."
    open_menu_item(page, "You said, we did", 1280)
    page.get_by_role("link", name=f"Publish {quarter.label}").click()
    assert quarter.label in page.locator("h1").inner_text()
    assert page.locator("#published-status").inner_text() == "Not published yet."
    assert YOU_SAID in page.locator("main").inner_text()
    check_accessibility(page)
    page.get_by_role("button", name="Publish", exact=True).click()
    assert f"{quarter.label} published: version 1." in page.locator(".govuk-notification-banner").inner_text()
    assert Publication.objects.get().entries[0]["you_said"] == YOU_SAID

    page.get_by_role("link", name="See the public page").click()
    assert page.url.startswith(f"{live_server.url}/you-said-we-did/")
    assert page.locator("h1").inner_text() == f"You said, we did: {quarter.label}"
    main = page.locator("main").inner_text()
    assert YOU_SAID in main and WE_DID in main
    assert "Complaints received" in main
    assert "Last updated" in main
    assert page.locator('main a[href^="/work/"]').count() == 0  # nothing leads into the workspace
    check_accessibility(page)
