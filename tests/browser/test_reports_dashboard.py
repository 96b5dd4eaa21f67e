"""issue 13, dash: in a real browser with the strict content security policy, at 1280 and 320 pixels:
a senior manager opens the reports dashboard, its charts draw (an image each, no script), axe-core
finds nothing, nothing scrolls sideways, and a figure opens the list of the complaints it counts."""

from __future__ import annotations

import pytest

from tests.browser.conftest import fits, screenshot, signed_in
from tests.reports.dashboard_cases import make_dashboard_set

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_dashboard_and_a_drill_down(page, live_server, log, officer, senior, org, width):
    make_dashboard_set(log, officer, senior, org)
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, senior, live_server.url)
    page.goto("/work/")
    if width < 641:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Period").select_option("custom")
    page.locator("summary", has_text="The first and last day").click()
    page.locator("#id_first_day").fill("2026-04-01")
    page.locator("#id_last_day").fill("2026-06-30")
    page.get_by_role("button", name="Show the figures").click()
    assert "1 April 2026 to 30 June 2026" in page.locator("h2").first.inner_text()
    charts = page.locator("img.pr-chart")
    assert charts.count() >= 10
    drawn = charts.evaluate_all("images => images.every(i => i.complete && i.naturalWidth > 0)")
    assert drawn, "every chart is drawn under the content security policy"
    fits(page, width)
    screenshot(page, f"reports-dashboard-{width}")

    row = page.locator('[data-table="by_channel"] [data-row="email"]')
    assert row.locator("td").first.inner_text().split()[0] == "3"
    row.get_by_role("link").click()
    assert page.locator("#results-heading").inner_text() == "3 complaints"
    fits(page, width)
    screenshot(page, f"reports-drill-down-{width}")
