"""issue 15, retention: a Senior Manager places and lifts a legal hold in Chromium; axe-core finds
nothing at 1280 and 320 pixels on the form, its error and the case page showing the hold."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fits, screenshot, signed_in
from tests.browser.test_portal_complain import sized_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("width", [1280, 320])
def test_a_hold_placed_shown_and_lifted(browser, live_server, senior, log, width):
    complaint = log("2026-03-02 10:00")
    page = sized_page(browser, live_server, width)
    signed_in(page, senior, live_server.url)
    page.goto(f"/work/complaints/{complaint.reference}/legal-hold/")
    fits(page, width)
    page.get_by_role("button", name="Place the legal hold").click()
    assert "Give the reason for the legal hold" in page.locator(".govuk-error-summary").inner_text()
    fits(page, width)
    page.get_by_label("Why must this complaint be kept?").fill("Disrepair claim, solicitor's letter")
    page.get_by_role("button", name="Place the legal hold").click()
    expect(page.get_by_text("Under legal hold since")).to_be_visible()
    fits(page, width)
    screenshot(page, f"legal-hold-{width}")
    page.goto(f"/work/complaints/{complaint.reference}/legal-hold/lift/")
    fits(page, width)
    page.get_by_label("Why is the hold no longer needed?").fill("The claim was settled")
    page.get_by_role("button", name="Lift the legal hold").click()
    expect(page.get_by_text("Legal hold lifted.").first).to_be_visible()
    assert not page.get_by_text("Under legal hold since").count()
    assert all("400" in e for e in page.console_errors)  # only the refused empty form (its 400)
    page.context.close()
