"""In a real browser: a senior manager's stage 2 review, then a panel appeal to its final response.

The case reaches the end of stage 1 through the services (the standard journey, in March 2026);
from there every step is taken on the workspace's pages, as caseworkers would, with the dates
they happened typed in ("When did the customer ask?") so that the meeting can be in the past
when the panel records its decision. Each form is checked with axe-core empty and with errors.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from putright.accounts.models import Role
from putright.cases.models import Complaint, Concern
from putright.cases.services import concerns
from putright.web.templatetags.casetags import london_date as day
from putright.web.templatetags.casetags import london_datetime as moment
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.cases.conftest import Journey
from tests.learning.helpers import record_learning
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


@pytest.fixture
def panel(org):
    return [
        make_user("bea", Role.PANEL_MEMBER, org, job_title="Board member"),
        make_user("rita", Role.PANEL_MEMBER, org, job_title="Resident panel member"),
        make_user("ed", Role.PANEL_MEMBER, org, job_title="Executive director"),
    ]


def days_ago(days: int, hour: int = 10) -> str:
    """A London time some days back, as a datetime-local box takes it."""
    then = timezone.localtime() - dt.timedelta(days=days)
    return then.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def as_user(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def open_form(page, complaint: Complaint, route: str, heading: str, error: str = "") -> None:
    """Open a step page, check it empty, submit it empty, check the error summary, check it again,
    then open it afresh for the caseworker to fill in."""
    path = f"/work/complaints/{complaint.reference}/{route}/"
    response = page.goto(path)
    assert response is not None and response.ok, f"{route} answered {response and response.status}"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    check_accessibility(page)
    page.locator("#main-form button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert error in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    page.goto(path)


def banner(page) -> str:
    """The success banner's message, as the caseworker reads it above the case."""
    return page.locator(
        ".govuk-notification-banner--success .govuk-notification-banner__heading"
    ).inner_text()


def state_of(complaint: Complaint) -> str:
    complaint.refresh_from_db()
    return complaint.state


def test_a_senior_manager_takes_a_review_and_the_panel_hears_the_appeal(
    page, journey, frontline, senior, panel
):
    complaint = journey.until("responded")

    # Customer services takes the customer's request for a review by phone.
    as_user(page, frontline.username)
    open_form(
        page, complaint, "escalate", "Ask for a review (stage 2)", "Choose at least one ground for the review"
    )
    page.get_by_label("(b) You are unhappy with the proposed resolution").check()
    page.get_by_label("What does the customer say?").fill("The offer does not cover the ruined carpet")
    page.get_by_label("Senior Manager who will review it").select_option(label="Sam Staff (Senior Manager)")
    page.get_by_label("Who asked for the review?").fill("The customer, by phone")
    page.get_by_label("When did the customer ask for the review?").fill(days_ago(20))
    screenshot(page, "escalate")
    page.get_by_role("button", name="Start the review").click()
    assert state_of(complaint) == "stage2"
    contact = complaint.deadlines.get(name="stage2.contact").due_at
    respond = complaint.deadlines.get(name="stage2.response").due_at
    assert banner(page) == (
        f"Review requested: Sam Staff must contact the customer by {day(contact)} "
        f"and respond by {day(respond)}."
    )

    # The senior manager calls the customer, then sends the review's response.
    as_user(page, senior.username)
    page.goto(f"/work/complaints/{complaint.reference}/record-contact/")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("What was discussed").fill("Talked through the review")
    page.get_by_label("When did this happen?").fill(days_ago(19))
    page.get_by_role("button", name="Record the contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.goto(f"/work/complaints/{complaint.reference}/respond/")
    page.get_by_label("Letter", exact=True).check()
    page.get_by_label("Summary of the response").fill("We will pay for the carpet")
    for point in complaint.points.all():
        page.locator(f"#id_outcome_{point.pk}_0").check()
    page.get_by_label("When did this happen?").fill(days_ago(15))
    page.get_by_role("button", name="Record the response").click()
    assert state_of(complaint) == "stage2_responded"

    # The customer appeals; customer services records it.
    as_user(page, frontline.username)
    open_form(page, complaint, "appeal", "Ask for an appeal")
    page.get_by_label("(a) All or some of the points raised").check()
    page.get_by_label("How does the complaint meet them?").fill("Point 2 was never looked at")
    page.get_by_label("When did the customer ask for the appeal?").fill(days_ago(14))
    page.get_by_role("button", name="Record the appeal").click()
    assert state_of(complaint) == "appeal_requested"
    meeting_due = complaint.deadlines.get(name="appeal.meeting").due_at
    assert banner(page) == (
        f"Appeal requested: arrange the meeting with the customer and the panel by {day(meeting_due)}."
    )

    # The senior manager arranges the meeting with the full panel.
    as_user(page, senior.username)
    open_form(
        page, complaint, "appeal/schedule", "Arrange the appeal meeting", "Name the panel's board member"
    )
    assert f"The meeting must be held by {day(meeting_due)}" in page.locator("main").inner_text()
    page.get_by_label("Date and time of the meeting").fill(days_ago(3, hour=14))
    page.get_by_label("Where will it be held?").fill("Tom Moore House, North Walsham")
    # Two seats go to panel members with a login; the resident is named without one.
    page.get_by_label("Panel: board member").select_option(label="Bea Staff – Board member")
    page.get_by_label("Panel: executive").select_option(label="Ed Staff – Executive director")
    page.get_by_label("Or the resident's name, if they have no login").fill("Rita Resident")
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)  # the panel's seats at 320 px, as at 1280
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("The customer has agreed this date and time").check()
    page.get_by_label("Companion's name").fill("Lionel Hutz")
    page.get_by_label("Companion's relationship to the customer").fill("Solicitor")
    page.get_by_label("The companion is a legal representative").check()
    page.get_by_label("When was the meeting agreed?").fill(days_ago(13))
    page.get_by_role("button", name="Arrange the meeting").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "A legal representative cannot attend the appeal meeting" in summary
    check_accessibility(page)
    assert state_of(complaint) == "appeal_requested"
    page.get_by_label("Companion's name").fill("Grace Hopper")
    page.get_by_label("Companion's relationship to the customer").fill("Neighbour")
    page.get_by_label("The companion is a legal representative").uncheck()
    screenshot(page, "schedule-appeal")
    page.get_by_role("button", name="Arrange the meeting").click()
    assert state_of(complaint) == "appeal_scheduled"
    hearing = complaint.stages.get(number=3).hearing
    assert hearing.panel == {
        "board_member": "Bea Staff",
        "resident": "Rita Resident",
        "executive": "Ed Staff",
    }
    decision_due = complaint.deadlines.get(name="appeal.decision").due_at
    assert banner(page) == (
        f"Appeal meeting arranged for {moment(hearing.meeting_at)}: "
        f"the panel must decide by {day(decision_due)}."
    )

    # A member of the panel records its decision, point by point, and the final response.
    as_user(page, panel[0].username)
    open_form(
        page, complaint, "appeal/decision", "Record the panel's decision", "Choose an outcome for point 1"
    )
    main = page.locator("main").inner_text()
    assert "Bea Staff (board member), Rita Resident (resident), Ed Staff (executive)" in main
    assert f"By {day(decision_due)}" in main
    first, second = complaint.points.all()
    page.locator(f"#id_outcome_{first.pk}_0").check()  # upheld
    page.locator(f"#id_outcome_{second.pk}_2").check()  # not upheld
    page.get_by_label("Why, for point 2").fill("It was answered at stage 2")
    page.get_by_label("The panel's decision, in summary").fill("Upheld on the repair, not on the call back")
    screenshot(page, "decide-appeal")
    page.get_by_role("button", name="Record the decision").click()
    assert state_of(complaint) == "appeal_decided"
    assert banner(page).startswith("The panel's decision is recorded: send the customer the final response")

    open_form(page, complaint, "final-response", "Record the final response")
    assert "Upheld on the repair, not on the call back" in page.locator("main").inner_text()
    page.get_by_label("Letter", exact=True).check()
    page.get_by_role("button", name="Record the final response").click()
    assert state_of(complaint) == "appeal_responded"
    # The appeal decision letter opens at once, drafted, for the panel to send.
    assert page.locator("h1").inner_text() == "Appeal decision (final response)"
    assert banner(page) == (
        "Final response recorded: the customer may go to the Housing Ombudsman directly "
        f"from {day(complaint.ombudsman_direct_from)}. Check the letter below, then send it to the customer."
    )
    check_accessibility(page)


def test_the_case_wide_forms_are_accessible_empty_and_with_errors(page, journey, senior, org):
    make_user("lee", Role.SAFEGUARDING_LEAD, org)
    appealed = journey.until("appealed")
    record_learning(appealed, senior)  # refusing an appeal closes the case: its learning first
    complaint = journey.until("accepted", customer=appealed.customer)
    concern = concerns.flag_concern(complaint, kind="safeguarding", description="Lives alone", actor=None)
    assert isinstance(concern, Concern)
    as_user(page, senior.username)
    open_form(page, appealed, "appeal/refuse", "Refuse the appeal")
    for route, heading in [
        ("withdraw", "Withdraw the complaint"),
        ("reassign", "Reassign the case"),
        ("new-matter", "Raise a new matter"),
        ("concerns/new", "Flag a safeguarding or health and safety concern"),
        (f"concerns/{concern.pk}/refer", "Refer the concern"),
        (f"concerns/{concern.pk}/close", "Close the concern"),
        ("restrictions/new", "Record a restriction"),
    ]:
        open_form(page, complaint, route, heading)
    assert state_of(complaint) == "stage1"
