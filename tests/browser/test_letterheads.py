"""Letterheads, blanks and a customer's words, in Chromium at 1280 and 320 px, checked by axe-core:

- an administrator fills in a landlord's letterhead, a wrong logo is refused in the error summary,
  and a PNG is accepted;
- a caseworker writing a letter whose landlord has no phone number is told what to fill in, and
  sending it is refused;
- what a customer writes from their page is read as words on their page and on the staff case page.
"""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.models import Role
from putright.cases.services import evidence
from putright.comms.models import Letter
from putright.portal import access
from tests.browser.conftest import check_accessibility, screenshot, signed_in
from tests.cases.conftest import Journey
from tests.comms.test_letter_blanks import png
from tests.web.pages import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def both_widths(page, name: str, *, no_sideways: bool = True) -> None:
    """axe-core at 1280 px and at 320 px (where nothing may scroll sideways), photographed."""
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)
    if no_sideways:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} scrolls sideways at 320 px: {width} px wide"
    screenshot(page, f"{name}-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, name)


def main_text(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_an_administrator_fills_in_a_letterhead_and_uploads_a_logo(page, live_server, org, tmp_path):
    admin = make_user("adele", Role.ADMINISTRATOR, org)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    signed_in(page, admin, live_server.url)
    page.goto("/work/templates/")
    page.get_by_role("link", name="letterheads").click()
    assert page.locator("h1").inner_text() == "Letterheads"
    both_widths(page, "letterheads")
    page.get_by_role("link", name="Victory Housing Trust").click()
    assert "Leave it blank to print Flagship Group's: 0808 157 0001" in main_text(page)
    both_widths(page, "letterhead-edit")

    page.get_by_label("Postal address").fill("Tom Moore House\nNorth Walsham NR28 0NB")
    wrong = tmp_path / "logo.gif"
    wrong.write_bytes(b"GIF89a" + bytes(40))
    page.get_by_label("Logo").set_input_files(str(wrong))
    page.get_by_role("button", name="Save letterhead").click()
    assert page.title().startswith("Error: ")
    assert "logo.gif is not a PNG or JPEG picture" in page.locator(".govuk-error-summary").inner_text()
    both_widths(page, "letterhead-refused")

    right = tmp_path / "victory.png"
    right.write_bytes(png())
    page.get_by_label("Logo").set_input_files(str(right))
    page.get_by_role("button", name="Save letterhead").click()
    assert "Victory Housing Trust's letterhead is saved" in main_text(page)
    assert "This organisation has its own logo." in main_text(page)
    org.refresh_from_db()
    assert org.address == "Tom Moore House\nNorth Walsham NR28 0NB" and org.logo


def test_a_letter_with_a_blank_says_what_to_fill_in_and_is_not_sent(
    page, live_server, log, officer, senior, org
):
    org.parent.phone = ""
    org.parent.save(update_fields=["phone"])
    complaint = Journey(log, officer, senior).until("accepted")
    signed_in(page, officer, live_server.url)
    page.goto(f"/work/complaints/{complaint.reference}/letters/new/acknowledgement/")
    warning = page.locator(".pr-letter-blank").inner_text()
    assert "Fill in Victory Housing Trust's phone number" in warning
    both_widths(page, "letter-blank", no_sideways=False)
    page.get_by_role("button", name="Send").first.click()
    assert "This letter would go out with a blank" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    assert not Letter.objects.exists()


def test_what_a_customer_writes_is_read_as_words_by_them_and_by_staff(
    page, live_server, log, officer, senior
):
    complaint = Journey(log, officer, senior).until("contacted")
    page.goto(f"/your-complaint/link/{access.issue_link(complaint, 'ada@example.org')}/")
    page.goto(f"/your-complaint/{complaint.reference}/information/")
    page.get_by_label("What do you want to tell us?").fill("The leak is worse after the rain.")
    page.get_by_role("button", name="Add to my complaint").click()
    assert "You wrote on" in main_text(page)
    assert "The leak is worse after the rain." in page.locator(".pr-message").inner_text()
    both_widths(page, "portal-case-message")

    evidence.add_information(complaint, text="And the bedroom ceiling is stained.", actor=officer)
    signed_in(page, officer, live_server.url)
    page.goto(f"/work/complaints/{complaint.reference}/")
    messages = page.locator("#evidence ~ .pr-message")
    assert messages.count() == 2
    assert "The leak is worse after the rain." in messages.first.inner_text()
    both_widths(page, "case-page-messages", no_sideways=False)
