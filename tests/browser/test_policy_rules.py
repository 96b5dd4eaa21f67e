"""Under the Code's policy, in Chromium: no informal resolution offered, and reasons for each point asked.

The triage page of a new complaint and the response form (empty and refused)
must pass axe-core's WCAG 2.2 AA rules on a 320 px phone and a 1280 px screen.
"""

from __future__ import annotations

import pytest

from putright.cases.services import investigation, triage
from tests.browser.conftest import check_accessibility, sign_in
from tests.cases.conftest import code_2024  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("code_2024")]

WIDTHS = (320, 1280)


def _checked_at_each_width(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_accessibility(page)


def test_triage_offers_no_informal_resolution(page, frontline, log):
    complaint = log("2026-11-16 10:00")
    sign_in(page, frontline.username)

    page.goto(f"/work/complaints/{complaint.reference}/accept/")

    main = page.locator("main").inner_text()
    assert "If accepted at stage 1" in main
    assert "If resolved informally" not in main
    assert page.get_by_role("link", name="Resolve informally").count() == 0
    _checked_at_each_width(page)


def test_the_response_form_asks_for_the_reasons_for_each_point(page, officer, log):
    complaint = log("2026-11-16 10:00")
    triage.accept(complaint, owner=officer, actor=officer, reasoning="A complaint about our service.")
    investigation.record_contact(complaint, method="phone", summary="Talked it through", actor=officer)
    sign_in(page, officer.username)
    page.goto(f"/work/complaints/{complaint.reference}/respond/")
    _checked_at_each_width(page)

    page.get_by_label("Letter", exact=True).check()
    page.get_by_label("Summary of the response").fill("We are sorry the repair was missed.")
    point1 = page.get_by_role("group", name="Point 1: The repair was not done")
    point1.get_by_label("Upheld", exact=True).check()
    page.get_by_role("group", name="Point 2: Nobody called back").get_by_label("Not upheld").check()
    page.get_by_label("Why, for point 1").fill("The repair was cancelled twice without notice.")
    page.get_by_role("button", name="Record the response").click()

    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the reasons for the outcome of point 2" in summary
    assert "point 1" not in summary
    _checked_at_each_width(page)
