"""Working with the team in a real browser: an internal note with an @mention, written on the case
page and shown in its own section (never among the contacts), axe-clean at 1280 and 320 px."""

from __future__ import annotations

import pytest
from django.utils import timezone

from putright.cases.models import CaseNote
from putright.cases.services import triage
from tests.browser.conftest import check_accessibility, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _axe_at_both_widths(page) -> None:
    check_accessibility(page)
    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_officer_notes_a_case_for_a_colleague(page, log, officer, senior, settings):
    settings.EMAIL_BACKEND = "putright.comms.email.outbox.OutboxBackend"
    senior.email = "sam@example.org"
    senior.save()
    complaint = log(timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    triage.accept(complaint, owner=officer, actor=officer, reasoning="A missed repair.")
    sign_in(page, officer.username)
    page.goto(f"/work/complaints/{complaint.reference}/")
    assert "No internal notes yet." in page.locator("main").inner_text()

    # A blank note is refused with the Design System's error summary, on a page of its own.
    page.get_by_role("button", name="Add the note").click()
    assert "Enter the note" in page.locator(".govuk-error-summary").inner_text()
    _axe_at_both_widths(page)

    page.get_by_label("Internal note").fill("@sam the customer wants a manager to call back.")
    page.get_by_role("button", name="Add the note").click()
    main = " ".join(page.locator("main").inner_text().split())
    assert "Note added: Sam Staff emailed." in main
    assert "told Sam Staff @sam the customer wants a manager to call back." in main
    assert "No contacts recorded yet." in main
    _axe_at_both_widths(page)
    screenshot(page, "case-notes")
    assert CaseNote.objects.get().mentioned.get() == senior
