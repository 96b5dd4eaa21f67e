"""The erase page in Chromium (issue 15, anonymise): axe-core finds nothing at 1280 and 320 pixels,
with the refusal, the form's errors and the erased customer; reached from the subject access page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.cases.models import Customer
from putright.cases.services import changes
from tests.browser.conftest import fits, screenshot, signed_in
from tests.browser.test_portal_complain import sized_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_erase_page_is_accessible_refuses_then_erases(browser, live_server, senior, customer, log, width):
    complaint = log("2026-03-02 10:00")
    page = sized_page(browser, live_server, width)
    signed_in(page, senior, live_server.url)
    page.goto(f"/work/subject-access/?q={complaint.reference}")
    page.get_by_role("link", name="Erase personal data of Ada Lovelace").click()
    expect(page.get_by_role("heading", name="Erase personal data: Ada Lovelace")).to_be_visible()
    expect(page.get_by_text(f"Erasure is refused: {complaint.reference} is still open")).to_be_visible()
    fits(page, width)

    page.get_by_role("button", name="Erase personal data").click()  # no reason, not confirmed
    expect(page.get_by_text("Give the reason for the erasure").first).to_be_visible()
    fits(page, width)

    changes.withdraw(complaint, reason="Sorted", actor=senior)
    page.reload()
    page.get_by_label("Reason").fill("Asked by letter on 1 December")
    page.get_by_label("I confirm this customer's personal data is to be erased").check()
    page.get_by_role("button", name="Erase personal data").click()
    expect(page.get_by_text("The customer's personal data was erased")).to_be_visible()
    expect(page.get_by_text("personal details removed on")).to_be_visible()
    fits(page, width)
    screenshot(page, f"erase-{width}")
    assert Customer.objects.get(pk=customer.pk).full_name == "Anonymised customer"

    page.get_by_role("link", name=complaint.reference).click()
    banner = page.locator("#anonymised").inner_text()
    assert banner.startswith("Personal details were removed on ")
    assert "(Right to erasure: Asked by letter on 1 December)" in banner
    fits(page, width)
    # the refused form answered 400 (Bad Request), which Chromium logs; nothing else may be logged
    assert not [e for e in page.console_errors if "status of 400" not in e]
    page.context.close()
