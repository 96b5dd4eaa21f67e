"""In Chromium: a manager publishes a quarter of "You said, we did" and the public page shows it;
the public pages pass axe-core and fit the screen at 320 and 1280 pixels."""

from __future__ import annotations

import pytest
from django.utils import timezone

from putright.learning.quarters import Quarter
from tests.browser.conftest import check_accessibility, fits, screenshot, signed_in
from tests.browser.test_portal_complain import closed, sized_page
from tests.learning.publish_entries import approved_entry

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_publishes_a_quarter_and_the_public_page_shows_it(page, live_server, org, officer, senior):
    quarter = Quarter.containing(timezone.localdate()).previous()
    approved_entry(
        org,
        quarter,
        drafted_by=officer,
        approved_by=senior,
        you_said="Repair appointments were missed and nobody told you.",
        we_did="We now text you the day before and on the morning of the visit.",
        theme="responsive_repairs",
    )
    signed_in(page, senior, live_server.url)
    page.goto("/work/you-said-we-did/publish/")
    check_accessibility(page)
    page.locator('table[data-organisation="VHT"]').get_by_role("link", name=quarter.label).click()
    assert page.locator("h1").inner_text() == f"“You said, we did”: {quarter.label}"
    assert page.locator("#published-status").inner_text() == "Not published yet."
    check_accessibility(page)
    screenshot(page, "you-said-publish")
    page.get_by_role("button", name="Publish", exact=True).click()
    assert f"{quarter.label} published: version 1." in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#published-status").inner_text().startswith("Version 1 was published on ")
    check_accessibility(page)

    page.get_by_role("link", name="See the public page").click()
    assert page.locator("h1").inner_text() == f"You said, we did: {quarter.label}"
    main = page.locator("main").inner_text()
    assert "Repair appointments were missed and nobody told you." in main
    assert "We now text you the day before and on the morning of the visit." in main
    assert "Last updated" in main
    check_accessibility(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_public_pages_pass_axe_and_fit_the_screen(browser, live_server, log, org, officer, senior, width):
    from putright.accounts.models import Organisation, OrganisationKind
    from putright.learning.services.publishing import publish_quarter
    from tests.learning.publish_cases import make_quarter

    q1 = Quarter.parse("2026-Q1")
    make_quarter(log, officer, senior)
    for quarter, said in (
        (q1.previous(), "It was hard to get through on the phone."),
        (q1, "Mould came back."),
    ):
        approved_entry(
            org, quarter, drafted_by=officer, approved_by=senior, you_said=said, we_did="We changed it."
        )
        publish_quarter(org, quarter, senior)
    approved_entry(
        org, q1, drafted_by=officer, approved_by=senior, you_said="Letters were unclear.", we_did="Rewritten."
    )
    publish_quarter(org, q1, senior, "An entry approved after the first publication has been added.")
    other = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    senior.organisations.add(other)
    approved_entry(other, q1, drafted_by=officer, approved_by=senior, you_said="Said.", we_did="Did.")
    publish_quarter(other, q1, senior)

    page = sized_page(browser, live_server, width)
    try:
        page.goto("/")
        page.locator("footer").get_by_role("link", name="You said, we did").click()
        assert page.locator("h1").inner_text() == "You said, we did"
        fits(page, width)
        page.get_by_role("link", name="Victory Housing Trust").click()
        assert page.locator("h1").inner_text() == "You said, we did: April to June 2026"
        main = page.locator("main").inner_text()
        assert "Corrected: An entry approved after the first publication has been added." in main
        assert "Communication and information" in page.locator("#top-themes").inner_text()
        fits(page, width)
        screenshot(page, f"you-said-public-{width}")
        page.get_by_role("link", name="January to March 2026").click()
        assert page.locator("h1").inner_text() == "You said, we did: January to March 2026"
        fits(page, width)
        missing = page.goto("/you-said-we-did/VHT/2020-Q1/")
        assert missing is not None and missing.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        fits(page, width)
        # Chromium logs the 404 it was sent to on purpose: an answer, not an error.
        page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
    finally:
        closed(page)
