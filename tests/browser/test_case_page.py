"""A Resolution Officer takes a phone complaint from the first call to closure, in Chromium.

Logged by phone for a new customer, accepted at triage, then contact, an
extension, a response with mixed outcomes, an action agreed and done, and
closure: after each step the case page must show the change, and the case
page and every step form (empty, and refused with errors) must pass
axe-core's WCAG 2.2 AA rules.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from putright.cases.models import Complaint
from putright.cases.policies import rules_for
from putright.procedure.wording import long_date
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.browser.steps import fill_phone_complaint_for_new_customer

pytestmark = pytest.mark.django_db(transaction=True)


def _log_and_accept(page, officer) -> Complaint:
    """The officer takes the call: logs the complaint, then accepts it at stage 1 themselves."""
    page.get_by_role("link", name="Log a complaint").click()
    fill_phone_complaint_for_new_customer(page)
    page.get_by_role("button", name="Log complaint").click()
    complaint = Complaint.objects.get()
    assert f"Complaint {complaint.reference} logged" in _main(page)
    assert "Received, awaiting triage" in _main(page)
    assert "Large print: 16 point" in _main(page)  # the adjustment the caseworker must honour

    page.get_by_role("button", name="Accept at stage 1").click()
    assert "within the 6-month limit" in page.locator("#time-limit").inner_text()
    check_accessibility(page)
    page.get_by_label("Why is it a complaint?").fill("A repair was promised and missed.")
    page.get_by_role("button", name="Accept at stage 1").click()
    assert f"{complaint.reference} accepted at stage 1 and assigned to {officer}." in _main(page)
    complaint.refresh_from_db()
    return complaint


def _extension_date(complaint: Complaint) -> dt.date:
    """Five working days after the response date: within the policy's one extension."""
    calendar = rules_for(complaint).calendar
    due = complaint.deadlines.get(name="stage1.response").due_at
    return calendar.local(calendar.extend(due, 5)).date()


def _main(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def _refused_then_clean(page, *messages: str) -> None:
    """Send the form as it is; the errors are listed at the top and the page still passes axe."""
    page.locator("#main-form button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    for message in messages:
        assert message in summary.inner_text()
    check_accessibility(page)


def _axe_at_both_widths(page) -> None:
    """axe-core at 1280 px, then at 320 px."""
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _open_step(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    check_accessibility(page)


def test_an_officer_takes_a_phone_complaint_from_the_call_to_closure(page, officer, second_officer):
    sign_in(page, officer.username)
    complaint = _log_and_accept(page, officer)
    case_path = f"/work/complaints/{complaint.reference}/"
    page.goto(case_path)
    assert page.get_by_role("heading", level=1).inner_text() == "Leaking roof not repaired"
    text = _main(page)
    assert "Stage 1: investigating" in text
    assert "Stage 1 first contact" in text and "Stage 1 response" in text
    check_accessibility(page)

    # The contact: the next right step, the first button.
    _open_step(page, "Record a contact")
    _refused_then_clean(page, "Choose how the contact was made", "Enter what was discussed")
    page.get_by_label("We contacted the customer").check()
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("What was discussed").fill("Talked through the leak; a surveyor will visit.")
    page.get_by_role("button", name="Record the contact").click()
    assert "Contact recorded: by phone, we contacted the customer." in _main(page)
    assert re.search(r"Stage 1 first contact .* Met on", _main(page))
    check_accessibility(page)

    # Evidence forms: empty and refused.
    for name, errors in [
        ("Request evidence", ["Enter what the customer needs to send"]),
        ("Add evidence", ["Choose a file to add"]),
    ]:
        _open_step(page, name)
        _refused_then_clean(page, *errors)
        page.goto(case_path)

    # The extension: the date and the policy's limit above the form.
    _open_step(page, "Extend the response date")
    assert "One extension of up to 10 working days more" in _main(page)
    screenshot(page, "extend")
    _refused_then_clean(page, "Enter the new response date", "Enter why more time is needed")
    new_date = _extension_date(complaint)
    page.get_by_label("New response date").fill(new_date.isoformat())
    page.get_by_label("Why more time is needed").fill("The surveyor's report is not back yet.")
    page.get_by_role("button", name="Record the extension").click()
    promised = long_date(new_date, weekday=True)
    assert f"Extension recorded: the response is now due by {promised}." in _main(page)
    assert f"Stage 1 response {promised} extended from" in _main(page)

    # The response: one point upheld, one not.
    _open_step(page, "Record the response")
    _refused_then_clean(page, "Choose how the response was given", "Choose an outcome for point 1")
    page.goto(page.url)  # a clean form (a GET) for the photograph
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Summary of the response").fill(
        "We are sorry the repair was missed; the roof will be fixed."
    )
    point1 = page.get_by_role("group", name="Point 1: The repair was not done")
    point1.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Why, for point 1").fill("The repair was cancelled twice without notice.")
    page.get_by_role("group", name="Point 2: Nobody called back").get_by_label("Not upheld").check()
    screenshot(page, "respond")
    page.get_by_role("button", name="Record the response").click()
    # The response's letter opens at once, drafted from it; the officer comes back to it later.
    assert page.locator("h1").inner_text() == "Stage 1 response"
    text = _main(page)
    assert "Stage 1 response recorded: 1 point upheld, 1 point not upheld." in text
    assert "Check the letter below, then send it to the customer." in text
    check_accessibility(page)
    page.get_by_role("link", name="Cancel").click()
    text = _main(page)
    assert "Stage 1: responded" in text
    assert "1. The repair was not done Stage 1 response: Upheld" in text
    assert "2. Nobody called back Stage 1 response: Not upheld" in text

    # An action to put it right, for a colleague.
    _open_step(page, "Agree an action")
    _refused_then_clean(page, "Enter what will be done", "Enter when it is due")
    due_on = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("What will be done").fill("Repair the roof over the back bedroom")
    page.get_by_label("Due by").fill(due_on.isoformat())
    page.get_by_label("Who will do it").select_option(label=str(second_officer))
    page.get_by_role("button", name="Agree the action").click()
    text = _main(page)
    assert f"Action agreed: due by {long_date(due_on, weekday=True)}, for Oscar Staff." in text
    assert "Repair the roof over the back bedroom Oscar Staff" in text and "Not done" in text
    check_accessibility(page)
    screenshot(page, "case-page")

    # Closing is not offered while the action is open: the page says why instead.
    assert page.get_by_role("button", name="Close the complaint", exact=True).count() == 0
    assert (
        "Close the complaint: The complaint can only be closed when every agreed action is done: "
        "1 action is still open." in page.locator("#not-yet").inner_text()
    )
    _axe_at_both_widths(page)

    page.get_by_role("button", name=re.compile(r"^Mark as done")).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mark an action as done"
    check_accessibility(page)
    _refused_then_clean(page, "Enter what was done")
    page.get_by_label("What was done").fill("Roof repaired and checked by the surveyor.")
    page.get_by_role("button", name="Mark as done").click()
    text = _main(page)
    assert "Action marked as done: Repair the roof over the back bedroom" in text
    assert "Done" in text and page.get_by_role("button", name=re.compile(r"^Mark as done")).count() == 0

    # Closing needs each point's learning (issue 12): the page says so and links to the points.
    assert "every point has a theme" in page.locator("#not-yet").inner_text()
    page.get_by_role("link", name="Record learning on point 1").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record learning"
    page.get_by_label(re.compile(r"^Theme")).select_option(label="Repairs: leaks")
    page.get_by_label(re.compile(r"^Root cause")).select_option(label="Missed appointment")
    page.get_by_label("What went wrong").fill("The roofer's visits were cancelled without telling anyone.")
    check_accessibility(page)
    page.get_by_role("button", name="Save the learning").click()
    assert "Learning recorded on point 1." in _main(page)
    page.get_by_role("link", name="Record learning on point 2").click()
    assert "Point 2 was not upheld, so it has no root cause." in _main(page)
    page.get_by_label(re.compile(r"^Theme")).select_option(label="Communication and information")
    page.get_by_role("button", name="Save the learning").click()
    assert "Learning recorded on point 2." in _main(page)

    _open_step(page, "Close the complaint")
    page.get_by_role("button", name="Close the complaint").click()
    text = _main(page)
    assert "Complaint closed at stage 1: every agreed action is done." in text
    assert "Closed" in page.locator("main .govuk-tag").first.inner_text()
    assert "Closed at stage 1" in text  # the timeline's newest event
    check_accessibility(page)
