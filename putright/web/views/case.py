"""The case page: everything about one complaint, and the steps open now.

The page answers a caseworker's three questions in order: is anything late
(a warning above everything else, in words), what must I honour (flags,
restrictions, reasonable adjustments), and what can I do next (the steps the
procedure and my role allow now, as buttons; nothing else is offered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import NotFound
from putright.cases.models import Complaint, ConcernStatus, Deadline, Restriction
from putright.cases.policies import rules_for
from putright.cases.selectors.case_page import anonymised_on, case_page, evidence_file
from putright.cases.selectors.vulnerabilities import (  # issue 15, vuln
    visible_events,
    vulnerabilities_for_case,
)
from putright.comms.email.selectors import failed_acknowledgement, failed_emails_for_case
from putright.comms.letters.selectors import letters_for_case
from putright.downloads import private_file
from putright.learning.action_selectors import actions_of_complaint  # issue 12, lessons
from putright.learning.selectors import point_learning
from putright.learning.services.lessons import status_of  # issue 12, lessons
from putright.procedure.deadlines import contact_name
from putright.procedure.states import State, Step, stage_and_state
from putright.web.access import staff_user, staff_view
from putright.web.forms.notes import NoteForm
from putright.web.steps.framework import offered_now
from putright.web.steps.pages import BY_STEP
from putright.web.templatetags.casetags import DeadlineState, deadline_state
from putright.web.views.learning_points import learning_fix
from putright.web.views.remedies import remedies_section  # issue 12, remedies

#: The step that moves the case on, most decisive first: it gets the primary button.
NEXT_STEPS = (
    Step.ACCEPT,
    Step.RESPOND,
    Step.CLOSE,
    Step.SCHEDULE_APPEAL,
    Step.DECIDE_APPEAL,
    Step.RECORD_FINAL_RESPONSE,
)


@dataclass(frozen=True)
class Button:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class NotYet:
    """A step this state allows but the facts refuse now, shown with the reason instead of a button."""

    label: str
    reason: str
    #: Where to put it right, when the page can say (the points, for learning owed at closure).
    fix_url: str = ""
    fix_label: str = ""


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    state: DeadlineState


@staff_view()
def case(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    try:
        complaint = case_page(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    now = timezone.now()
    calendar = rules_for(complaint).calendar
    offered = offered_now(complaint, user)
    steps = [step for step, refusal in offered if refusal is None]
    deadlines = [DeadlineRow(d, deadline_state(d, calendar, now)) for d in complaint.deadlines.all()]
    context = {
        "complaint": complaint,
        "state_label": State(complaint.state).label,
        "stage_and_state": stage_and_state(complaint.stage, State(complaint.state)),
        "deadlines": deadlines,
        "overdue": [row for row in deadlines if row.state.overdue],
        "buttons": step_buttons(complaint, steps),
        "not_yet": not_yet(offered),
        **_items(complaint, steps),
        **_flags(complaint, calendar.local(now).date()),
        **_letters(complaint, user),
        "note_form": NoteForm(complaint=complaint, user=user) if can(user, Capability.WRITE_NOTES) else None,
        # issue 15, anonymise: "Personal details were removed on DATE (reason)"
        "anonymised": anonymised_on(complaint),
    }
    context["restriction_rows"] = _restriction_rows(context["restrictions"], steps, complaint.reference)
    # issue 12, remedies: the "Putting things right" section
    context.update(remedies_section(complaint, steps))
    # issue 12, lessons: the learning actions linked to the case, and the way to link one
    context |= lesson_context(complaint, user)
    # issue 15, vuln: None (no section at all) for a role that may not see them
    context["vulnerabilities"] = vulnerabilities_for_case(user, complaint)
    context["timeline"] = visible_events(user, complaint.timeline.all())
    context["may_record_vulnerabilities"] = can(user, Capability.RECORD_VULNERABILITIES)
    return render(request, "web/cases/case.html", context)


def step_buttons(complaint: Complaint, steps: list[Step]) -> list[Button]:
    """A button for each step allowed now that has its own page; the next right step first."""
    offered = [s for s in steps if s in BY_STEP and not BY_STEP[s].for_item]
    primary = _next_step(complaint, offered)
    ordered = sorted(offered, key=lambda s: s != primary)
    return [Button(BY_STEP[s].title, BY_STEP[s].url(complaint.reference), s == primary) for s in ordered]


def not_yet(offered: list[tuple[Step, str | None]]) -> list[NotYet]:
    """The steps with a page of their own that the facts refuse now, each with the reason."""
    return [
        NotYet(BY_STEP[step].title, refusal, *learning_fix(step, refusal))
        for step, refusal in offered
        if refusal is not None and step in BY_STEP and not BY_STEP[step].for_item
    ]


def _next_step(complaint: Complaint, offered: list[Step]) -> Step | None:
    """First contact while it is still owed; else the step that moves the case on."""
    contact_owed = any(
        d.name == contact_name(complaint.stage) and d.met_at is None and d.cancelled_at is None
        for d in complaint.deadlines.all()
    )
    if contact_owed and Step.RECORD_CONTACT in offered:
        return Step.RECORD_CONTACT
    return next((s for s in NEXT_STEPS if s in offered), None)


def _item_url(step: Step, steps: list[Step], reference: str, item: int) -> str | None:
    page = BY_STEP.get(step)
    if page is None or not page.for_item or step not in steps:
        return None
    return page.url(reference, item)


def _items(complaint: Complaint, steps: list[Step]) -> dict[str, Any]:
    """Actions and concerns, each with the links to the steps that can be taken on it now."""
    reference = complaint.reference
    actions = [
        (a, None if a.is_done else _item_url(Step.COMPLETE_ACTION, steps, reference, a.pk))
        for a in complaint.actions.all()
    ]
    concerns = [
        (
            c,
            _item_url(Step.REFER_CONCERN, steps, reference, c.pk)
            if c.status == ConcernStatus.FLAGGED
            else None,
            _item_url(Step.CLOSE_CONCERN, steps, reference, c.pk)
            if c.status != ConcernStatus.CLOSED
            else None,
        )
        for c in complaint.concerns.all()
    ]
    learning = point_learning(complaint.pk)  # issue 12, points: each point's theme and root cause
    points = [
        (
            p,
            _item_url(Step.EDIT_POINT, steps, reference, p.pk),
            _item_url(Step.SPLIT_POINT, steps, reference, p.pk),
            learning.get(p.pk),
            _item_url(Step.RECORD_LEARNING, steps, reference, p.pk),
        )
        for p in complaint.points.all()
    ]
    responses = [r for stage in complaint.stages.all() for r in stage.responses.all()]
    extensions = [e for stage in complaint.stages.all() for e in stage.extensions.all()]
    return {
        "actions": actions,
        "concerns": concerns,
        "points": points,
        "responses": responses,
        "extensions": extensions,
    }


def _flags(complaint: Complaint, today: dt.date) -> dict[str, Any]:
    """What the caseworker must honour: open concerns, restrictions in force, adjustments."""
    restrictions = [
        r
        for r in complaint.customer.restrictions.all()
        if r.starts_on <= today and (r.ended_on is None or r.ended_on > today)
    ]
    return {
        "open_concerns": [c for c in complaint.concerns.all() if c.status != ConcernStatus.CLOSED],
        "restrictions": restrictions,
        "adjustments": list(complaint.customer.adjustments.all()),
        "open_actions": sum(1 for a in complaint.actions.all() if not a.is_done),
        "today": today,
    }


# conduct: a restriction in force, with the steps that can be taken on it now


@dataclass(frozen=True)
class RestrictionRow:
    restriction: Restriction
    links: list[tuple[str, str]]  # (what the link does, its URL)


_RESTRICTION_STEPS = [
    (Step.REVIEW_RESTRICTION, "Review"),
    (Step.RENEW_RESTRICTION, "Renew"),
    (Step.END_RESTRICTION, "End"),
]


def _restriction_rows(
    restrictions: list[Restriction], steps: list[Step], reference: str
) -> list[RestrictionRow]:
    rows = []
    for restriction in restrictions:
        links = [
            (label, _item_url(step, steps, reference, restriction.pk)) for step, label in _RESTRICTION_STEPS
        ]
        rows.append(RestrictionRow(restriction, [(label, url) for label, url in links if url]))
    return rows


def _letters(complaint: Complaint, user: User) -> dict[str, Any]:
    """The letters sent, and the emails that could not be delivered (a warning near the top):
    one query each, whatever their number."""
    failed = list(failed_emails_for_case(complaint))
    return {
        "letters": list(letters_for_case(complaint)),
        "failed_emails": failed,
        "failed_acknowledgement": failed_acknowledgement(failed),
        "can_send_letters": can(user, Capability.SEND_LETTERS),
    }


@staff_view()
def evidence_download(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponse:
    """The file as it was kept, to a member of staff who may see the case (else 404)."""
    try:
        attachment = evidence_file(user=staff_user(request), reference=reference, attachment_id=attachment_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    return private_file(attachment.file, filename=attachment.name, content_type=attachment.content_type)


urlpatterns = [
    path("complaints/<str:reference>/", case, name="case"),
    path(
        "complaints/<str:reference>/evidence/<int:attachment_id>/",
        evidence_download,
        name="case-evidence",
    ),
]


# issue 12, lessons
def lesson_context(complaint: Complaint, user: User) -> dict[str, Any]:
    """The learning actions the case is linked to (one query), each with its status."""
    today = timezone.localdate()
    return {
        "learning_actions": [(a, status_of(a, today)) for a in actions_of_complaint(complaint)],
        "may_link_learning": can(user, Capability.MANAGE_LEARNING_ACTIONS),
    }
