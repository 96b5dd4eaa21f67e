"""Signing in, a wrong password, a lockout, the account page and the second factor, in Chromium."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from putright.accounts.models import Role, User
from tests.browser.conftest import PASSWORD, check_accessibility, screenshot, sign_in, visit

pytestmark = pytest.mark.django_db(transaction=True)


def code_for(device: TOTPDevice) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


@pytest.fixture
def administrator(org):
    user = User.objects.create_user(
        username="ada",
        password=PASSWORD,
        first_name="Ada",
        last_name="Admin",
        role=Role.ADMINISTRATOR,
        is_staff=True,
    )
    user.organisations.add(org)
    return user


def test_signing_in_with_the_right_password(page, officer):
    visit(page, "/sign-in/", "sign-in")
    sign_in(page, officer.username)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"


def test_a_wrong_password_shows_the_error_summary(page, officer):
    sign_in(page, officer.username, "not-my-password")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    link = summary.get_by_role("link", name="Enter a correct username and password")
    expect(link).to_be_visible()
    assert (
        page.locator("#id_password-error")
        .inner_text()
        .endswith("Enter a correct username and password. Both are case-sensitive.")
    )
    check_accessibility(page)
    screenshot(page, "sign-in-error")
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_password"


def test_repeated_wrong_passwords_lock_the_account(page, officer):
    for _ in range(5):
        sign_in(page, officer.username, "guess")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account is locked for now"
    assert "You can try again from" in page.locator(".govuk-inset-text").inner_text()
    check_accessibility(page)
    screenshot(page, "locked-out")
    sign_in(page, officer.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Your account is locked for now"


def test_the_account_page(page, officer):
    sign_in(page, officer.username)
    visit(page, "/account/", "account")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert "Learning and Resolution Team" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change password").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change your password"
    check_accessibility(page)


def test_an_administrator_sets_up_an_authenticator_app_before_anything_else(page, administrator):
    sign_in(page, administrator.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor authentication"
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "two-factor-setup")

    device = TOTPDevice.objects.get(user=administrator)
    page.get_by_label("Code from your authenticator app").fill(
        "000000" if code_for(device) != "000000" else "111111"
    )
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert "The code is not correct" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)

    page.wait_for_timeout(2_000)  # each wrong code makes the next try wait a little
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert "Two-factor authentication is on" in page.locator(".govuk-notification-banner").inner_text()


def test_staff_with_an_app_give_a_code_after_the_password(page, officer):
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    sign_in(page, officer.username)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter the code from your authenticator app"
    check_accessibility(page)
    screenshot(page, "two-factor-code")
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My work"


def test_the_password_reset_pages(page, officer):
    visit(page, "/password-reset/", "password-reset")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    check_accessibility(page)
