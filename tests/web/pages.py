"""Every URL of the workspace, read from its URL configuration, and the cases to fill them with.

The tests that make a promise for every page (tests/web/test_every_url.py,
tests/browser/test_every_page.py) take their list of pages from here, and
this list from ``putright.web.urls`` itself: a page added to the workspace is
in it at once, and a parameter nobody knows how to fill fails loudly instead
of leaving the page out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.models import Action, Attachment, Complaint, Concern, Restriction
from putright.cases.policies import rules_for
from putright.cases.selectors.facts import facts_of
from putright.cases.services import concerns, evidence, responses
from putright.cases.services.legal_hold import place_legal_hold
from putright.comms.models import EmailStatus, Letter, LetterKind, OutboundEmail
from putright.procedure import machine
from putright.procedure.states import Step
from putright.web import urls as web_urls
from putright.web.steps.framework import StepPage
from putright.web.steps.pages import ALL as STEP_PAGES
from tests.cases.conftest import Journey
from tests.learning.helpers import record_learning
from tests.web import comms_helpers

NAMESPACE = "web"
PASSWORD = "correct-horse-battery"
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")

#: Pages anyone may open without signing in, and what each answers a stranger's GET.
#: A new public page must be added here knowingly (tests/web/test_every_url.py checks it).
PUBLIC = {
    "web:sign-in": 200,
    "web:sign-out": 405,  # signing out is a POST (a link or an image could not sign anyone out)
    "web:password-reset": 200,
    "web:password-reset-sent": 200,
    "web:password-reset-confirm": 302,  # a real token: on to the new-password form
    "web:invitation": 200,  # issue 14, landlord: a reset token is no invitation: "this link does not work"
    "web:password-reset-complete": 200,
    # issue 14, oidc: signing in with the organisation's account; "not found" while it is not set up
    "web:oidc-start": 404,
    "web:oidc-callback": 404,
}

#: issue 15, retention: not a state of the journey but an accepted case under legal hold.
HELD = "held"

#: For each step page, the states of the standard journey (tests/cases/conftest.py) in which the
#: procedure allows the step, one per stage whose rules differ (responding and extending at stage 2
#: are a Senior Manager's).
STEP_STATES: dict[Step, tuple[str, ...]] = {
    Step.ACCEPT: ("received",),
    Step.RESOLVE_INFORMALLY: ("received",),
    Step.NOT_ACCEPT: ("received",),
    Step.RECORD_CONTACT: ("accepted",),
    Step.REQUEST_EVIDENCE: ("accepted",),
    Step.ADD_EVIDENCE: ("accepted",),
    Step.EXTEND: ("accepted", "escalated"),
    Step.RESPOND: ("accepted", "escalated"),
    Step.ADD_ACTION: ("responded",),
    Step.COMPLETE_ACTION: ("responded",),
    Step.CLOSE: ("responded",),
    Step.ESCALATE: ("responded",),
    Step.REQUEST_APPEAL: ("responded2",),
    Step.REFUSE_APPEAL: ("appealed",),
    Step.SCHEDULE_APPEAL: ("appealed",),
    Step.DECIDE_APPEAL: ("scheduled",),
    Step.RECORD_FINAL_RESPONSE: ("decided",),
    Step.WITHDRAW: ("accepted",),
    Step.REASSIGN: ("accepted",),
    Step.RAISE_NEW_MATTER: ("accepted",),
    Step.FLAG_CONCERN: ("accepted",),
    Step.REFER_CONCERN: ("accepted",),
    Step.CLOSE_CONCERN: ("accepted",),
    Step.RECORD_RESTRICTION: ("accepted",),
    # points (issue 11)
    Step.ADD_POINT: ("accepted",),
    Step.EDIT_POINT: ("accepted",),
    Step.SPLIT_POINT: ("accepted",),
    Step.EDIT_SUMMARY: ("received",),
    # conduct
    Step.REVIEW_RESTRICTION: ("accepted",),
    Step.RENEW_RESTRICTION: ("accepted",),
    Step.END_RESTRICTION: ("accepted",),
    Step.DECLINE_TO_INVESTIGATE: ("accepted",),
    # issue 12, points: learning on a point, from triage on
    Step.RECORD_LEARNING: ("accepted",),
    # issue 13, tsm: the stock type, corrected in any state
    Step.CORRECT_STOCK_TYPE: ("accepted",),
    # issue 15, retention: a hold placed and lifted whatever the state (lifted only where one is)
    Step.PLACE_LEGAL_HOLD: ("accepted",),
    Step.LIFT_LEGAL_HOLD: (HELD,),
}

#: issue 12, points: the states after a response, whose cases have their learning recorded.
ANSWERED_STATES = frozenset({"responded", "escalated", "responded2", "appealed", "scheduled", "decided"})

#: A state in which a step is not allowed: the page must still answer 403 or 404 first.
NOT_NOW = {"received": "accepted", HELD: "accepted"}
NOT_NOW_DEFAULT = "received"

#: Roles in the order a test picks them (the administrator, who may do everything, last).
ROLES = [
    Role.MANAGER,
    Role.PANEL_MEMBER,
    Role.SAFEGUARDING_LEAD,
    Role.HEALTH_SAFETY_LEAD,
    Role.CUSTOMER_SERVICES,
    Role.RESOLUTION_OFFICER,
    Role.SENIOR_MANAGER,
    Role.ADMINISTRATOR,
]


@dataclass(frozen=True)
class Route:
    """One named URL of the workspace: its name, its full route and the parameters it takes."""

    name: str
    route: str
    parameters: tuple[str, ...]
    step_page: StepPage | None

    @property
    def about_a_case(self) -> bool:
        return "reference" in self.parameters

    def __str__(self) -> str:
        return self.name


def _walk(patterns: Iterable[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def web_routes() -> list[Route]:
    """Every named URL in ``putright.web.urls``, walked through its includes."""
    by_name = {page.url_name: page for page in STEP_PAGES}
    routes = []
    for route, pattern in _walk(web_urls.urlpatterns):
        assert pattern.name, f"the workspace URL {route!r} has no name"
        parameters = tuple(PARAMETER.findall(route))
        routes.append(Route(f"{NAMESPACE}:{pattern.name}", route, parameters, by_name.get(pattern.name)))
    return routes


def names_in_resolver() -> set[str]:
    """The names Django can reverse in the workspace's namespace, from the project's resolver."""
    _prefix, resolver = get_resolver().namespace_dict[NAMESPACE]
    return {f"{NAMESPACE}:{key}" for key in resolver.reverse_dict if isinstance(key, str)}


def make_user(username: str, role: str, org: Organisation | None, team: Any = None) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.title(),
        last_name="Staff",
        role=role,
        team=team,
        email=f"{username}@example.org",
    )
    if org is not None:
        user.organisations.add(org)
    return user


def other_landlord() -> Organisation:
    """A landlord outside the Flagship Group: none of its staff may see the group's cases."""
    return Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD, homes=10
    )


def allowed_now(complaint: Complaint) -> list[Step]:
    return machine.allowed_steps(facts_of(complaint), rules_for(complaint))


class Cases:
    """Complaints in the states of the standard journey, made on demand (one per state), and the
    actions, concerns and files the item routes need."""

    def __init__(self, journey: Journey, officer: User) -> None:
        self.journey, self.officer = journey, officer
        self._made: dict[str, Complaint] = {}

    def at(self, state: str) -> Complaint:
        if state == HELD and state not in self._made:  # issue 15, retention: an accepted case, held
            self._made[state] = place_legal_hold(
                self.journey.until("accepted"), actor=self.officer, reason="A disrepair claim"
            )
        if state not in self._made:
            self._made[state] = self.journey.until(state)
            if state in ANSWERED_STATES:  # issue 12: closing (or refusing an appeal) needs it
                record_learning(self._made[state], self.officer)
        complaint = self._made[state]
        complaint.refresh_from_db()
        return complaint

    def action(self, complaint: Complaint) -> Action:
        found = complaint.actions.order_by("pk").first()
        if found is None:
            found = responses.add_action(
                complaint,
                description="Send a roofer within 5 working days",
                due_on=timezone.localdate() + dt.timedelta(days=14),
                owner=self.officer,
                actor=self.officer,
            )
        return found

    def concern(self, complaint: Complaint) -> Concern:
        found = complaint.concerns.order_by("pk").first()
        if found is None:
            found = concerns.flag_concern(
                complaint, kind="safeguarding", description="The customer lives alone", actor=self.officer
            )
        return found

    def restriction(self, complaint: Complaint) -> Restriction:
        found = complaint.restrictions.order_by("pk").first()
        if found is None:
            found = concerns.record_restriction(
                complaint,
                reason="Abusive calls",
                restrictions="Written contact only",
                review_on=timezone.localdate() + dt.timedelta(days=90),
                actor=self.officer,
            )
        return found

    def item(self, route: Route, complaint: Complaint) -> int:
        """The action, concern, restriction or point of complaint an item's route is about."""
        if "/points/" in route.route:
            return complaint.points.order_by("number").values_list("pk", flat=True)[0]
        # issue 12, remedies
        if "/remedies/" in route.route:
            return self.remedy(complaint).pk
        return self._item(route, complaint).pk

    def _item(self, route: Route, complaint: Complaint) -> Action | Concern | Restriction:
        if "/actions/" in route.route:
            return self.action(complaint)
        if "/restrictions/" in route.route:
            return self.restriction(complaint)
        return self.concern(complaint)

    # issue 12, remedies
    def remedy(self, complaint: Complaint) -> Any:
        """Money offered on the case (answered, then paid, on its own pages)."""
        from putright.learning.models import Remedy
        from putright.learning.services.remedies import offer_remedy

        found = Remedy.objects.filter(complaint=complaint).order_by("pk").first()
        if found is None:
            found = offer_remedy(
                complaint,
                remedy_type="financial",
                description="For the days without heating",
                amount="25.00",
                purpose="loss_of_amenity",
                actor=self.officer,
            )
        return found

    def attachment(self, complaint: Complaint) -> Attachment:
        found = complaint.attachments.order_by("pk").first()
        if found is None:
            found = evidence.attach(
                complaint, name="letter.txt", content=b"The roof still leaks.", actor=self.officer
            )
        return found

    def letter(self, complaint: Complaint) -> Letter:
        """A letter sent on the case (to download, or to mark as posted)."""
        found = complaint.letters.order_by("pk").first()
        if found is None:
            found = comms_helpers.send(complaint, self.officer)
        return found

    def failed_email(self, complaint: Complaint) -> OutboundEmail:
        found = complaint.emails.filter(status=EmailStatus.FAILED).order_by("pk").first()
        return found or comms_helpers.failed_email(complaint)

    def you_said_entry(self) -> int:
        """issue 12, yswd: a draft "You said, we did" entry of the officer's landlord."""
        from putright.learning.models import YouSaidEntry
        from putright.learning.quarters import Quarter
        from putright.learning.services.you_said import draft_entry

        found = YouSaidEntry.objects.order_by("pk").first()
        if found is None:
            quarter = Quarter.containing(timezone.localdate())
            organisation = self.officer.organisations.order_by("pk").first()
            found = draft_entry(
                organisation, quarter, "Calls went unanswered.", "We hired.", None, [], [], self.officer
            )
        return found.pk

    def kwargs(self, route: Route, complaint: Complaint | None, user: User) -> list[dict[str, Any]]:
        """The route's parameters filled with real values: one set, or one per variant (export kinds)."""
        filled: dict[str, Any] = {}
        variants: list[dict[str, Any]] = [{}]
        for name in route.parameters:
            if name == "reference":
                assert complaint is not None
                filled[name] = complaint.reference
            elif name == "item":
                assert complaint is not None
                filled[name] = self.item(route, complaint)
            elif name == "attachment_id":
                assert complaint is not None
                filled[name] = self.attachment(complaint).pk
            elif name == "kind":
                variants = [{"kind": "csv"}, {"kind": "xlsx"}]
            elif name == "letter_id":
                assert complaint is not None
                filled[name] = self.letter(complaint).pk
            elif name == "email_id":
                assert complaint is not None
                filled[name] = self.failed_email(complaint).pk
            elif name in ("letter_kind", "template_kind"):
                filled[name] = LetterKind.ACKNOWLEDGEMENT.value.replace("_", "-")
            elif name == "version":
                filled[name] = 1
            elif name == "short_name":
                filled[name] = complaint.organisation.short_name if complaint else "VHT"
            elif name == "entry_id":  # issue 12, yswd
                filled[name] = self.you_said_entry()
            elif name == "uidb64":
                filled[name] = urlsafe_base64_encode(force_bytes(user.pk))
            elif name == "token":
                filled[name] = default_token_generator.make_token(user)
            # issue 12, publish: the "You said, we did" publish page's organisation and quarter
            elif name == "organisation":
                filled[name] = complaint.organisation.short_name if complaint else "VHT"
            elif name == "quarter":
                filled[name] = "2026-Q1"
            # issue 12, lessons: a learning action of the landlord, linked to the complaint if any
            elif name == "action_id":
                filled[name] = self.learning_action(complaint).pk
            elif name == "table":  # issue 13, export: a table of the flat export
                filled[name] = "stages"
            elif name == "name":  # issue 13, dash: a table of the reports dashboard
                filled[name] = "summary"
            elif name == "document_id":  # issue 13, tsm: a kept report of the officer's landlord
                filled[name] = self.report_document().pk
            elif name == "customer_id":  # issue 15, sar: the landlord's customer (of the case, if any)
                filled[name] = complaint.customer_id if complaint else self.customer_id()
            elif name == "vulnerability_id":  # issue 15, vuln: one the case's customer disclosed
                assert complaint is not None
                filled[name] = self.vulnerability(complaint).pk
            else:
                raise AssertionError(f"tests/web/pages.py does not know how to fill <{name}> of {route}")
        return [{**filled, **variant} for variant in variants]

    # issue 15, vuln
    def vulnerability(self, complaint: Complaint) -> Any:
        """A vulnerability the case's customer disclosed, with consent."""
        from putright.cases.models import Vulnerability
        from putright.cases.services.vulnerabilities import record_vulnerability

        found = Vulnerability.objects.filter(customer_id=complaint.customer_id).order_by("pk").first()
        return found or record_vulnerability(
            complaint.customer,
            kind="mental_health",
            detail="Anxiety about phone calls",
            support_needed="Write first, then call",
            disclosed_on=timezone.localdate(),
            disclosed_via="phone",
            consent_given_at=timezone.now(),
            consent_how="Said yes on the phone",
            consent_to_share=True,
            review_on=timezone.localdate() + dt.timedelta(days=180),
            actor=self.officer,
        )

    # issue 15, sar
    def customer_id(self) -> int:
        """The first customer of the landlord (the journey's customer)."""
        from putright.cases.models import Customer

        found = Customer.objects.order_by("pk").first()
        assert found is not None
        return found.pk

    # issue 13, tsm
    def report_document(self) -> Any:
        """A kept report document of the officer's landlord (a PDF drawn by hand: only its bytes matter)."""
        from putright.reports.models import DocumentKind, ReportDocument
        from putright.reports.periods import reporting_year
        from putright.reports.services.documents import save_document

        found = ReportDocument.objects.order_by("pk").first()
        return found or save_document(
            DocumentKind.ANNUAL,
            period=reporting_year(2025),
            organisation=self.officer.organisations.get(),
            title="Annual report",
            figures={},
            pdf=b"%PDF-1.4 made for the walk",
            actor=None,
        )

    # issue 12, lessons
    def learning_action(self, complaint: Complaint | None) -> Any:
        """An open learning action of the landlord, linked to ``complaint`` when given."""
        from putright.learning.models import LearningAction
        from putright.learning.services import lessons

        found = LearningAction.objects.order_by("pk").first()
        if found is None:
            found = lessons.create_learning_action(
                self.officer.organisations.get(),
                lesson="Roof repairs were cancelled without telling the customer",
                change="Tell the customer the same day a repair is cancelled",
                change_kind="procedure",
                owner=self.officer,
                due_on=timezone.localdate() + dt.timedelta(days=30),
                actor=self.officer,
            )
        if complaint is not None and not found.links.filter(complaint=complaint).exists():
            lessons.link_complaint(found, complaint, actor=self.officer)
        return found

    def state_for(self, route: Route) -> str:
        """The journey state a page is tried in: where its step is allowed, else a stage 1 case."""
        if route.step_page is None:
            return "accepted"
        states = STEP_STATES.get(route.step_page.step)
        assert states, f"tests/web/pages.py: say in STEP_STATES where {route} is allowed"
        return states[0]
