"""Letters in Chromium: a caseworker writes and sends the stage 1 response, and an administrator edits
a template with a preview and saves a new version. Every new page passes axe-core (WCAG 2.2 AA), with
and without its errors showing, and is photographed.
"""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from putright.accounts.models import Role
from putright.cases.models import AdjustmentKind, Complaint
from putright.cases.services.customers import create_customer
from putright.comms.models import Letter, LetterKind, LetterStatus, LetterTemplate
from tests.browser.conftest import check_accessibility, screenshot, signed_in
from tests.cases.conftest import Journey
from tests.web.comms_helpers import failed_email
from tests.web.pages import make_user

pytestmark = pytest.mark.django_db(transaction=True)

EDITED = "We are very sorry for the time this has taken."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def responded(log, officer, senior, org) -> Complaint:
    """A stage 1 complaint just answered, for a customer who reads large print and needs easy read."""
    grace = create_customer(
        organisation=org,
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.org",
        phone="01603 111111",
        address="1 Harbour Row\nGreat Yarmouth",
        postcode="NR30 1AA",
        adjustments=[(AdjustmentKind.LARGE_PRINT, "16 point"), (AdjustmentKind.EASY_READ, "")],
    )
    complaint = Journey(log, officer, senior).until("responded", customer=grace)
    failed_email(complaint, to="grace@example.org")  # an earlier email the mail server refused
    return complaint


def _main(page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def _refused(page, name: str) -> None:
    """The error summary shows, and the page with it still passes axe-core."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    check_accessibility(page)
    screenshot(page, name)


def test_a_caseworker_writes_the_stage_1_response_and_sends_it(page, live_server, officer, responded):
    signed_in(page, officer, live_server.url)
    page.goto(f"/work/complaints/{responded.reference}/")
    assert "An email to grace@example.org could not be delivered" in _main(page)
    expect(page.get_by_role("button", name=re.compile("Try again"))).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Write a letter").click()
    assert page.locator("h1").inner_text() == "Write a letter"
    check_accessibility(page)
    screenshot(page, "letters-choose")
    page.locator("#suggested-letters").get_by_role("link", name="Stage 1 response").click()

    assert page.locator("h1").inner_text() == "Stage 1 response"
    main = _main(page)
    assert "By post" in main and "1 Harbour Row" in main
    assert "the PDF will be in large print" in page.locator("#large-print").inner_text()
    assert "Easy read requested" in page.locator(".pr-letter-need").first.inner_text()
    check_accessibility(page)
    screenshot(page, "letters-write")

    body = page.get_by_label("Letter", exact=True)
    words = body.input_value()
    assert responded.reference in page.get_by_label("Subject").input_value()
    first_paragraph = words.split("\n\n")[1]
    body.fill(words.replace(first_paragraph, f"{first_paragraph} {EDITED}", 1))
    page.get_by_label("Subject").fill("")
    page.get_by_role("button", name="Send letter").click()
    _refused(page, "letters-write-errors")
    assert Letter.objects.count() == 0
    assert EDITED in page.get_by_label("Letter", exact=True).input_value()  # the edit is kept

    page.get_by_label("Subject").fill(f"Our response to your complaint {responded.reference}")
    page.get_by_role("button", name="Send letter").click()
    assert "Stage 1 response made. It is waiting to be posted" in _main(page)
    letter = Letter.objects.get()
    assert letter.kind == LetterKind.STAGE1_RESPONSE and letter.large_print
    assert EDITED in letter.body
    letters = page.locator("#letters-table")
    assert "Stage 1 response" in letters.inner_text() and "Waiting to be posted" in letters.inner_text()
    check_accessibility(page)
    screenshot(page, "letters-case-page")

    letters.get_by_role("button", name=re.compile("Mark as posted")).click()
    assert "marked as posted" in _main(page)
    assert "Posted on" in page.locator("#letters-table").inner_text()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.POSTED


def test_an_administrator_edits_a_template_previews_it_and_saves_a_new_version(
    page, live_server, org, responded
):
    admin = make_user("adele", Role.ADMINISTRATOR, org)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    signed_in(page, admin, live_server.url)
    page.goto("/work/")
    page.get_by_role("link", name="Letter templates").click()
    assert page.locator("h1").inner_text() == "Letter templates"
    check_accessibility(page)
    screenshot(page, "templates-list")

    page.get_by_role("link", name="Stage 1 response").click()
    assert page.locator("h1").inner_text() == "Stage 1 response"
    assert page.get_by_label("Complaint to preview it on").input_value() == responded.reference
    check_accessibility(page)
    screenshot(page, "templates-edit")

    body = page.get_by_label("Letter", exact=True)
    body.fill(body.input_value().rstrip() + "\n\nYour reference is still {{ reference }}.")
    page.get_by_role("button", name="Preview").click()  # htmx swaps the preview in
    preview = page.locator("#preview")
    preview.get_by_text(f"Preview on {responded.reference}").wait_for()
    assert f"Your reference is still {responded.reference}." in preview.inner_text()
    # A screen reader hears that the preview changed, from the page's one status line.
    status = page.get_by_role("status")
    assert status.count() == 1 and status.inner_text() == f"Preview updated on {responded.reference}."
    check_accessibility(page)
    screenshot(page, "templates-preview")

    page.get_by_role("button", name="Save as new version").click()  # without the note
    _refused(page, "templates-edit-errors")
    assert LetterTemplate.objects.filter(kind=LetterKind.STAGE1_RESPONSE).count() == 1

    page.get_by_label("What changed, and why").fill("Remind the customer of their reference")
    page.get_by_role("button", name="Save as new version").click()
    assert "Version 2 saved." in _main(page)
    newest = LetterTemplate.objects.filter(kind=LetterKind.STAGE1_RESPONSE).order_by("-version").first()
    assert newest is not None and newest.version == 2 and newest.created_by == admin
    assert "Your reference is still {{ reference }}." in newest.body

    page.get_by_role("link", name="Version 1").click()
    assert page.locator("h1").inner_text() == "Version 1"
    check_accessibility(page)
    screenshot(page, "templates-version")


def test_a_member_of_staff_turns_off_their_daily_digest(page, live_server, officer):
    signed_in(page, officer, live_server.url)
    page.goto("/account/")
    page.get_by_role("link", name=re.compile("Change email settings")).click()
    assert page.locator("h1").inner_text() == "Email settings"
    check_accessibility(page)
    screenshot(page, "email-settings")
    page.evaluate("() => document.querySelectorAll('input[type=radio]').forEach(r => { r.checked = false })")
    page.get_by_role("button", name="Save email settings").click()
    _refused(page, "email-settings-errors")
    page.get_by_label("No").check()
    page.get_by_role("button", name="Save email settings").click()
    assert "You will not get a daily digest of your work" in _main(page)
    officer.refresh_from_db()
    assert officer.receives_daily_digest is False
