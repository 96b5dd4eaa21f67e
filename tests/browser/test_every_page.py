"""Every page each role can open passes axe-core, in Chromium: a walk, not a list.

For each role of a landlord's staff, with a complaint in each main state, the
test opens what that person can reach: home, the complaint list (filtered and
not), the team's view and the log-a-complaint page when the role allows them,
the account page, every case page the list offers them, and every step page
each case page offers them (the buttons of "What you can do now" and the
per-item links: an action's "Mark as done", a concern's "Refer" and "Close").
Each step page is checked as it opens (once per stage) and again after it
is sent empty (once per step), with the Design System's error summary
showing. The pages come from the links on the pages, so a new step or a new
button is checked at once.

Every problem found for a role is gathered and reported together, each naming
the page (its heading and address) and what is wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import resolve
from django.utils import timezone

from putright.accounts.models import Role, User
from putright.accounts.permissions import Capability, can
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaints_for
from putright.cases.services import concerns, evidence, responses
from tests.browser.conftest import check_accessibility, screenshot, signed_in
from tests.cases.conftest import Journey
from tests.learning.helpers import record_learning
from tests.web.pages import make_user

pytestmark = pytest.mark.django_db(transaction=True)

#: The roles walked, by the name their screenshots carry.
ROLES = {
    "customer-services": Role.CUSTOMER_SERVICES,
    "resolution-officer": Role.RESOLUTION_OFFICER,
    "senior-manager": Role.SENIOR_MANAGER,
    "panel-member": Role.PANEL_MEMBER,
    "safeguarding-lead": Role.SAFEGUARDING_LEAD,
    "manager": Role.MANAGER,
}
#: The case whose page is photographed for each role (a panel member sees only appeals).
PHOTOGRAPHED = {"panel-member": "appeal_scheduled"}
PHOTOGRAPHED_DEFAULT = "stage1"


#: Clear every field a person can fill in (the page's defaults too: a preselected owner, a
#: checked radio) and give the version read as a stale one. A form with a required field shows
#: that field's error; a form whose every field is optional (marking an action done) shows the
#: refusal of a stale version. Either way the error summary shows and nothing is changed.
EMPTY_THE_FORM = """(form, stale) => {
  for (const field of form.elements) {
    if (field.name === 'version') { field.value = stale; continue; }
    if (field.type === 'hidden' || field.type === 'submit' || field.tagName === 'BUTTON') continue;
    if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
    else field.value = '';
  }
}"""
STALE_VERSION = "999999"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(org, team, frontline, officer, senior) -> dict[str, User]:
    """One of each role in the landlord; the safeguarding lead receives its concerns."""
    return {
        "customer-services": frontline,
        "resolution-officer": officer,
        "senior-manager": senior,
        "panel-member": make_user("bea", Role.PANEL_MEMBER, org),
        "safeguarding-lead": make_user("lee", Role.SAFEGUARDING_LEAD, org),
        "manager": make_user("mina", Role.MANAGER, org),
    }


@pytest.fixture
def cases(staff, log, officer, senior) -> dict[str, Complaint]:
    """A complaint in each main state, through the real services (the standard journey)."""
    journey = Journey(log, officer, senior)
    soon = timezone.localdate() + dt.timedelta(days=14)

    def action(complaint: Complaint) -> None:
        responses.add_action(
            complaint, description="Send a roofer", due_on=soon, owner=officer, actor=officer
        )

    stage1 = journey.until("contacted")  # with its first contact
    action(stage1)
    # One concern referred to the safeguarding lead, one with nobody to refer it to yet.
    concerns.flag_concern(stage1, kind="safeguarding", description="Lives alone", actor=officer)
    concerns.flag_concern(stage1, kind="health_and_safety", description="Exposed wiring", actor=officer)
    evidence.attach(stage1, name="photo-notes.txt", content=b"Damp in the bedroom", actor=officer)
    responded = journey.until("responded")
    action(responded)  # still open: closing is refused, so its page shows an error
    closed = journey.until("responded")
    record_learning(closed, officer)  # issue 12: closing needs it
    responses.close(closed, actor=officer)
    made = {
        "received": journey.until("received"),
        "stage1": stage1,
        "stage1_responded": responded,
        "stage2": journey.until("escalated"),
        "appeal_scheduled": journey.until("scheduled"),
        "closed": closed,
    }
    for complaint in made.values():
        complaint.refresh_from_db()
    return made


class Walk:
    """One person's walk through the workspace: each page opened, checked, and its problems kept."""

    def __init__(self, page: Any, role: str) -> None:
        self.page, self.role = page, role
        self.problems: list[str] = []
        self.seen: list[str] = []

    def where(self) -> str:
        heading = self.page.locator("h1").first
        title = heading.inner_text().strip() if heading.count() else "(no heading)"
        return f"{title!r} at {self.page.url}"

    def check(self, what: str) -> None:
        try:
            check_accessibility(self.page)
        except AssertionError as found:
            self.problems.append(f"{self.role}, {what} {self.where()}: {found}")

    def open(self, path: str, what: str) -> bool:
        response = self.page.goto(path)
        self.seen.append(path)
        if response is None or response.status != 200:
            status = response.status if response else "nothing"
            self.problems.append(f"{self.role}: {what} {path} answered {status}")
            return False
        self.check(what)
        return True

    def links_below(self, prefix: str) -> list[str]:
        """The addresses the page's main content links to under ``prefix``, in page order, once each."""
        hrefs = self.page.eval_on_selector_all(
            "main a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        found: list[str] = []
        for href in hrefs:
            if href.startswith(prefix) and href not in found:
                found.append(href)
        return found

    def step_page(self, path: str, send_empty: bool = True) -> None:
        """A step page as it opens, then sent empty: the error summary, and still accessible."""
        if not self.open(path, "step page") or not send_empty:
            return
        form = self.page.locator("#main-form")
        if form.count() != 1:
            self.problems.append(f"{self.role}: step page {self.where()} has no form to send")
            return
        form.evaluate(EMPTY_THE_FORM, STALE_VERSION)
        form.locator("button[type=submit]").click()
        self.page.wait_for_load_state()
        if self.page.locator(".govuk-error-summary").count() == 0:
            self.problems.append(f"{self.role}: sending {path} empty showed no error summary")
            return
        self.check("step page sent empty")


def _case_pages(walk: Walk, cases: dict[str, Complaint]) -> list[str]:
    """The case pages the complaint list offers (all states, so closed cases too)."""
    walk.open("/work/complaints/?state=&sort=reference", "complaint list")
    ours = {f"/work/complaints/{c.reference}/" for c in cases.values()}
    return [href for href in walk.links_below("/work/complaints/") if href in ours]


def _steps_offered(walk: Walk, case_path: str) -> list[tuple[str, str]]:
    """Every step page the case page links to (the buttons and the per-item links), with its name."""
    offered = []
    for href in walk.links_below(case_path):
        name = resolve(href.split("?")[0]).url_name or ""
        if name.startswith("step-"):
            offered.append((href, name))
    return offered


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_role_can_open_passes_axe(page, live_server, staff, cases, role):
    user = staff[role]
    assert user.role == ROLES[role]
    signed_in(page, user, live_server.url)
    walk = Walk(page, role)

    walk.open("/work/", "home")
    screenshot(page, f"every-page-{role}-home")
    walk.open("/work/complaints/?state=open&flags=overdue&sort=-received_at", "filtered complaint list")
    if can(user, Capability.VIEW_STAFF):
        walk.open("/work/team/", "team")
    if can(user, Capability.LOG_COMPLAINT):
        walk.open("/work/log/", "log a complaint")
    walk.open("/account/", "account")

    # The list offers exactly the cases the role may see.
    case_paths = _case_pages(walk, cases)
    visible = complaints_for(user).filter(pk__in=[c.pk for c in cases.values()])
    assert sorted(case_paths) == sorted(f"/work/complaints/{c.reference}/" for c in visible)

    by_path = {f"/work/complaints/{c.reference}/": (state, c) for state, c in cases.items()}
    # A step's page is checked once per stage (what it shows follows the stage) and sent empty
    # once (its error summary is the same form's on any case): enough to stay within two minutes.
    checked: set[tuple[str, int]] = set()
    for case_path in case_paths:
        state, complaint = by_path[case_path]
        if not walk.open(case_path, "case page"):
            continue
        if state == PHOTOGRAPHED.get(role, PHOTOGRAPHED_DEFAULT):
            screenshot(page, f"every-page-{role}-case-{state.replace('_', '-')}")
        for step_path, name in _steps_offered(walk, case_path):
            if (name, complaint.stage) not in checked:
                walk.step_page(step_path, send_empty=not any(name == seen for seen, _ in checked))
                checked.add((name, complaint.stage))

    assert not walk.problems, f"{len(walk.problems)} problems on {len(walk.seen)} pages:\n" + "\n".join(
        walk.problems
    )
    assert checked or role == "manager", f"{role} was offered no step on any case"
