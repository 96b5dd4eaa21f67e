"""In a real browser, at 1280 and 320 pixels, a board member of the group reads the Tenant
Satisfaction Measures, opens the complaints behind a figure, writes evidence for the
self-assessment, makes the annual report and finds it kept: axe-core finds nothing and nothing
scrolls sideways on any of those pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.accounts.models import Role
from putright.reports.models import DocumentKind, ReportDocument
from tests.browser.conftest import fits, screenshot, signed_in
from tests.reports.tsm_cases import make_year, staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_measures_the_cases_behind_them_and_the_annual_report(
    page, live_server, log, org, officer, senior, width
):
    make_year(log, org, officer, senior)
    board_member = staff("mona", Role.MANAGER, org.parent)
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, board_member, live_server.url)

    page.goto("/work/reports/tsm/?year=2025-26")
    assert "2025-26" in page.locator("h1").inner_text()
    expect(page.locator("#reading")).to_be_visible()
    fits(page, width)
    screenshot(page, f"reports-tsm-{width}")

    page.locator("table[data-stock='lcra'] a").first.click()
    # the complaints behind the figure, each a link
    expect(page.locator("#references a").first).to_be_visible()
    fits(page, width)
    screenshot(page, f"reports-tsm-complaints-{width}")

    page.goto("/work/reports/annual/evidence/?year=2025-26")
    fits(page, width)
    page.locator("textarea").first.fill("Our policy was approved by the board in May 2025.")
    page.get_by_role("button", name="Save").click()
    fits(page, width)

    page.goto("/work/reports/annual/?year=2025-26")
    fits(page, width)
    # The PDF is drawn while the browser waits: 1 to 2 seconds here, longer on a busy machine.
    page.get_by_role("button", name="Make the report (PDF)").click(timeout=30_000)
    assert page.locator("h1").inner_text() == "Reports kept"
    fits(page, width)
    screenshot(page, f"reports-documents-{width}")
    kept = ReportDocument.objects.get()
    assert kept.kind == DocumentKind.ANNUAL and kept.made_by == board_member
