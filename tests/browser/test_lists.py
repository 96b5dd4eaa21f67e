"""My work, the complaint list and the team's workload in a real browser, with and without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from putright.cases.services import triage
from tests.browser.conftest import PASSWORD, check_accessibility, screenshot, sign_in, visit

pytestmark = pytest.mark.django_db(transaction=True)


def _wall(instant: dt.datetime) -> str:
    return timezone.localtime(instant).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def work(log, officer, second_officer):
    """Olivia's cases: one long overdue (no contact in two weeks), one just in; Oscar's; one untriaged."""
    now = timezone.now()
    long_ago = now - dt.timedelta(days=14)
    late = log(_wall(long_ago), summary="Leaking roof, no contact yet")
    triage.accept(
        late,
        owner=officer,
        actor=officer,
        reasoning="Meets the definition.",
        occurred_at=long_ago + dt.timedelta(hours=1),
    )
    fresh = log(_wall(now - dt.timedelta(minutes=30)), summary="Boiler broken again")
    triage.accept(fresh, owner=officer, actor=officer, reasoning="Meets the definition.")
    theirs = log(_wall(now - dt.timedelta(days=1)), summary="Rude operative at the door")
    triage.accept(theirs, owner=second_officer, actor=second_officer, reasoning="Meets the definition.")
    waiting = log(_wall(now - dt.timedelta(hours=2)), summary="Garden fence left down")
    return {"late": late, "fresh": fresh, "theirs": theirs, "waiting": waiting}


def test_my_work_sets_the_overdue_case_apart(page, officer, work):
    sign_in(page, officer.username)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    overdue = page.locator("#due-overdue")
    assert "pr-due-group--overdue" in (overdue.get_attribute("class") or "")
    expect(overdue.get_by_role("link", name=work["late"].reference)).to_be_visible()
    expect(overdue.locator(".govuk-tag", has_text="Overdue").first).to_be_visible()
    assert work["fresh"].reference not in overdue.inner_text()
    assert work["theirs"].reference in page.locator("main").inner_text(), "in my team's queue"
    check_accessibility(page)
    screenshot(page, "home")


def test_filtering_the_list_in_place_with_htmx(page, officer, work):
    sign_in(page, officer.username)
    page.get_by_role("link", name="All complaints").click()
    expect(page.get_by_role("heading", name="4 complaints")).to_be_visible()
    check_accessibility(page)
    page.evaluate("window.putrightMarker = 'still here'")

    page.get_by_label("State").select_option("received")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/work/complaints/?*state=received*")
    expect(page.get_by_role("heading", name="1 complaint", exact=True)).to_be_visible()
    results = page.locator("#results").inner_text()
    assert work["waiting"].reference in results and work["late"].reference not in results
    assert page.evaluate("window.putrightMarker") == "still here", "updated in place, not reloaded"

    page.get_by_label("Received from").fill("2026-03-10")
    page.get_by_label("Received to").fill("2026-03-01")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    expect(page.get_by_text("Received to must be the same as or after received from").first).to_be_visible()
    check_accessibility(page)

    visit(page, "/work/complaints/?sort=received_at", "case-list")
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Received")


def test_filtering_the_list_without_javascript(browser, live_server, officer, work):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(officer.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/work/complaints/")
        page.get_by_label("Owner").select_option("oscar")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/work/complaints/?*owner=oscar*")
        expect(page.get_by_role("heading", name="1 complaint", exact=True)).to_be_visible()
        assert work["theirs"].reference in page.locator("#results").inner_text()
    finally:
        context.close()


def test_the_team_workload(page, officer, work):
    sign_in(page, officer.username)
    page.get_by_role("link", name="Team", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Learning and Resolution Team: workload"
    olivia = page.get_by_role("row", name="Olivia Staff")
    assert olivia.get_by_role("cell").first.inner_text() == "2"
    at_risk = page.locator("main").inner_text().split("Overdue and at risk", 1)[1]
    assert work["late"].reference in at_risk
    visit(page, "/work/team/", "team")
