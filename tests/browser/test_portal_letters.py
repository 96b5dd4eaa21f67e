"""In a real browser: a customer with the emailed link sees the letters we sent and downloads one.

The case page with its letters is checked with axe-core at 1280 and 320 px wide (nothing may
scroll sideways), and the download is the PDF that was sent, with its clean file name. The
letters are made through the real letter service, PDF and all.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from putright.comms.models import LetterKind
from putright.portal import access
from tests.browser.conftest import screenshot
from tests.browser.test_portal_case import check_both_widths, main_text
from tests.cases.conftest import Journey
from tests.web.comms_helpers import send

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield opened
    context.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_customer_sees_our_letters_and_downloads_one(page, log, officer, senior, tmp_path):
    complaint = Journey(log, officer, senior).until("responded")
    send(complaint, officer, LetterKind.CONTACT_RECORD)
    response = send(complaint, officer, LetterKind.STAGE1_RESPONSE)

    page.goto(f"/your-complaint/link/{access.issue_link(complaint, 'ada@example.org')}/")
    expect(page.get_by_role("heading", name="Letters we have sent you")).to_be_visible()
    assert "Sent by email to ada@example.org." in main_text(page)
    check_both_widths(page)
    screenshot(page, "portal-letters")

    with page.expect_download() as started:
        page.get_by_role("link", name="Our response to your complaint (PDF)").click()
    download = started.value
    day = timezone.localtime(response.sent_at).date()
    assert download.suggested_filename == f"{complaint.reference}-stage1-response-{day:%Y-%m-%d}.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
