"""Disclosed vulnerabilities in Chromium (issue 15, vuln): front-line staff record one with the
customer's consent from the case page; a Resolution Officer sees it, a Manager sees no sign of
it; axe-core finds nothing on the forms (record, review, withdraw), their error summaries and
the case page at 1280 and 320 px."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from putright.accounts.models import Role
from tests.browser.conftest import fits, screenshot, signed_in
from tests.browser.test_portal_complain import sized_page
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)

DETAIL = "Has a brain injury; forgets calls, so needs everything in writing"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _date(page, name: str, day: dt.date) -> None:
    page.locator(f'input[name="{name}-day"]').fill(str(day.day))
    page.locator(f'input[name="{name}-month"]').fill(str(day.month))
    page.locator(f'input[name="{name}-year"]').fill(str(day.year))


@pytest.mark.parametrize("width", [320, 1280])
def test_recorded_with_consent_seen_by_the_officer_not_the_manager(
    browser, live_server, log, frontline, officer, org, team, width
):
    complaint = log("2026-03-02 10:00")
    manager = make_user("mina", Role.MANAGER, org, team)
    case_url = f"/work/complaints/{complaint.reference}/"
    today = timezone.localdate()

    page = sized_page(browser, live_server, width)
    signed_in(page, frontline, live_server.url)
    page.goto(case_url)
    page.get_by_role("link", name="Record a vulnerability").click()
    fits(page, width)
    page.get_by_label("Learning disability or difficulty").check()
    page.get_by_label("What did the customer tell us?").fill(DETAIL)
    page.get_by_label("What support does it need from us?").fill("Letters, not calls")
    _date(page, "disclosed_on", today)
    page.get_by_label("By phone").check()
    page.get_by_label("No, or not asked").check()
    _date(page, "consent_given_on", today)
    _date(page, "review_on", today + dt.timedelta(days=90))
    page.get_by_role("button", name="Record it").click()
    # Without consent: the error summary says why, and nothing is kept.
    expect(page.get_by_role("alert").get_by_text("the customer's consent is needed")).to_be_visible()
    fits(page, width)
    screenshot(page, f"vulnerability-no-consent-{width}")
    page.get_by_label("Yes, they agreed").check()
    page.get_by_label("How did they agree?").fill("Said yes on this call")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("Vulnerability recorded: learning disability or difficulty.")).to_be_visible()
    page.context.close()

    page = sized_page(browser, live_server, width)
    signed_in(page, officer, live_server.url)
    page.goto(case_url + "#vulnerabilities")
    expect(page.get_by_role("heading", name="Vulnerabilities")).to_be_visible()
    expect(page.get_by_text(DETAIL)).to_be_visible()
    fits(page, width)
    screenshot(page, f"vulnerability-officer-{width}")
    # The review form, sent empty: its error summary; then the withdrawal page.
    page.get_by_role("link", name="Review learning disability or difficulty").click()
    fits(page, width)
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("alert").get_by_text("Enter what the review found")).to_be_visible()
    fits(page, width)
    page.goto(case_url)
    page.get_by_role("link", name="Withdraw consent for learning disability or difficulty").click()
    fits(page, width)
    page.context.close()

    page = sized_page(browser, live_server, width)
    signed_in(page, manager, live_server.url)
    page.goto(case_url)
    expect(page.get_by_role("heading", name=complaint.summary)).to_be_visible()
    assert page.get_by_role("heading", name="Vulnerabilities").count() == 0
    assert "vulnerab" not in page.content().lower() and "brain injury" not in page.content()
    fits(page, width)
    assert not page.console_errors
    page.context.close()
