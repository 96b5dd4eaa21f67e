"""Who may call what: every operation of the API, checked for every role, generated from the URL list.

``EXPECTED`` below is the whole policy of the API, written out by hand: each
operation (method and path template, as in the OpenAPI document) and the
capability it needs. A test compares the table with the operations the API
really has, so an endpoint added without a line here (and so without its
check being tested) fails the suite. Then, for every operation:

- without credentials, or with an inactive user's token: 401, as problem+json;
- for every role: 403 (problem+json, type "forbidden") when the role lacks the
  capability, and neither 401, 403 nor 404 when it has it (whatever the
  procedure then says: 2xx, 409 or 422);
- for an operation on one complaint or customer: a user with the capability
  from another organisation gets the same 404 as for one that does not exist.

The organisations, staff, customers and complaints are made once for the
module, through the real services, inside a transaction rolled back at the
end; each test runs in its own savepoint, so what a test's request changes is
undone before the next.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from putright.accounts.models import Role
from putright.accounts.permissions import ROLE_CAPABILITIES, Capability
from putright.api.main import api as ninja_api
from putright.api.problems import CONTENT_TYPE, TYPE_BASE

API = "/api/v1"


@dataclass(frozen=True)
class ByStage:
    """A capability that depends on the stage the complaint is at."""

    stage1: Capability
    stage2: Capability


# The policy of the API: "METHOD path" -> the capability the caller's role needs.
EXPECTED: dict[str, Capability | ByStage] = {
    # Complaints
    "GET /api/v1/complaints": Capability.VIEW_CASES,
    "POST /api/v1/complaints": Capability.LOG_COMPLAINT,
    "GET /api/v1/complaints/{reference}": Capability.VIEW_CASES,
    "GET /api/v1/complaints/{reference}/attachments": Capability.VIEW_CASES,
    "POST /api/v1/complaints/{reference}/attachments": Capability.RECORD_CONTACT,
    "GET /api/v1/complaints/{reference}/attachments/{attachment_id}": Capability.VIEW_CASES,
    # Letters sent
    "GET /api/v1/complaints/{reference}/letters": Capability.VIEW_CASES,
    "GET /api/v1/complaints/{reference}/letters/{letter_id}/pdf": Capability.VIEW_CASES,
    "POST /api/v1/complaints/{reference}/letters": Capability.SEND_LETTERS,
    # Internal notes (staff only)
    "GET /api/v1/complaints/{reference}/notes": Capability.VIEW_CASES,
    "POST /api/v1/complaints/{reference}/notes": Capability.WRITE_NOTES,
    # Triage
    "POST /api/v1/complaints/{reference}/accept": Capability.TRIAGE,
    "POST /api/v1/complaints/{reference}/resolve-informally": Capability.TRIAGE,
    "POST /api/v1/complaints/{reference}/not-accept": Capability.TRIAGE,
    # Investigation and response
    "POST /api/v1/complaints/{reference}/contacts": Capability.RECORD_CONTACT,
    "POST /api/v1/complaints/{reference}/acknowledgement": Capability.RECORD_CONTACT,  # issue 13, ack
    "POST /api/v1/complaints/{reference}/evidence-requests": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/extensions": ByStage(
        Capability.RESPOND_STAGE1, Capability.RESPOND_STAGE2
    ),
    "POST /api/v1/complaints/{reference}/responses": ByStage(
        Capability.RESPOND_STAGE1, Capability.RESPOND_STAGE2
    ),
    "POST /api/v1/complaints/{reference}/actions": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/actions/{action_id}/complete": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/close": Capability.CLOSE,
    # Review and appeal
    "POST /api/v1/complaints/{reference}/escalate": Capability.ESCALATE,
    "POST /api/v1/complaints/{reference}/appeal": Capability.ESCALATE,
    "POST /api/v1/complaints/{reference}/appeal/refuse": Capability.MANAGE_APPEAL,
    "POST /api/v1/complaints/{reference}/appeal/schedule": Capability.ARRANGE_APPEAL,
    "POST /api/v1/complaints/{reference}/appeal/decision": Capability.DECIDE_APPEAL,
    "POST /api/v1/complaints/{reference}/final-response": Capability.DECIDE_APPEAL,
    # The case itself
    "POST /api/v1/complaints/{reference}/withdraw": Capability.WITHDRAW,
    "POST /api/v1/complaints/{reference}/reassign": Capability.REASSIGN,
    "POST /api/v1/complaints/{reference}/new-matters": Capability.RAISE_NEW_MATTER,
    "POST /api/v1/complaints/{reference}/concerns": Capability.FLAG_CONCERN,
    "POST /api/v1/complaints/{reference}/concerns/{concern_id}/refer": Capability.MANAGE_CONCERNS,
    "POST /api/v1/complaints/{reference}/concerns/{concern_id}/close": Capability.MANAGE_CONCERNS,
    "POST /api/v1/complaints/{reference}/restrictions": Capability.RECORD_RESTRICTION,
    # points (issue 11)
    "POST /api/v1/complaints/{reference}/points": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/points/{point_id}/reword": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/points/{point_id}/split": Capability.INVESTIGATE,
    "POST /api/v1/complaints/{reference}/summary": Capability.TRIAGE,
    # conduct: restrictions followed through, and the decision not to investigate
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/review": Capability.RECORD_RESTRICTION,
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/renew": Capability.RECORD_RESTRICTION,
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/end": Capability.RECORD_RESTRICTION,
    "POST /api/v1/complaints/{reference}/not-investigated": Capability.DECLINE_TO_INVESTIGATE,
    # Customers
    "GET /api/v1/customers": Capability.MANAGE_CUSTOMERS,
    "POST /api/v1/customers": Capability.MANAGE_CUSTOMERS,
    "GET /api/v1/customers/{customer_id}": Capability.MANAGE_CUSTOMERS,
    "POST /api/v1/customers/{customer_id}/representatives": Capability.MANAGE_CUSTOMERS,
    "POST /api/v1/customers/{customer_id}/representatives/{representative_id}/withdraw-consent": (
        Capability.MANAGE_CUSTOMERS
    ),
    # Reference data
    "GET /api/v1/organisations": Capability.VIEW_CASES,
    "GET /api/v1/users": Capability.VIEW_STAFF,
    "GET /api/v1/policy": Capability.VIEW_CASES,
    "GET /api/v1/deadlines": Capability.VIEW_CASES,
    # issue 12, publish: "You said, we did" publications and live figures
    "GET /api/v1/you-said-we-did/publications": Capability.VIEW_CASES,
    "POST /api/v1/you-said-we-did/publications": Capability.APPROVE_YOU_SAID,
    "GET /api/v1/you-said-we-did/publications/{publication_id}": Capability.VIEW_CASES,
    "GET /api/v1/you-said-we-did/figures": Capability.DRAFT_YOU_SAID,
    # issue 12, remedies
    "POST /api/v1/complaints/{reference}/remedies": Capability.RECORD_REMEDY,
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/accept": Capability.RECORD_REMEDY,
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/decline": Capability.RECORD_REMEDY,
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/pay": Capability.RECORD_REMEDY,
    "GET /api/v1/complaints/{reference}/remedies/suggestion": Capability.RECORD_REMEDY,
    # issue 12, lessons: learning actions
    "GET /api/v1/learning-actions": Capability.VIEW_CASES,
    "POST /api/v1/learning-actions": Capability.MANAGE_LEARNING_ACTIONS,
    "GET /api/v1/learning-actions/{learning_action_id}": Capability.VIEW_CASES,
    "PATCH /api/v1/learning-actions/{learning_action_id}": Capability.MANAGE_LEARNING_ACTIONS,
    "POST /api/v1/learning-actions/{learning_action_id}/complaints": Capability.MANAGE_LEARNING_ACTIONS,
    "DELETE /api/v1/learning-actions/{learning_action_id}/complaints/{reference}": (
        Capability.MANAGE_LEARNING_ACTIONS
    ),
    "POST /api/v1/learning-actions/{learning_action_id}/complete": Capability.MANAGE_LEARNING_ACTIONS,
    # issue 12, yswd: "You said, we did" entries
    "GET /api/v1/you-said-we-did/entries": Capability.DRAFT_YOU_SAID,
    "POST /api/v1/you-said-we-did/entries": Capability.DRAFT_YOU_SAID,
    "GET /api/v1/you-said-we-did/entries/{entry_id}": Capability.DRAFT_YOU_SAID,
    "PATCH /api/v1/you-said-we-did/entries/{entry_id}": Capability.DRAFT_YOU_SAID,
    "POST /api/v1/you-said-we-did/entries/{entry_id}/approve": Capability.APPROVE_YOU_SAID,
    "POST /api/v1/you-said-we-did/entries/{entry_id}/withdraw": Capability.DRAFT_YOU_SAID,
    "POST /api/v1/you-said-we-did/check": Capability.DRAFT_YOU_SAID,
    # issue 12, points: the learning lists and a point's learning
    "GET /api/v1/themes": Capability.VIEW_CASES,
    "GET /api/v1/service-areas": Capability.VIEW_CASES,
    "GET /api/v1/root-causes": Capability.VIEW_CASES,
    "POST /api/v1/complaints/{reference}/points/{point_id}/learning": Capability.RECORD_LEARNING,
    # issue 13, export: a table of the flat export
    "GET /api/v1/reports/export/{table}.csv": Capability.VIEW_REPORTS,
    # issue 13, tsm: the measures, the homes they divide by, and a complaint's stock type
    "GET /api/v1/reports/tsm": Capability.VIEW_REPORTS,
    "GET /api/v1/homes": Capability.VIEW_REPORTS,
    "PUT /api/v1/homes": Capability.MANAGE_HOMES,
    "POST /api/v1/complaints/{reference}/stock-type": Capability.TRIAGE,
    # issue 15, retention: a legal hold, placed and lifted
    "POST /api/v1/complaints/{reference}/legal-hold": Capability.PLACE_LEGAL_HOLD,
    "POST /api/v1/complaints/{reference}/legal-hold/lift": Capability.PLACE_LEGAL_HOLD,
    # issue 13, dash: the reports dashboard
    "GET /api/v1/reports/dashboard": Capability.VIEW_REPORTS,
}

#: The only addresses of the API that anyone may read without signing in.
PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs"}

#: Triage is tried on a complaint awaiting it; everything else on one at stage 1.
ON_RECEIVED = {
    "POST /api/v1/complaints/{reference}/accept",
    "POST /api/v1/complaints/{reference}/resolve-informally",
    "POST /api/v1/complaints/{reference}/not-accept",
}
UPLOAD = "POST /api/v1/complaints/{reference}/attachments"


def _in_weeks(weeks: int) -> str:
    """A Wednesday (a working day, bar a rare holiday) about that many weeks ahead."""
    day = timezone.localdate() + dt.timedelta(weeks=weeks)
    return (day + dt.timedelta(days=(2 - day.weekday()) % 7)).isoformat()


def _outcomes(place: Place) -> list[dict[str, Any]]:
    return [{"point_id": pk, "outcome": "upheld", "reasons": "We got this wrong"} for pk in place.point_ids]


#: A valid request body for each write (the complaint's version is added for steps), so that a
#: refusal is the permission check's and not the body's validation.
BODIES: dict[str, Callable[[Place], dict[str, Any]]] = {
    "POST /api/v1/complaints": lambda p: {
        "organisation": p.organisation,
        "customer_id": p.customer_id,
        "channel": "phone",
        "category": "service_failure",
        "summary": "Boiler broken again",
        "description": "The boiler has failed for the third time this winter.",
        "points": ["The boiler was not fixed"],
    },
    "POST /api/v1/complaints/{reference}/accept": lambda p: {
        "owner": p.usernames[Role.RESOLUTION_OFFICER],
        "reasoning": "A complaint.",
    },
    "POST /api/v1/complaints/{reference}/resolve-informally": lambda p: {"resolution": "Booked at once"},
    "POST /api/v1/complaints/{reference}/not-accept": lambda p: {
        "reason": "first_request_for_service",
        "explanation": "This is a first request for a repair; we have booked it.",
    },
    "POST /api/v1/complaints/{reference}/contacts": lambda p: {"method": "phone", "summary": "Called"},
    "POST /api/v1/complaints/{reference}/acknowledgement": lambda p: {},  # issue 13, ack
    "POST /api/v1/complaints/{reference}/letters": lambda p: {"kind": "contact_record"},
    "POST /api/v1/complaints/{reference}/evidence-requests": lambda p: {"description": "Photos of the leak"},
    "POST /api/v1/complaints/{reference}/extensions": lambda p: {
        "new_due_on": _in_weeks(3 if p.stage < 2 else 5),
        "reason": "We are waiting for the roofer's report.",
        "good_reason": "The roofer cannot inspect sooner.",
    },
    "POST /api/v1/complaints/{reference}/responses": lambda p: {
        "method": "letter",
        "summary": "We are sorry",
        "outcomes": _outcomes(p),
    },
    "POST /api/v1/complaints/{reference}/actions": lambda p: {
        "description": "Fix it",
        "due_on": _in_weeks(2),
    },
    "POST /api/v1/complaints/{reference}/actions/{action_id}/complete": lambda p: {"note": "Done"},
    "POST /api/v1/complaints/{reference}/close": lambda p: {},
    "POST /api/v1/complaints/{reference}/notes": lambda p: {"text": "The customer prefers afternoons."},
    "POST /api/v1/complaints/{reference}/escalate": lambda p: {
        "grounds": ["b"],
        "explanation": "The offer is too low",
        "owner": p.usernames[Role.SENIOR_MANAGER],
    },
    "POST /api/v1/complaints/{reference}/appeal": lambda p: {
        "criteria": ["a"],
        "explanation": "Point 2 was never looked at",
    },
    "POST /api/v1/complaints/{reference}/appeal/refuse": lambda p: {"reason": "Every action is done"},
    "POST /api/v1/complaints/{reference}/appeal/schedule": lambda p: {
        "meeting_at": f"{_in_weeks(3)}T14:00:00+00:00",
        "location": "Tom Moore House",
        "panel": {"board_member": "Bea Board", "resident": "Rita Resident", "executive": "Ed Executive"},
        "agreed_with_customer": True,
    },
    "POST /api/v1/complaints/{reference}/appeal/decision": lambda p: {
        "summary": "Upheld in full",
        "outcomes": _outcomes(p),
    },
    "POST /api/v1/complaints/{reference}/final-response": lambda p: {"method": "letter"},
    "POST /api/v1/complaints/{reference}/withdraw": lambda p: {"reason": "The customer asked"},
    "POST /api/v1/complaints/{reference}/reassign": lambda p: {"owner": p.usernames[Role.SENIOR_MANAGER]},
    "POST /api/v1/complaints/{reference}/new-matters": lambda p: {
        "route": "signpost",
        "description": "A noisy neighbour",
        "signpost_to": "Neighbourhood team",
    },
    "POST /api/v1/complaints/{reference}/concerns": lambda p: {
        "kind": "health_and_safety",
        "description": "Exposed wiring in the hall",
    },
    "POST /api/v1/complaints/{reference}/concerns/{concern_id}/refer": lambda p: {
        "to": p.usernames[Role.SAFEGUARDING_LEAD]
    },
    "POST /api/v1/complaints/{reference}/concerns/{concern_id}/close": lambda p: {"outcome": "Made safe"},
    "POST /api/v1/complaints/{reference}/restrictions": lambda p: {
        "reason": "Abusive calls",
        "restrictions": "Contact by email only",
        "review_on": _in_weeks(12),
    },
    # points (issue 11)
    "POST /api/v1/complaints/{reference}/points": lambda p: {"wording": "The fence was never mended"},
    "POST /api/v1/complaints/{reference}/points/{point_id}/reword": lambda p: {
        "wording": "The repair was late"
    },
    "POST /api/v1/complaints/{reference}/points/{point_id}/split": lambda p: {
        "first": "The repair was late",
        "second": "Nobody called back",
    },
    "POST /api/v1/complaints/{reference}/summary": lambda p: {"summary": "Roof leak"},
    # conduct
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/review": lambda p: {
        "conclusion": "Calls are civil now",
        "next_review_on": _in_weeks(12),
    },
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/renew": lambda p: {
        "reason": "More abusive calls",
        "review_on": _in_weeks(12),
    },
    "POST /api/v1/complaints/{reference}/restrictions/{restriction_id}/end": lambda p: {
        "reason": "No incidents since"
    },
    "POST /api/v1/complaints/{reference}/not-investigated": lambda p: {
        "reason": "Threats to staff",
        "legal_advice": "Our solicitor advised we may decline",
        "advice_on": timezone.localdate().isoformat(),
    },
    "POST /api/v1/customers": lambda p: {
        "organisation": p.organisation,
        "first_name": "Mary",
        "last_name": "Somerville",
        "email": "mary@example.org",
    },
    "POST /api/v1/customers/{customer_id}/representatives": lambda p: {
        "name": "Cllr Jones",
        "kind": "designated_person",
    },
    "POST /api/v1/customers/{customer_id}/representatives/{representative_id}/withdraw-consent": lambda p: {},
    # issue 12, publish: nothing is approved, so a senior manager's publish is a 409
    "POST /api/v1/you-said-we-did/publications": lambda p: {
        "organisation": p.organisation,
        "quarter": "2026-Q1",
    },
    # issue 12, remedies
    "POST /api/v1/complaints/{reference}/remedies": lambda p: {"type": "apology", "description": "Sorry"},
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/accept": lambda p: {},
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/decline": lambda p: {},
    "POST /api/v1/complaints/{reference}/remedies/{remedy_id}/pay": lambda p: {"payment_reference": "BACS 1"},
    # issue 12, lessons
    "POST /api/v1/learning-actions": lambda p: {
        "organisation": p.organisation,
        "lesson": "Repairs are cancelled without telling the customer",
        "change": "Repairs tell the customer the same day",
        "change_kind": "procedure",
        "owner": p.usernames[Role.SENIOR_MANAGER],
        "due_on": _in_weeks(4),
        "complaints": [p.reference] if p.reference else [],
    },
    "PATCH /api/v1/learning-actions/{learning_action_id}": lambda p: {"version": 1, "due_on": _in_weeks(6)},
    "POST /api/v1/learning-actions/{learning_action_id}/complaints": lambda p: {"reference": p.reference},
    "POST /api/v1/learning-actions/{learning_action_id}/complete": lambda p: {
        "version": 1,
        "evidence": "The repairs procedure, version 3",
    },
    # issue 12, yswd: "You said, we did" entries
    "POST /api/v1/you-said-we-did/entries": lambda p: {
        "organisation": p.organisation,
        "quarter": _this_quarter(),
        "you_said": "Repairs took too long.",
        "we_did": "We added a second repairs team.",
    },
    "POST /api/v1/you-said-we-did/entries/{entry_id}/approve": lambda p: {},
    "POST /api/v1/you-said-we-did/entries/{entry_id}/withdraw": lambda p: {"reason": "Said twice"},
    "POST /api/v1/you-said-we-did/check": lambda p: {"organisation": p.organisation, "text": "Ada said"},
    # issue 12, points
    "POST /api/v1/complaints/{reference}/points/{point_id}/learning": lambda p: {"theme": "leaks"},
}
QUERIES: dict[str, dict[str, str]] = {"GET /api/v1/deadlines": {"start": "2026-03-02T10:00"}}
# issue 12, publish
QUERIES["GET /api/v1/you-said-we-did/figures"] = {"organisation": "VHT", "quarter": "2026-Q1"}
# issue 12, remedies
QUERIES["GET /api/v1/complaints/{reference}/remedies/suggestion"] = {
    "rate": "missed_appointment",
    "units": "2",
}
# issue 13, tsm
QUERIES["GET /api/v1/reports/tsm"] = {"year": "2025-26"}
QUERIES["GET /api/v1/homes"] = {"year": "2025"}
# issue 13, dash
QUERIES["GET /api/v1/reports/dashboard"] = {"period": "2026-Q1"}
BODIES["POST /api/v1/complaints/{reference}/stock-type"] = lambda p: {"stock_type": "lcho"}
BODIES["POST /api/v1/complaints/{reference}/legal-hold"] = lambda p: {"reason": "A disrepair claim"}
BODIES["POST /api/v1/complaints/{reference}/legal-hold/lift"] = lambda p: {"reason": "Settled"}
BODIES["PUT /api/v1/homes"] = lambda p: {
    "year": 2025,
    "homes": [{"organisation": p.organisation, "stock_type": "lcra", "homes": 100}],
}
# issue 12, yswd
BODIES["PATCH /api/v1/you-said-we-did/entries/{entry_id}"] = lambda p: {"version": 1, "we_did": "Two teams."}


def _this_quarter() -> str:
    from putright.learning.quarters import Quarter

    return Quarter.containing(timezone.localdate()).key


# The operations the API has


def documented_operations() -> set[str]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, operations in paths.items() for method in operations}


def routed_operations() -> Iterator[tuple[str, Any]]:
    """Every operation the routers serve, in or out of the OpenAPI document, with its ninja Operation."""
    for bound in ninja_api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = re.sub(r"/+", "/", f"{API}/{bound.prefix}/{path}").rstrip("/")
            for operation in path_view.operations:
                for method in operation.methods:
                    yield f"{method.upper()} {full}", operation


def test_every_documented_operation_has_an_expected_capability():
    assert set(EXPECTED) == documented_operations()


def test_every_routed_operation_is_documented_and_needs_credentials():
    routed = dict(routed_operations())
    assert set(routed) == documented_operations()
    assert all(operation.auth_callbacks for operation in routed.values())


def test_every_documented_operation_declares_its_security():
    paths = ninja_api.get_openapi_schema()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} is documented without security"


def test_every_write_has_a_valid_body_in_this_file():
    writes = {op for op in EXPECTED if op.startswith(("POST ", "PATCH ", "PUT "))}  # issue 12: PATCH; 13: PUT
    assert set(BODIES) | {UPLOAD} == writes


def test_only_the_docs_and_the_openapi_document_are_public(db, client):
    patterns = {f"{API}/{p.pattern}" for p in ninja_api.urls[0]}
    routes = {re.sub(r"\{(\w+)\}", r"<\1>", op.split(" ", 1)[1]) for op in EXPECTED}
    assert patterns - routes == PUBLIC | {f"{API}/"}
    for address in PUBLIC:
        assert client.get(address).status_code == 200
    assert client.get(f"{API}/").status_code == 404  # the API's root is nothing


# The data: made once for the module


@dataclass
class Place:
    """Where a request goes: the organisation, complaint and customer its path parameters point at."""

    organisation: str
    usernames: dict[str, str]
    complaint_id: int | None = None
    stage: int = 0
    reference: str = ""
    point_ids: tuple[int, ...] = ()
    action_id: int = 0
    concern_id: int = 0
    restriction_id: int = 0  # conduct
    attachment_id: int = 0
    letter_id: int = 0
    customer_id: int = 0
    representative_id: int = 0
    publication_id: int = 0  # issue 12, publish
    remedy_id: int = 0  # issue 12, remedies
    learning_action_id: int = 0  # issue 12, lessons
    entry_id: int = 0  # issue 12, yswd: a draft "You said, we did" entry

    def path(self, operation: str) -> str:
        template = operation.split(" ", 1)[1]
        return template.format(
            reference=self.reference,
            action_id=self.action_id,
            concern_id=self.concern_id,
            restriction_id=self.restriction_id,
            attachment_id=self.attachment_id,
            letter_id=self.letter_id,
            customer_id=self.customer_id,
            representative_id=self.representative_id,
            point_id=self.point_ids[0] if self.point_ids else 0,
            publication_id=self.publication_id,  # issue 12, publish
            remedy_id=self.remedy_id,  # issue 12, remedies
            learning_action_id=self.learning_action_id,  # issue 12, lessons
            entry_id=self.entry_id,
            table="stages",  # issue 13, export
        )

    def version(self) -> int:
        from putright.cases.models import Complaint

        return Complaint.objects.values_list("version", flat=True).get(pk=self.complaint_id)


@dataclass
class World:
    home: dict[str, Place]  # "received", "stage1", "stage2": complaints of the staff's own landlord
    away: Place  # a complaint at stage 1 and a customer of another landlord
    unknown: Place  # a reference and ids that exist nowhere
    staff: dict[str, Any]  # role -> an active member of staff of the home landlord
    away_staff: dict[str, Any]  # role -> a member of staff of the other landlord (no administrator)
    inactive: Any  # an administrator whose account is disabled


def _staff(username: str, role: str, organisation, *, active: bool = True):
    from putright.accounts.models import User

    user = User.objects.create_user(
        username=username, password=None, first_name=username.title(), last_name="Staff", role=role
    )
    user.is_active = active
    user.save(update_fields=["is_active"])
    user.organisations.add(organisation)
    return user


def _customer(organisation, first_name: str):
    from putright.cases.services.customers import add_representative, create_customer

    customer = create_customer(
        organisation=organisation,
        first_name=first_name,
        last_name="Tenant",
        email=f"{first_name}@example.org",
    )
    representative = add_representative(
        customer=customer,
        name="Cllr Jones",
        kind="designated_person",
        consent_given_at=timezone.now(),
        consent_how="Signed form",
    )
    return customer, representative


def _log(organisation, customer, actor):
    from putright.cases.services.intake import log_complaint

    return log_complaint(
        organisation=organisation,
        customer=customer,
        channel="phone",
        received_at=timezone.now() - dt.timedelta(hours=2),
        summary="Leaking roof not repaired",
        description="The roof has leaked since January and the repair was cancelled twice.",
        points=["The repair was not done", "Nobody called back"],
        category="service_failure",
        actor=actor,
    )


def _place(organisation, staff, customer, representative, complaint=None) -> Place:
    place = Place(
        organisation=organisation.short_name,
        usernames={role: user.username for role, user in staff.items()},
        customer_id=customer.pk,
        representative_id=representative.pk,
    )
    if complaint is not None:
        place.complaint_id = complaint.pk
        place.stage = complaint.stage
        place.reference = complaint.reference
        place.point_ids = tuple(complaint.points.order_by("pk").values_list("pk", flat=True))
        place.action_id = next(iter(complaint.actions.values_list("pk", flat=True)), 0)
        place.concern_id = next(iter(complaint.concerns.values_list("pk", flat=True)), 0)
        place.restriction_id = next(iter(complaint.restrictions.values_list("pk", flat=True)), 0)
        place.attachment_id = next(iter(complaint.attachments.values_list("pk", flat=True)), 0)
        place.letter_id = next(iter(complaint.letters.values_list("pk", flat=True)), 0)
        place.remedy_id = next(iter(complaint.remedies.values_list("pk", flat=True)), 0)  # issue 12, remedies
    return place


def _at_stage1(organisation, customer, officer):
    """A complaint accepted at stage 1, with an agreed action, a flagged concern, a file of evidence
    and its acknowledgement letter."""
    from putright.cases.services import concerns, evidence, responses, triage
    from putright.comms.models import LetterKind
    from tests.web.comms_helpers import send

    complaint = _log(organisation, customer, officer)
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    responses.add_action(
        complaint,
        description="Repair the roof",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        actor=officer,
    )
    concerns.flag_concern(complaint, kind="safeguarding", description="A child at risk", actor=officer)
    concerns.record_restriction(
        complaint,
        reason="Abusive calls",
        restrictions="Written contact only",
        review_on=timezone.localdate() + dt.timedelta(days=90),
        actor=officer,
    )
    evidence.attach(complaint, name="photo-notes.txt", content=b"The ceiling is stained.", actor=officer)
    send(complaint, officer, LetterKind.ACKNOWLEDGEMENT)
    # issue 12, remedies: money offered, not yet answered
    from putright.learning.services.remedies import offer_remedy

    offer_remedy(
        complaint, remedy_type="financial", description="", amount="20.00", purpose="costs", actor=officer
    )
    return complaint


def _at_stage2(organisation, customer, officer, senior):
    from putright.cases.services import escalation, investigation, responses, triage

    complaint = _log(organisation, customer, officer)
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    investigation.record_contact(complaint, method="phone", summary="Talked it through", actor=officer)
    outcomes = dict.fromkeys(complaint.points.values_list("pk", flat=True), ("upheld", "We got this wrong"))
    responses.respond(complaint, outcomes=outcomes, method="letter", summary="Sorry", actor=officer)
    escalation.escalate(complaint, grounds={"b"}, explanation="Too little", owner=senior, actor=senior)
    return complaint


def _entry(organisation, officer) -> int:
    """issue 12, yswd: a draft "You said, we did" entry of the organisation."""
    from putright.learning.quarters import Quarter
    from putright.learning.services.you_said import draft_entry

    quarter = Quarter.containing(timezone.localdate())
    return draft_entry(organisation, quarter, "Calls went unanswered.", "We hired.", None, [], [], officer).pk


def _build_world() -> World:
    from putright.accounts.models import Organisation, OrganisationKind
    from putright.cases.models import Complaint, Customer

    # Phones and emails: their letters print both (a letter with a blank is refused).
    contact = {"phone": "0808 157 0001", "email": "complaints@example.org"}
    group = Organisation.objects.create(
        name="Flagship Group", short_name="FG", kind=OrganisationKind.GROUP, **contact
    )
    home = Organisation.objects.create(
        name="Victory Housing Trust", short_name="VHT", kind=OrganisationKind.LANDLORD, parent=group
    )
    away = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, **contact
    )
    staff = {role: _staff(f"home-{role}", role, home) for role in Role.values}
    away_staff = {
        role: _staff(f"away-{role}", role, away) for role in Role.values if role != Role.ADMINISTRATOR
    }
    inactive = _staff("home-disabled-administrator", Role.ADMINISTRATOR, home, active=False)
    officer, senior = staff[Role.RESOLUTION_OFFICER], staff[Role.SENIOR_MANAGER]
    away_officer = away_staff[Role.RESOLUTION_OFFICER]

    customer, representative = _customer(home, "Ada")
    away_customer, away_representative = _customer(away, "Grace")
    places = {
        "received": _log(home, customer, staff[Role.CUSTOMER_SERVICES]),
        "stage1": _at_stage1(home, customer, officer),
        "stage2": _at_stage2(home, customer, officer, senior),
    }
    home_places = {key: _place(home, staff, customer, representative, c) for key, c in places.items()}
    away_complaint = _at_stage1(away, away_customer, away_officer)
    away_place = _place(away, away_staff, away_customer, away_representative, away_complaint)

    # A reference, and ids, that exist nowhere; the same form as the real ones.
    unknown = _place(home, staff, customer, representative)
    unknown.reference = next(
        r for r in ("PR-000000", "PR-000001") if not Complaint.objects.filter(reference=r).exists()
    )
    beyond = (Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    unknown.customer_id = unknown.representative_id = beyond
    unknown.action_id = unknown.concern_id = unknown.attachment_id = unknown.letter_id = beyond
    unknown.restriction_id = beyond
    _publish_for_permissions(home, senior, home_places, unknown, beyond)  # issue 12, publish
    unknown.remedy_id = beyond  # issue 12, remedies
    # issue 12, lessons: a learning action of each landlord, linked to its stage 1 complaint
    home_places["stage1"].learning_action_id = _learning_action(home, senior, places["stage1"]).pk
    away_place.learning_action_id = _learning_action(away, away_staff[Role.SENIOR_MANAGER], away_complaint).pk
    unknown.learning_action_id = beyond
    # issue 12, yswd: a draft entry of each landlord, drafted by its officer
    home_places["stage1"].entry_id = _entry(home, officer)
    away_place.entry_id = _entry(away, away_officer)
    unknown.entry_id = beyond
    return World(home_places, away_place, unknown, staff, away_staff, inactive)


def _publish_for_permissions(home, senior, home_places, unknown, beyond) -> None:
    """issue 12, publish: a published quarter of the home landlord, for the publication's address."""
    from putright.learning.figures import Figures
    from putright.learning.models import Publication
    from putright.learning.quarters import Quarter

    figures = Figures(
        Quarter(dt.date(2025, 4, 1)), received=1, stage2_requests=0, responses=0, upheld=0, on_time=0
    )
    item = Publication.objects.create(
        organisation=home,
        quarter_start=dt.date(2025, 4, 1),
        version=1,
        published_at=timezone.now(),
        published_by=senior,
        figures=figures.as_json(),
        entries=[],
    )
    for place in home_places.values():
        place.publication_id = item.pk
    unknown.publication_id = beyond


# issue 12, lessons
def _learning_action(organisation, owner, complaint):
    from putright.learning.services import lessons

    return lessons.create_learning_action(
        organisation,
        lesson="Roof repairs were cancelled twice without a call",
        change="Repairs call the customer the same day",
        change_kind="procedure",
        owner=owner,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        complaints=[complaint],
        actor=owner,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")  # the evidence file and the letters' PDFs
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# Calling an operation


def _call(client, operation: str, place: Place):
    method = operation.split(" ", 1)[0]
    path = place.path(operation)
    if method == "GET":
        return client.get(path, QUERIES.get(operation))
    if operation == UPLOAD:
        return client.upload(
            path,
            name="letter.txt",
            content=b"A letter from the customer.",
            version=place.version() if place.complaint_id else 1,
            content_type="text/plain",
        )
    if method == "DELETE":  # issue 12, lessons
        return client.delete(path)
    body = BODIES[operation](place)
    if method == "PATCH":  # issue 12, lessons
        return client.patch(path, body)
    if method == "PUT":  # issue 13, tsm
        return client.put(path, body)
    if "/complaints/{reference}/" in operation:
        body["version"] = place.version() if place.complaint_id else 1
    return client.post(path, body)


def assert_problem(response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == CONTENT_TYPE
    problem = response.json()
    assert problem["type"] == TYPE_BASE + kind
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    return problem


def _cases() -> Iterator[tuple[str, str, Capability]]:
    """(operation, which complaint it is tried on, the capability it needs there)."""
    for operation, needs in EXPECTED.items():
        if isinstance(needs, ByStage):
            yield operation, "stage1", needs.stage1
            yield operation, "stage2", needs.stage2
        else:
            yield operation, "received" if operation in ON_RECEIVED else "stage1", needs


CASES = list(_cases())


def _id(case: tuple[str, str, Capability]) -> str:
    operation, on, _ = case
    return f"{operation}@{on}" if isinstance(EXPECTED[operation], ByStage) else operation


# The checks


@pytest.mark.parametrize("operation", list(EXPECTED))
def test_without_credentials_is_401(world, api, operation):
    response = _call(api.anonymous(), operation, world.home["stage1"])

    problem = assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"
    assert problem["instance"] == world.home["stage1"].path(operation)


@pytest.mark.parametrize("operation", list(EXPECTED))
def test_an_inactive_users_token_is_401(world, api, operation):
    response = _call(api.as_(world.inactive), operation, world.home["stage1"])

    assert_problem(response, 401, "unauthenticated")


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_role_is_refused_exactly_what_it_lacks(world, api, case, role):
    operation, on, needs = case
    response = _call(api.as_(world.staff[role]), operation, world.home[on])

    if role == Role.PANEL_MEMBER and "{reference}" in operation:
        # A panel member (perhaps a resident) sees only complaints that reached the appeal;
        # these have not, so to the panel they are not there at all.
        assert_problem(response, 404, "not-found")
    elif needs in ROLE_CAPABILITIES[role]:
        # Allowed: what follows is the procedure's answer (2xx, 409 or 422), never "not found",
        # since every path parameter names something real in the caller's own organisation.
        assert response.status_code not in (401, 403, 404), response.status_code
    else:
        problem = assert_problem(response, 403, "forbidden")
        assert problem["type"].endswith("forbidden")


SCOPED = [
    (operation, role)
    for operation, needs in EXPECTED.items()
    if "{reference}" in operation or "{customer_id}" in operation
    for role in Role.values
    if role != Role.ADMINISTRATOR
    and not (role == Role.PANEL_MEMBER and "{reference}" in operation)  # sees only appeals: see above
    and (needs.stage1 if isinstance(needs, ByStage) else needs) in ROLE_CAPABILITIES[role]
]


def _without_names(problem: dict[str, Any], operation: str, place: Place) -> dict[str, Any]:
    """The problem with the reference or customer it names (and its address) left out."""
    named = place.reference if "{reference}" in operation else f"customer {place.customer_id}"
    assert named in problem["detail"]
    return {**problem, "detail": problem["detail"].replace(named, "…"), "instance": "…"}


@pytest.mark.parametrize(("operation", "role"), SCOPED, ids=[f"{o}-{r}" for o, r in SCOPED])
def test_another_organisations_case_is_not_found_like_a_missing_one(world, api, operation, role):
    theirs = _call(api.as_(world.away_staff[role]), operation, world.away)
    assert theirs.status_code not in (401, 403, 404), theirs.status_code  # it is there, for its own staff

    client = api.as_(world.staff[role])
    elsewhere = assert_problem(_call(client, operation, world.away), 404, "not-found")
    missing = assert_problem(_call(client, operation, world.unknown), 404, "not-found")
    assert _without_names(elsewhere, operation, world.away) == _without_names(
        missing, operation, world.unknown
    )
