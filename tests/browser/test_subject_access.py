"""The subject access page in Chromium (issue 15, sar): axe-core finds nothing at 1280 and 320
pixels, nothing scrolls sideways with a customer found, and "Make the export" downloads the zip."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fits, screenshot, signed_in
from tests.browser.test_portal_complain import sized_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_is_accessible_and_downloads_the_export(browser, live_server, senior, log, width):
    complaint = log("2026-03-02 10:00")
    page = sized_page(browser, live_server, width)
    signed_in(page, senior, live_server.url)
    page.goto("/work/subject-access/")
    fits(page, width)
    page.get_by_label("Name, email address, postcode or complaint reference").fill(complaint.reference)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_text("1 customer found")).to_be_visible()
    fits(page, width)
    screenshot(page, f"subject-access-{width}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the export for Ada Lovelace").click()
    assert download.value.suggested_filename.startswith("subject-access-")
    assert not page.console_errors
    page.context.close()
