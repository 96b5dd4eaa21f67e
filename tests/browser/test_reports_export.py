"""The flat export's page in Chromium (issue 13, export): axe-core finds nothing, at 320 pixels
nothing scrolls sideways (the columns' tables open and scroll in their own regions), a refused
period shows the error summary, and a complete choice downloads its file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fits, screenshot, signed_in
from tests.browser.test_portal_complain import sized_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_is_accessible_and_fits_the_screen(browser, live_server, senior, width):
    page = sized_page(browser, live_server, width)
    signed_in(page, senior, live_server.url)
    page.goto("/work/reports/export/")
    for summary in page.locator("summary").all():
        summary.click()
    fits(page, width)
    screenshot(page, f"reports-export-{width}")
    page.get_by_label("Period").fill("last year")
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_role("alert").get_by_text("is not a period")).to_be_visible()
    fits(page, width)
    assert not page.console_errors or all("400" in e for e in page.console_errors)
    page.context.close()


def test_a_complete_choice_downloads_its_table(page, live_server, senior):
    signed_in(page, senior, live_server.url)
    page.goto("/work/reports/export/")
    page.get_by_label("Period").fill("2026-27")
    page.get_by_role("combobox", name="Table").select_option("stages")
    page.get_by_label("CSV: one table").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("putright-stages-2026-27-")
