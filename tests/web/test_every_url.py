"""Two promises of the workspace, for every URL it has: nobody sees what they may not, and a
refused request changes nothing.

The URLs are walked from ``putright.web.urls`` (tests/web/pages.py), not listed by hand, so a
page added later is tried here at once; a parameter the walk cannot fill, a step with no state
to try it in, or a page whose capability is not written down below fails the run.

- A stranger (not signed in) is sent to the sign-in page, with the page asked for as ``next``,
  from every page but the few public ones named in ``pages.PUBLIC``.
- Staff of another landlord get "not found" for every page about a case, whatever their role,
  in a state where the step is allowed and in one where it is not: the case's existence is
  never confirmed.
- A role without a step's capability (``step_capability``) is forbidden the step's page; the
  same for the other pages that ask for a capability.

Each refusal is tried with GET and with a POST of plausible form data, and the database must
be as it was: every complaint's version and state, the timeline and every record a step makes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.models import Role, User
from putright.accounts.permissions import ROLE_CAPABILITIES, Capability, step_capability
from putright.cases.models import (
    Action,
    Attachment,
    Complaint,
    Concern,
    Contact,
    Customer,
    EvidenceRequest,
    Restriction,
    TimelineEvent,
)
from putright.comms.letters import rights
from putright.comms.models import Letter, LetterKind, LetterTemplate, OutboundEmail
from putright.learning.models import (  # issue 12, lessons
    LearningAction,
    LearningActionLink,
    Remedy,  # issue 12, remedies
)
from putright.web.steps.pages import ALL as STEP_PAGES
from tests.cases.conftest import JOURNEY, Journey
from tests.conftest import _user, complaint_logger, make_customer, make_org, make_team, sign_in_with_code
from tests.shared_db import made_once
from tests.web import pages
from tests.web.pages import HELD, NOT_NOW, NOT_NOW_DEFAULT, PUBLIC, ROLES, STEP_STATES, Cases, Route

ROUTES = pages.web_routes()
PRIVATE = [r for r in ROUTES if r.name not in PUBLIC]
ABOUT_A_CASE = [r for r in ROUTES if r.about_a_case]
STEP_ROUTES = [r for r in ROUTES if r.step_page is not None]
#: Each step page with each state it is tried in (a page with no state yet: tried in None, and fails).
STEP_CASES = [
    (route, state)
    for route in STEP_ROUTES
    for state in STEP_STATES.get(route.step_page.step, (None,))  # type: ignore[union-attr]
]

#: The capability each page that is not a step asks for; None: any signed-in member of staff.
#: A new page must be added here (test_the_walk_covers_every_url_of_the_workspace checks it).
PAGE_CAPABILITIES: dict[str, Capability | None] = {
    "web:account": None,
    "web:password-change": None,
    "web:two-factor": None,
    "web:two-factor-off": None,
    "web:home": Capability.VIEW_CASES,
    "web:case-list": Capability.VIEW_CASES,
    "web:case-export": Capability.VIEW_CASES,
    "web:case": Capability.VIEW_CASES,
    "web:case-evidence": Capability.VIEW_CASES,
    "web:case-note": Capability.WRITE_NOTES,
    "web:team": Capability.VIEW_STAFF,
    "web:log-complaint": Capability.LOG_COMPLAINT,
    "web:log-complaint-customers": Capability.LOG_COMPLAINT,
    "web:email-settings": None,
    "web:letter-new": Capability.SEND_LETTERS,
    # And the capability of the step the letter reports (comms.rights): tried for every kind below.
    "web:letter-write": Capability.SEND_LETTERS,
    "web:letter-pdf": Capability.VIEW_CASES,
    "web:letter-posted": Capability.SEND_LETTERS,
    "web:email-retry": Capability.SEND_LETTERS,
    "web:templates": Capability.EDIT_TEMPLATES,
    "web:template-edit": Capability.EDIT_TEMPLATES,
    "web:template-version": Capability.EDIT_TEMPLATES,
    # conduct: the lead's own queue of concerns
    "web:concerns": Capability.MANAGE_CONCERNS,
    "web:organisations": Capability.EDIT_TEMPLATES,
    "web:organisation-edit": Capability.EDIT_TEMPLATES,
    # issue 12, publish: anyone who drafts may look; the page's POST asks for APPROVE_YOU_SAID
    "web:you-said-publish-index": Capability.DRAFT_YOU_SAID,
    "web:you-said-publish": Capability.DRAFT_YOU_SAID,
    # issue 12, remedies: step pages of their own (two pages take the one step UPDATE_REMEDY)
    "web:remedy-offer": Capability.RECORD_REMEDY,
    "web:remedy-answer": Capability.RECORD_REMEDY,
    "web:remedy-pay": Capability.RECORD_REMEDY,
    # issue 12, lessons: learning actions
    "web:learning-actions": Capability.VIEW_CASES,
    "web:learning-action": Capability.VIEW_CASES,
    "web:learning-action-new": Capability.MANAGE_LEARNING_ACTIONS,
    "web:learning-action-edit": Capability.MANAGE_LEARNING_ACTIONS,
    "web:learning-action-complete": Capability.MANAGE_LEARNING_ACTIONS,
    "web:learning-action-link": Capability.MANAGE_LEARNING_ACTIONS,
    "web:learning-action-unlink": Capability.MANAGE_LEARNING_ACTIONS,
    "web:case-learning-link": Capability.MANAGE_LEARNING_ACTIONS,
    # issue 12, yswd: "You said, we did" entries
    "web:you-said-list": Capability.DRAFT_YOU_SAID,
    "web:you-said-new": Capability.DRAFT_YOU_SAID,
    "web:you-said-entry": Capability.DRAFT_YOU_SAID,
    "web:you-said-edit": Capability.DRAFT_YOU_SAID,
    "web:you-said-approve": Capability.APPROVE_YOU_SAID,
    "web:you-said-withdraw": Capability.DRAFT_YOU_SAID,
    # issue 12, points: the learning lists
    "web:learning-lists": Capability.MANAGE_LEARNING_LISTS,
    # issue 13, export: the flat export for business-intelligence tools
    "web:report-export": Capability.VIEW_REPORTS,
    "web:report-export-csv": Capability.VIEW_REPORTS,
    "web:report-export-workbook": Capability.VIEW_REPORTS,
    # issue 13, dash: the reports dashboard, its tables, and the board report's button
    "web:reports": Capability.VIEW_REPORTS,
    "web:reports-table-csv": Capability.VIEW_REPORTS,
    "web:reports-table-xlsx": Capability.VIEW_REPORTS,
    "web:reports-board": Capability.PREPARE_REPORTS,
    # issue 13, tsm: the measures and the complaints behind a figure
    "web:tsm": Capability.VIEW_REPORTS,
    "web:tsm-complaints": Capability.VIEW_REPORTS,
    "web:annual-report": Capability.PREPARE_REPORTS,
    "web:annual-evidence": Capability.PREPARE_REPORTS,
    "web:report-documents": Capability.VIEW_REPORTS,
    "web:report-document-pdf": Capability.VIEW_REPORTS,
    # issue 15, sar: a customer's subject access export
    "web:subject-access": Capability.SUBJECT_ACCESS,
    "web:subject-access-export": Capability.SUBJECT_ACCESS,
    # issue 15, vuln: disclosed vulnerabilities, recorded from the case page
    "web:vulnerability-record": Capability.RECORD_VULNERABILITIES,
    "web:vulnerability-review": Capability.RECORD_VULNERABILITIES,
    "web:vulnerability-withdraw": Capability.RECORD_VULNERABILITIES,
    # issue 15, anonymise: a customer's right to erasure (the confirmation page; the erasure is its POST)
    "web:customer-erase": Capability.ERASE_PERSONAL_DATA,
}
#: What a page answers a role that may open it, when not 200.
OPENS_WITH = {
    ("web:two-factor-off", None): 302,  # no second factor to turn off: back to the account page
    ("web:two-factor-off", Role.ADMINISTRATOR): 403,  # administrators may not turn it off
    ("web:two-factor", Role.ADMINISTRATOR): 302,  # the code is given: on to the page asked for
    ("web:letter-posted", None): 405,  # a button on the case page: POST only
    ("web:email-retry", None): 405,  # a button on the case page: POST only
    # issue 12, remedies: money not yet accepted is not paid: back to the case page, saying why
    ("web:remedy-pay", None): 302,
    # issue 12, lessons: forms on the learning action's page, POST only
    ("web:learning-action-edit", None): 405,
    ("web:learning-action-complete", None): 405,
    ("web:learning-action-link", None): 405,
    ("web:learning-action-unlink", None): 405,
    # issue 13, tsm: a figure is an organisation's: without one, back to the measures
    ("web:tsm-complaints", None): 302,
    ("web:you-said-approve", None): 405,  # issue 12, yswd: a button on the entry's page: POST only
    ("web:reports-board", None): 405,  # issue 13, dash: a button on the dashboard: POST only
    ("web:subject-access-export", None): 405,  # issue 15, sar: a button on the search page: POST only
}


def hidden_from(role: str, complaint: Complaint | None) -> bool:
    """A panel member (who may be a resident) sees only the cases that reached the appeal:
    any other case is "not found" to them, as one of another landlord is."""
    return complaint is not None and role == Role.PANEL_MEMBER and complaint.stage < 3


def opens_with(route: Route, role: str, complaint: Complaint | None) -> int:
    if hidden_from(role, complaint):
        return 404
    return OPENS_WITH.get((route.name, role), OPENS_WITH.get((route.name, None), 200))


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
OTHER_LANDLORD_ROLES = [
    Role.SENIOR_MANAGER,
    Role.PANEL_MEMBER,
    Role.CUSTOMER_SERVICES,
    Role.SAFEGUARDING_LEAD,
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """The landlord's cases (made on demand) and a member of staff of each role, here and elsewhere."""

    def __init__(self, cases: Cases, officer: User, senior: User, org: Any, team: Any) -> None:
        self.cases = cases
        self.officer, self.org, self.team = officer, org, team
        self._staff: dict[str, User] = {Role.RESOLUTION_OFFICER: officer, Role.SENIOR_MANAGER: senior}
        self._outsiders: dict[str, User] = {}

    def staff(self, role: str) -> User:
        if role not in self._staff:
            self._staff[role] = pages.make_user(f"our-{role}".replace("_", "-"), role, self.org, self.team)
        return self._staff[role]

    def outsiders(self) -> list[User]:
        if not self._outsiders:
            elsewhere = pages.other_landlord()
            for role in OTHER_LANDLORD_ROLES:
                self._outsiders[role] = pages.make_user(f"their-{role}".replace("_", "-"), role, elsewhere)
        return list(self._outsiders.values())

    def complaint_for(self, route: Route, state: str | None = None) -> Complaint | None:
        return self.cases.at(state or self.cases.state_for(route)) if route.about_a_case else None

    def urls(
        self, route: Route, complaint: Complaint | None, items_from: Complaint | None = None
    ) -> list[str]:
        """The route's URLs with real values: the complaint's reference, its items (or those of
        ``items_from``, for a case where the items could not be made), a real reset token."""
        source = items_from or complaint
        kwargs = self.cases.kwargs(route, source, self.officer)
        if complaint is not None:
            kwargs = [{**k, "reference": complaint.reference} for k in kwargs]
        return [reverse(route.name, kwargs=k) for k in kwargs]

    def sign_in(self, client: Any, user: User) -> None:
        """As the user; an administrator with the code from an app they must give."""
        client.logout()
        if user.role == Role.ADMINISTRATOR:
            sign_in_with_code(client, user)
        else:
            client.force_login(user)


@pytest.fixture(scope="module")
def _made_once(django_db_setup, django_db_blocker) -> Iterator[tuple[Cases, User, User, Any, Any]]:
    """The landlord, its staff and a case in every state of the journey, made once for the module
    (not once a test: two seconds each): every test here refuses or reads, and whatever a test
    does is rolled back after it (tests/shared_db.py). Staff of other roles and the items a route
    needs (actions, letters...) are still made by the test that asks for them."""

    def make() -> tuple[Cases, User, User, Any, Any]:
        org = make_org()
        team = make_team(org)
        officer = _user("olivia", Role.RESOLUTION_OFFICER, team, org)
        senior = _user("sam", Role.SENIOR_MANAGER, team, org)
        frontline = _user("fran", Role.CUSTOMER_SERVICES, team, org)
        cases = Cases(Journey(complaint_logger(org, make_customer(org), frontline), officer, senior), officer)
        for state in JOURNEY:
            cases.at(state)
        cases.at(HELD)  # issue 15, retention
        return cases, officer, senior, org, team

    yield from made_once(django_db_blocker, make)


@pytest.fixture
def world(db, _made_once) -> World:
    return World(*_made_once)


# What a refusal must leave as it was


def everything() -> dict[str, object]:
    """Everything any page could change: complaints, their timelines and records, customers, staff."""

    def rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
        return list(model.objects.order_by("pk").values_list("pk", *fields))

    return {
        "complaints": rows(Complaint, "version", "state", "stage", "owner_id", "team_id"),
        "timeline": TimelineEvent.objects.count(),
        "actions": rows(Action, "completed_at"),
        "concerns": rows(Concern, "status", "referred_to_id"),
        "contacts": Contact.objects.count(),
        "evidence": (EvidenceRequest.objects.count(), Attachment.objects.count()),
        "restrictions": Restriction.objects.count(),
        "customers": Customer.objects.count(),
        "staff": rows(User, "password", "is_active", "receives_daily_digest"),
        "letters": rows(Letter, "status", "posted_at"),
        "templates": LetterTemplate.objects.count(),
        "emails": rows(OutboundEmail, "status", "attempts"),
        "devices": TOTPDevice.objects.filter(confirmed=True).count(),
        # issue 12, remedies
        "remedies": rows(Remedy, "status", "amount"),
        # issue 12, lessons
        "learning_actions": rows(LearningAction, "version", "completed_at", "owner_id"),
        "learning_links": LearningActionLink.objects.count(),
    }


def form_data(complaint: Complaint | None, world: World) -> dict[str, Any]:
    """A post a caseworker could send: the fields of the step forms, filled plausibly, so that a page
    missing its check would have something to act on."""
    in_a_fortnight = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    data: dict[str, Any] = {
        "method": "phone",
        "direction": "outbound",
        "summary": "Talked it through",
        "description": "Something to record",
        "reason": "other",
        "explanation": "The customer explained",
        "owner": world.officer.pk,
        "team": world.team.pk,
        "note": "Done",
        "outcome": "Resolved",
        "kind": "safeguarding",
        "route": "signpost",
        "signpost_to": "Repairs",
        "grounds": "b",
        "criteria": "a",
        "agreed": "on",
        "location": "Head office",
        "meeting_at": f"{in_a_fortnight}T14:00",
        "new_due_on": in_a_fortnight,
        "due_on": in_a_fortnight,
        "review_on": in_a_fortnight,
        "good_reason": "Waiting for a surveyor",
        "restrictions": "Email only",
        "done": "Fixed it",
        "told": "Told them",
        "to": world.officer.pk,
        "old_password": pages.PASSWORD,
        "new_password1": "a-quite-different-passphrase",
        "new_password2": "a-quite-different-passphrase",
        "code": "123456",
        "q": "Lovelace",
        "subject": "About your complaint",
        "body": "We are writing about your complaint.",
        "receives_daily_digest": "no",
        "action": "save",
        "based_on": 1,
        "wording": "The fence was never mended",
        "first": "The repair was late",
        "second": "Nobody called back",
    }
    if complaint is not None:
        data["version"] = complaint.version
        for point in complaint.points.all():
            data[f"outcome_{point.pk}"] = "upheld"
            data[f"reasons_{point.pk}"] = "We got this wrong"
    return data


def refused(client: Any, url: str, status: int, data: dict[str, Any], who: str) -> Iterator[Any]:
    """GET and POST the URL; each answers ``status`` and the database is as it was."""
    before = everything()
    for method in ("get", "post"):
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == status, (
            f"{who}: {method.upper()} {url} answered {response.status_code}, not {status}"
        )
        assert everything() == before, f"{who}: {method.upper()} {url} changed something"
        yield response


def page_text(response: Any) -> str:
    """The page as served, less the sign-out form's CSRF token (new for every response)."""
    return CSRF_TOKEN.sub('name="csrfmiddlewaretoken"', response.content.decode())


def ids(value: object) -> str:
    if isinstance(value, tuple):
        return "@".join(str(v) for v in value)
    return str(value)


# The walk


def test_the_walk_covers_every_url_of_the_workspace():
    """Every name Django can reverse in the workspace is walked, once, and each is accounted for:
    public, a step page (with a state to try it in) or a page whose capability is written down."""
    walked = [route.name for route in ROUTES]
    assert len(walked) == len(set(walked)), "two workspace URLs share a name"
    assert set(walked) == pages.names_in_resolver()
    assert len(walked) == len(pages.names_in_resolver())
    assert set(PUBLIC) <= set(walked), f"public pages that no longer exist: {set(PUBLIC) - set(walked)}"
    steps = {route.name for route in STEP_ROUTES}
    assert steps == {f"web:{page.url_name}" for page in STEP_PAGES}, "a step page without its URL"
    unaccounted = set(walked) - set(PUBLIC) - steps - set(PAGE_CAPABILITIES)
    assert not unaccounted, f"say in PAGE_CAPABILITIES (or pages.PUBLIC) who may open {sorted(unaccounted)}"
    assert not set(PAGE_CAPABILITIES) - set(walked), "PAGE_CAPABILITIES names a page that no longer exists"
    missing_states = [route.name for route in STEP_ROUTES if route.step_page.step not in STEP_STATES]  # type: ignore[union-attr]
    assert not missing_states, f"say in tests/web/pages.py STEP_STATES where to try {missing_states}"


@pytest.mark.parametrize("route", ROUTES, ids=ids)
def test_each_url_is_filled_with_real_values_and_resolves_to_itself(world, route):
    complaint = world.complaint_for(route)
    for url in world.urls(route, complaint):
        assert f"{pages.NAMESPACE}:{resolve(url).url_name}" == route.name, url


# (a) A stranger


@pytest.mark.parametrize("route", ROUTES, ids=ids)
def test_a_stranger_is_sent_to_sign_in_from_every_page_but_the_public_ones(client, world, route):
    complaint = world.complaint_for(route)
    for url in world.urls(route, complaint):
        if route.name in PUBLIC:
            response = client.get(url)
            assert response.status_code == PUBLIC[route.name], f"{url} answered {response.status_code}"
            assert not response.get("Location", "").startswith(reverse("web:sign-in")), url
            continue
        for response in refused(client, url, 302, form_data(complaint, world), "a stranger"):
            where = urlsplit(response["Location"])
            assert where.path == reverse("web:sign-in"), f"{url} sent a stranger to {where.path}"
            assert parse_qs(where.query) == {"next": [url]}, f"{url}: {response['Location']}"


def test_the_password_reset_link_is_the_real_one(client, world):
    """The public page with a token is tried with a real one: it goes on to the new-password form."""
    user = world.officer
    url = world.urls(next(r for r in ROUTES if r.name == "web:password-reset-confirm"), None)[0]
    assert default_token_generator.check_token(user, url.rstrip("/").rsplit("/", 1)[1])
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert b"new password" in response.content.lower()


# (b) Staff of another landlord


@pytest.mark.parametrize("route", ABOUT_A_CASE, ids=ids)
def test_another_landlords_staff_are_told_the_case_is_not_found(client, world, route):
    """Whatever their role, in a state that allows the step and in one that does not: 404, the
    same answer as for a reference that does not exist, and nothing changes."""
    allowed = world.complaint_for(route)
    assert allowed is not None
    not_now = world.cases.at(NOT_NOW.get(world.cases.state_for(route), NOT_NOW_DEFAULT))
    for complaint in (allowed, not_now):
        urls = world.urls(route, complaint, items_from=allowed)
        for outsider in world.outsiders():
            world.sign_in(client, outsider)
            who = f"{outsider.get_role_display()} of another landlord, {complaint.state} case"
            for url in urls:
                nowhere = page_text(client.get(url.replace(complaint.reference, "PR-NOWHERE")))
                for response in refused(client, url, 404, form_data(complaint, world), who):
                    assert complaint.customer.last_name not in page_text(response)
                    # The very page a reference that does not exist gets.
                    assert page_text(response) == nowhere.replace("PR-NOWHERE", complaint.reference)


# (c) A role without the step's capability


@pytest.mark.parametrize(("route", "state"), STEP_CASES, ids=ids)
def test_a_role_without_the_steps_capability_is_forbidden_its_page(client, world, route, state):
    assert state is not None, f"say in tests/web/pages.py STEP_STATES where {route} is allowed"
    step = route.step_page.step
    complaint = world.cases.at(state)
    assert step in pages.allowed_now(complaint), f"{step} is not allowed at {state}: fix STEP_STATES"
    capability = step_capability(step, complaint.stage)
    lacking = [role for role in ROLES if capability not in ROLE_CAPABILITIES[role]]
    assert lacking, f"every role may take {step}: nobody to refuse"
    not_now = world.cases.at(NOT_NOW.get(state, NOT_NOW_DEFAULT))
    for case in (complaint, not_now):
        urls = world.urls(route, case, items_from=complaint)
        needed = step_capability(step, case.stage)  # responding at stage 2 is a Senior Manager's
        for role in (role for role in ROLES if needed not in ROLE_CAPABILITIES[role]):
            world.sign_in(client, world.staff(role))
            who = f"{Role(role).label}, {case.state} case"
            status = 404 if hidden_from(role, case) else 403
            for url in urls:
                for _response in refused(client, url, status, form_data(case, world), who):
                    pass
    # The refusal is the role's: someone whose role allows the step opens the same page.
    able = next(role for role in ROLES if capability in ROLE_CAPABILITIES[role])
    world.sign_in(client, world.staff(able))
    for url in world.urls(route, complaint):
        response = client.get(url)
        assert response.status_code == 200, f"{Role(able).label}: GET {url} answered {response.status_code}"


# The other pages that ask for a capability


OTHER_PAGES = [r for r in PRIVATE if r.step_page is None]


@pytest.mark.parametrize("route", OTHER_PAGES, ids=ids)
def test_each_other_page_opens_for_the_roles_it_names_and_no_other(client, world, route):
    assert route.name in PAGE_CAPABILITIES, f"say in PAGE_CAPABILITIES who may open {route}"
    capability = PAGE_CAPABILITIES[route.name]
    complaint = world.complaint_for(route)
    urls = world.urls(route, complaint)
    for role in ROLES:
        world.sign_in(client, world.staff(role))
        allowed = capability is None or capability in ROLE_CAPABILITIES[role]
        if not allowed:
            status = 404 if hidden_from(role, complaint) else 403
            for _response in refused(client, urls[0], status, form_data(complaint, world), Role(role).label):
                pass
            continue
        for url in urls:
            response = client.get(url)
            expected = opens_with(route, role, complaint)
            assert response.status_code == expected, (
                f"{Role(role).label}: GET {url} answered {response.status_code}"
            )


# The letters: each kind is its step's


@pytest.mark.parametrize("kind", list(LetterKind), ids=ids)
def test_each_kind_of_letter_is_forbidden_to_roles_whose_steps_it_does_not_report(client, world, kind):
    """The write page of a kind, at stage 1 and at the appeal, answers 403 to a role that sends
    letters but does not take the step the letter reports (a customer services adviser and the
    panel's decision), with GET and POST, and changes nothing; a role that takes it is not refused."""
    for state in ("accepted", "final"):
        complaint = world.cases.at(state)
        url = reverse(
            "web:letter-write",
            kwargs={"reference": complaint.reference, "letter_kind": kind.value.replace("_", "-")},
        )
        needed = rights.needed(kind, complaint.stage)
        for role in ROLES:
            capabilities = ROLE_CAPABILITIES[role]
            world.sign_in(client, world.staff(role))
            who = f"{Role(role).label}, {kind.label}, {state} case"
            if hidden_from(role, complaint):
                status = 404
            elif Capability.SEND_LETTERS not in capabilities or needed not in capabilities:
                status = 403
            else:
                # Theirs: written (200) or, when the case's facts do not allow it now, back to the chooser.
                assert client.get(url).status_code in (200, 302), who
                continue
            for _response in refused(client, url, status, form_data(complaint, world), who):
                pass


# issue 15, inputsec: no staff page or download is kept in a cache, and no broken body is a 500


@pytest.mark.parametrize("route", PRIVATE, ids=ids)
def test_every_staff_page_and_download_says_no_store(client, world, route):
    complaint = world.complaint_for(route)
    world.sign_in(client, world.officer)
    url = world.urls(route, complaint)[0]
    response = client.get(url)
    assert "no-store" in response.get("Cache-Control", ""), f"GET {url} ({response.status_code})"


def test_the_public_pages_keep_their_caching(client, world):
    for name in ("portal:privacy", "portal:accessibility", "portal:you-said-choose"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), name


BROKEN_BODIES = {
    "malformed JSON": ("application/json", b'{"summary": "Roof", '),
    "wrong content type": ("text/plain", b"summary=Roof"),
    "multipart without boundary": ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\nhi"),
    "oversized body": ("application/x-www-form-urlencoded", b"summary=" + b"x" * 5000),
}


@pytest.mark.parametrize("kind", list(BROKEN_BODIES))
def test_a_broken_body_posted_to_any_page_is_never_a_server_error(client, world, settings, kind):
    """Every URL of the workspace, POSTed once as a signed-in caseworker. A form that cannot be
    read (no boundary, too large) is a 4xx; one read as empty is shown again with its errors."""
    settings.PUTRIGHT_MAX_REQUEST_BYTES = 4096
    content_type, body = BROKEN_BODIES[kind]
    world.sign_in(client, world.officer)
    answers = {}
    for route in ROUTES:
        if route.name in {"web:sign-out"}:
            continue  # it would sign the caseworker out of the rest of the walk
        url = world.urls(route, world.complaint_for(route))[0]
        answers[url] = client.generic("POST", url, body, content_type=content_type).status_code
    assert {url: s for url, s in answers.items() if s >= 500} == {}
    if kind in {"multipart without boundary", "oversized body"}:
        assert {url: s for url, s in answers.items() if not 400 <= s < 500} == {}


def test_two_factor_with_a_next_that_is_no_path_goes_home(client, world):
    world.sign_in(client, world.officer)
    response = client.get(reverse("web:two-factor") + "?next=abc")
    assert response.status_code == 200
    assert 'value="abc"' not in response.content.decode()
