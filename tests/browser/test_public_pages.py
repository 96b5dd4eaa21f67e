"""In Chromium: the complaints policy, its PDF, and the footer's privacy, accessibility and cookies pages.

Each page is reached the way a visitor would (from the start page and the
footer), passes axe-core and fits the screen at 320 and 1280 pixels.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import fits, screenshot
from tests.browser.test_portal_complain import closed, sized_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [320, 1280])
def test_a_visitor_reads_the_policy_and_the_footer_pages(browser, live_server, org, width):
    page = sized_page(browser, live_server, width)
    try:
        page.goto("/")
        fits(page, width)
        page.get_by_role("link", name="our complaints policy").click()
        assert page.locator("h1").inner_text() == "Flagship Group Customer Complaints Procedure"
        assert "within 10 working days of receiving your complaint" in page.locator("main").inner_text()
        fits(page, width)
        screenshot(page, f"portal-policy-{width}")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download the complaints policy (PDF)").click()
        assert (
            download.value.suggested_filename
            == "flagship-group-customer-complaints-procedure-version-1.2.pdf"
        )
        for link, heading in (
            ("Privacy", "Privacy notice"),
            ("Accessibility statement", "Accessibility statement"),
            ("Cookies", "Cookies"),
            ("Complaints policy", "Flagship Group Customer Complaints Procedure"),
        ):
            page.locator("footer").get_by_role("link", name=link, exact=True).click()
            assert page.locator("h1").inner_text() == heading
            fits(page, width)
        screenshot(page, f"portal-cookies-{width}")
    finally:
        closed(page)
