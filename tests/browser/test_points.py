"""In a real browser, at 1280 and 320 pixels: the points of an open complaint (added, reworded,
split) and its summary line, and the review picker that leaves out stage 1's handlers (issue 11).

The case reaches stage 1 through the services (the standard journey, March 2026); every change is
then made on the workspace's pages, each checked with axe-core as it opens and with its errors.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.cases.models import Complaint
from putright.cases.services import changes
from tests.browser.conftest import check_accessibility, screenshot, signed_in
from tests.cases.conftest import Journey
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 320]


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def at_width(page, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    return page


def banner(page) -> str:
    return page.locator(
        ".govuk-notification-banner--success .govuk-notification-banner__heading"
    ).inner_text()


def submit_empty_then_fill(page, fill) -> None:
    """Check the form, send it empty (the error summary shows; check again), then fill and send."""
    check_accessibility(page)
    for box in page.locator("#main-form textarea, #main-form input[type=text]").all():
        box.fill("")
    page.locator("#main-form button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    check_accessibility(page)
    fill()
    page.locator("#main-form button[type=submit]").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_points_are_added_reworded_and_split_on_the_case_page(page, live_server, journey, officer, width):
    complaint = journey.until("contacted")
    signed_in(page, officer, live_server.url)
    at_width(page, width)
    page.goto(f"/work/complaints/{complaint.reference}/")
    check_accessibility(page)

    page.get_by_role("button", name="Add a point of complaint").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add a point of complaint"
    submit_empty_then_fill(
        page, lambda: page.get_by_label("What is the new point of complaint?").fill("The damp in the bedroom")
    )
    assert banner(page) == "Point 3 added."

    page.get_by_role("link", name="Reword point 1").click()
    submit_empty_then_fill(
        page, lambda: page.get_by_label("New wording of point 1").fill("The roof repair was cancelled twice")
    )
    assert banner(page) == "Point 1 reworded."

    page.get_by_role("link", name="Split point 1 in two").click()

    def split() -> None:
        page.get_by_label("Point 1 keeps").fill("The roof repair was cancelled")
        page.get_by_label("The new point 4 says").fill("Twice, without telling me")

    submit_empty_then_fill(page, split)
    assert banner(page) == "Point split: the second part is now point 4."
    check_accessibility(page)
    screenshot(page, f"points-after-split-{width}")
    points = page.locator("#points ~ .pr-table-scroll table tbody th").all_inner_texts()
    assert [p.split("\n")[0] for p in points] == [
        "1. The roof repair was cancelled",
        "2. Nobody called back",
        "3. The damp in the bedroom",
        "4. Twice, without telling me",
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_is_changed_at_triage(page, live_server, journey, frontline, width):
    complaint = journey.until("received")
    signed_in(page, frontline, live_server.url)
    at_width(page, width)
    page.goto(f"/work/complaints/{complaint.reference}/")
    page.get_by_role("button", name="Change the summary").click()
    submit_empty_then_fill(
        page, lambda: page.get_by_label("Summary").fill("Roof leak: repair cancelled twice")
    )
    assert banner(page) == "Summary changed."
    assert page.get_by_role("heading", level=1).inner_text() == "Roof leak: repair cancelled twice"
    check_accessibility(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_review_picker_names_who_is_left_out(page, live_server, journey, officer, senior, width):
    complaint: Complaint = journey.until("accepted")
    with at("Tue 2026-03-03 10:00"):
        changes.reassign(complaint, owner=senior, actor=senior)
    with at("Wed 2026-03-04 10:00"):
        changes.reassign(complaint, owner=officer, actor=senior)
    with at("Thu 2026-03-12 15:00"):
        journey.responded(complaint)
    signed_in(page, officer, live_server.url)
    at_width(page, width)
    page.goto(f"/work/complaints/{complaint.reference}/escalate/")
    hint = page.locator("#id_owner-hint").inner_text()
    assert "not offered: Olivia Staff, who handled stage 1; Sam Staff, who handled stage 1." in hint
    assert page.locator("#id_owner option").all_inner_texts() == ["Choose a Senior Manager"]
    check_accessibility(page)
