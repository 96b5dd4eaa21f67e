"""In Chromium: a tenant makes a complaint on the web form, and every kind of bad input is explained.

Every page is checked with axe-core as it opens and again with its error
summary showing, at 1280 pixels wide and at 320 (where nothing may scroll
sideways). The complaint is sent on Thursday 24 December 2026 in the
morning (time travels for the server), so its first contact is due at the
same time on Tuesday 29 December 2026 (Christmas, the weekend and the
Boxing Day substitute holiday do not count) and its response by Tuesday 12
January 2027 (worked out by hand in tests/portal/test_complain.py).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from putright.cases.models import Attachment, Complaint
from putright.portal.models import Draft, DraftFile
from tests.browser.conftest import EXPECTED_STATUSES, check_accessibility, fits, screenshot
from tests.browser.steps import fill_date
from tests.cases.helpers import on

pytestmark = pytest.mark.django_db(transaction=True)

SENT_AT = "Thu 2026-12-24 10:00"


def png_image() -> bytes:
    """A real 1 by 1 pixel PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "photo": tmp_path / "damp-wall.png",
        "fake": tmp_path / "report.pdf",
        "big": tmp_path / "huge.png",
    }
    made["photo"].write_bytes(png_image())
    made["fake"].write_bytes(b"This is plain text, not a PDF at all.")
    made["big"].write_bytes(png_image() + bytes(5000))
    return made


@pytest.fixture
def morning():
    """The server's clock: Christmas Eve 2026, 10:00 in London, running on."""
    with time_machine.travel(on(SENT_AT), tick=True):
        yield


def continue_(page) -> None:
    page.get_by_role("button", name="Continue").click()


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text().strip()


def errors(page) -> str:
    summary = page.locator(".govuk-error-summary")
    expect(summary, f"no error summary on {page.url}").to_be_visible()
    return summary.inner_text()


def checked(page, name: str | None = None) -> None:
    check_accessibility(page)
    if name:
        screenshot(page, name)


def answer_every_page(page, photo: Path, after_each=checked) -> None:
    """A tenant's good answers, page by page, from "Who is making the complaint?"."""
    assert heading(page) == "Who is making the complaint?"
    page.get_by_label("I am a tenant").check()
    continue_(page)
    after_each(page)
    assert heading(page) == "What is your name?"
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    continue_(page)
    after_each(page)
    page.get_by_label("Address line 1").fill("1 Cromer Road")
    page.get_by_label("Town or city").fill("North Walsham")
    page.get_by_label("Postcode").fill("nr28 0nb")
    continue_(page)
    after_each(page)
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Email", exact=True).check()
    continue_(page)
    after_each(page)
    assert heading(page) == "Do you need any help from us?"
    page.get_by_label("Another language").check()
    page.get_by_label("Which language?").fill("Polish")
    continue_(page)
    after_each(page)
    page.get_by_label("We have failed to provide a service").check()
    continue_(page)
    after_each(page)
    assert heading(page) == "Your complaint"
    page.get_by_label("In one line, what is your complaint about?").fill("Black mould in the bedroom")
    page.get_by_label("What went wrong?").fill("Black mould has grown on the bedroom wall since October.")
    continue_(page)
    after_each(page)
    assert heading(page) == "When did it happen?"
    fill_date(page, "Date it happened", "2026-12-01")
    continue_(page)
    after_each(page)
    page.get_by_label("What would you like us to do to put things right?").fill("Treat the damp.")
    continue_(page)
    after_each(page)
    assert heading(page) == "Do you have photos or documents to send us?"
    page.get_by_label("Upload a file").set_input_files(photo)
    page.get_by_role("button", name="Upload file").click()
    assert "damp-wall.png uploaded" in page.locator(".govuk-notification-banner").inner_text()
    after_each(page)
    continue_(page)


def test_a_tenant_makes_a_complaint_with_a_photo_and_sees_its_reference_and_dates(page, org, files, morning):
    page.goto("/")
    checked(page, "portal-start")
    assert heading(page) == "Make a complaint"
    page.get_by_role("button", name="Start now").click()

    # The first question by keyboard alone: Tab to the answer, Space to choose it, Enter to continue.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "who":
            break
    assert page.evaluate("document.activeElement.value") == "tenant"
    page.keyboard.press("Space")
    checked(page, "portal-question")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Continue"
    page.keyboard.press("Enter")
    page.wait_for_url("**/complain/name/")
    page.get_by_role("link", name="Back").click()
    assert page.get_by_label("I am a tenant").is_checked()  # Back keeps the answer
    continue_(page)

    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    continue_(page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Back").click()
    assert heading(page) == "Make a complaint"
    page.get_by_role("button", name="Start now").click()
    answer_every_page(page, files["photo"])

    assert heading(page) == "Check your answers before sending your complaint"
    checked(page, "portal-check-answers")
    answers = page.locator("main").inner_text()
    assert "Ada Lovelace" in answers and "damp-wall.png" in answers
    assert "Tuesday 1 December 2026" in answers
    page.get_by_role("link", name="Change your name").click()
    assert page.get_by_label("First name").input_value() == "Ada"
    page.get_by_label("First name").fill("Augusta Ada")
    continue_(page)
    assert heading(page) == "Check your answers before sending your complaint"
    assert "Augusta Ada Lovelace" in page.locator("main").inner_text()

    page.get_by_role("button", name="Send complaint").click()
    complaint = Complaint.objects.get()
    assert page.locator("#reference").inner_text() == complaint.reference
    received = complaint.received_at.astimezone(on(SENT_AT).tzinfo)
    assert (
        page.locator("#contact-by")
        .inner_text()
        .endswith(f"contact you by Tuesday 29 December 2026 at {received:%H:%M}.")
    )
    assert "response by Tuesday 12 January 2027" in page.locator("#respond-by").inner_text()
    checked(page, "portal-confirmation")
    assert complaint.customer.first_name == "Augusta Ada"
    assert list(Attachment.objects.values_list("name", "content_type")) == [("damp-wall.png", "image/png")]

    # Back, and Send again: the same confirmation, not a second complaint.
    page.go_back()
    page.goto("/complain/check-your-answers/")
    assert page.locator("#reference").inner_text() == complaint.reference
    assert Complaint.objects.count() == 1


BAD_ANSWERS = [
    # (page heading, what to do before Continue, a message the summary must show)
    ("Who is making the complaint?", None, "Choose who is making the complaint"),
    ("What is your name?", None, "Enter your first name"),
    ("What is your address?", ("Postcode", "NR28 ONB"), "Enter a real postcode, like NR28 0NB"),
    ("How can we contact you?", ("Email address", "ada@"), "Enter an email address in the correct format"),
    ("Do you need any help from us?", "Another language", "Enter the language you need"),
    ("What is your complaint about?", None, "Choose what your complaint is about"),
    (
        "Your complaint",
        ("What went wrong?", "x" * 5001),
        "What went wrong must be 5,000 characters or fewer",
    ),
    (
        "When did it happen?",
        lambda page: fill_date(page, "Date it happened", "2027-01-05"),
        "The date it happened must be today or in the past",
    ),
    (
        "What would you like us to do to put things right?",
        ("What would you like us to do to put things right?", "y" * 2001),
        "must be 2,000 characters or fewer",
    ),
]


def _try_bad(page, do, message: str, width: int) -> None:
    if callable(do):
        do(page)
    elif isinstance(do, tuple):
        page.get_by_label(do[0]).fill(do[1])
    elif isinstance(do, str):
        page.get_by_label(do).check()
    continue_(page)
    assert message in errors(page), f"{page.url}: {errors(page)}"
    assert page.title().startswith("Error: ")
    _check_at(page, width)


def _check_at(page, width: int) -> None:
    check_accessibility(page)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px: {scroll} px wide"


@pytest.mark.parametrize("width", [1280, 320])
def test_bad_input_on_each_page_is_explained_and_nothing_is_stored(
    browser, live_server, org, files, morning, settings, width
):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 2048
    page = sized_page(browser, live_server, width)
    bad = {title: (do, message) for title, do, message in BAD_ANSWERS}
    tried: list[str] = []

    def mistake_first(page) -> None:
        """As each page opens: check it, then try its bad answer (or bad files) and check that."""
        fits(page, width)
        title = heading(page)
        if title == "Do you have photos or documents to send us?" and not page.locator("#files").count():
            bad_files(page, files, width)
        elif title in bad and title not in tried:
            tried.append(title)
            try_bad(page, *bad[title], width)

    try:
        page.goto("/")
        fits(page, width)
        page.get_by_role("button", name="Start now").click()
        mistake_first(page)
        answer_every_page(page, files["photo"], after_each=mistake_first)
        assert tried == list(bad)
        assert heading(page) == "Check your answers before sending your complaint"
        fits(page, width)
        page.get_by_role("button", name="Send complaint").click()
        fits(page, width)
        assert page.locator("#reference").inner_text() == Complaint.objects.get().reference
    finally:
        closed(page)


def try_bad(page, do, message: str, width: int) -> None:
    if callable(do):
        do(page)
    elif isinstance(do, tuple):
        page.get_by_label(do[0]).fill(do[1])
    elif isinstance(do, str):
        page.get_by_label(do).check()
    continue_(page)
    assert message in errors(page), f"{page.url}: {errors(page)}"
    assert page.title().startswith("Error: ")
    fits(page, width)
    assert Complaint.objects.count() == 0


def bad_files(page, files: dict[str, Path], width: int) -> None:
    """No file, a file too large, a text file called .pdf: each explained, every answer kept."""
    page.get_by_role("button", name="Upload file").click()
    assert "Select a file to upload" in errors(page)
    page.get_by_label("Upload a file").set_input_files(files["big"])
    page.get_by_role("button", name="Upload file").click()
    assert "huge.png is larger than the limit of 2 KB" in errors(page)
    fits(page, width)
    page.get_by_label("Upload a file").set_input_files(files["fake"])
    page.get_by_role("button", name="Upload file").click()
    assert "report.pdf is not a real PDF file: it is a text file" in errors(page)
    screenshot(page, f"portal-evidence-errors-{width}")
    assert DraftFile.objects.count() == 0
    assert Draft.objects.get().answers["name"] == {"first_name": "Ada", "last_name": "Lovelace"}


def sized_page(browser, live_server, width: int):
    """A page at ``width`` pixels (320 is a small phone), logging the browser's errors as ``page`` does."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 640 if width == 320 else 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.console_errors = []
    opened.on(
        "console", lambda message: message.type == "error" and opened.console_errors.append(message.text)
    )
    return opened


def closed(page) -> None:
    """Close the page's browser; a script error or a CSP violation fails the test (not a 400 or 429)."""
    page.context.close()
    problems = [e for e in page.console_errors if not any(status in e for status in EXPECTED_STATUSES)]
    assert not problems, f"the browser reported errors: {problems}"


@pytest.mark.parametrize("width", [1280, 320])
def test_someone_acting_for_a_leaseholder_late_and_over_the_limit_sees_kind_pages(
    browser, live_server, org, morning, width
):
    """The pages only some people see: complaining for someone, choosing the landlord, why
    it comes late, and "try again later" (each checked with and without its errors)."""
    from putright.accounts.models import Organisation, OrganisationKind
    from putright.portal import drafts, limits

    Organisation.objects.create(name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD)
    org.phone = "0800 371 860"
    org.save()
    page = sized_page(browser, live_server, width)
    try:
        page.goto("/complain/who/")
        page.get_by_label("I am complaining for a tenant or leaseholder").check()
        continue_(page)
        assert heading(page) == "Who are you complaining for?"
        fits(page, width)
        continue_(page)
        assert "Confirm that they agree to you making this complaint for them" in errors(page)
        fits(page, width)
        page.get_by_label("Their first name").fill("Ada")
        page.get_by_label("Their last name").fill("Lovelace")
        page.get_by_label("A leaseholder").check()
        page.get_by_label("I am a family member or friend").check()
        page.get_by_label("They agree to me making this complaint for them").check()
        continue_(page)
        assert "Your own name, not Ada Lovelace’s" in page.locator("main").inner_text()
        page.get_by_label("First name").fill("Byron")
        page.get_by_label("Last name").fill("King")
        continue_(page)
        assert heading(page) == "What is the address of their home?"
        page.get_by_label("Address line 1").fill("1 Cromer Road")
        page.get_by_label("Town or city").fill("North Walsham")
        page.get_by_label("Postcode").fill("NR28 0NB")
        continue_(page)
        page.get_by_label("Phone number").fill("01603 000000")
        page.get_by_label("Phone call").check()
        continue_(page)
        continue_(page)  # no help needed
        assert heading(page) == "Who is their landlord?"
        fits(page, width)
        continue_(page)
        assert "Choose their landlord" in errors(page)
        fits(page, width)
        page.get_by_label("Victory Housing Trust").check()
        continue_(page)
        page.get_by_label("Our staff have acted inappropriately or been rude").check()
        continue_(page)
        page.get_by_label("In one line, what is your complaint about?").fill("A member of staff was rude")
        page.get_by_label("What went wrong?").fill("A member of staff shouted at my mother.")
        continue_(page)
        fill_date(page, "Date it happened", "2026-05-04")
        continue_(page)
        assert heading(page) == "Why are you complaining now?"
        assert "You told us it happened on Monday 4 May 2026" in page.locator("main").inner_text()
        fits(page, width)
        continue_(page)
        assert "Tell us why you did not complain sooner" in errors(page)
        fits(page, width)
        page.get_by_label("Why did you not complain sooner?").fill("She was in hospital until November.")
        continue_(page)
        continue_(page)  # nothing to put right said
        continue_(page)  # no files
        assert heading(page) == "Check your answers before sending your complaint"
        fits(page, width)
        for _ in range(drafts.BY_ADDRESS.allowed):
            limits.count(drafts.BY_ADDRESS, "127.0.0.1")
        page.get_by_role("button", name="Send complaint").click()
        assert heading(page) == "Sorry, you cannot send your complaint just now"
        assert "call us on 0800 371 860" in page.locator("main").inner_text()
        fits(page, width)
        assert Complaint.objects.count() == 0
    finally:
        closed(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_date_is_typed_as_day_month_and_year_and_each_mistake_is_named(
    browser, live_server, org, morning, width
):
    """The Design System's date input: the error summary links to the box at fault, and the
    answer saved comes back in its boxes."""
    page = sized_page(browser, live_server, width)
    try:
        page.goto("/complain/when/")
        assert heading(page) == "When did it happen?"
        assert page.locator("input[type=date]").count() == 0
        fits(page, width)
        fill_date(page, "Date it happened", "2026--04")  # no month
        continue_(page)
        assert "The date it happened must include a month" in errors(page)
        fits(page, width)
        page.locator(".govuk-error-summary").get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "id_matter_date-month"
        page.get_by_role("group", name="Date it happened").get_by_label("Month").fill("Feb")
        fill_date(page, "Date you found out about it", "2026-02-31")
        continue_(page)
        assert "The date you found out about it must be a real date" in errors(page)
        screenshot(page, f"portal-when-errors-{width}")
        fits(page, width)
        fill_date(page, "Date you found out about it", "2026-03-02")
        continue_(page)
        assert heading(page) != "When did it happen?"
        page.goto("/complain/when/")
        found_out = page.get_by_role("group", name="Date you found out about it")
        assert [found_out.get_by_label(part).input_value() for part in ("Day", "Month", "Year")] == [
            "2",
            "3",
            "2026",
        ]
        happened = page.get_by_role("group", name="Date it happened")
        assert [happened.get_by_label(part).input_value() for part in ("Day", "Month", "Year")] == [
            "4",
            "2",
            "2026",
        ]
    finally:
        closed(page)
