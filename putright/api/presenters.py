"""The case record as the API shows it: plain dicts matching ``schemas``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Attachment, CaseNote, Complaint, Deadline, Stage, Vulnerability
from putright.cases.selectors.facts import steps_offered
from putright.cases.selectors.vulnerabilities import (  # issue 15, vuln
    visible_events,
    vulnerabilities_for_case,
)
from putright.comms.models import Letter
from putright.learning import selectors
from putright.learning.action_selectors import actions_of_complaint  # issue 12, lessons
from putright.learning.models import (
    PointLearning,
    Remedy,  # issue 12, remedies
)
from putright.learning.remedy_selectors import remedies_of  # issue 12, remedies
from putright.learning.services.lessons import status_of  # issue 12, lessons
from putright.procedure.states import State


def person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "name": str(user)}


def note(item: CaseNote) -> dict[str, Any]:
    """An internal note (loaded with its author and the colleagues it told)."""
    return {
        "id": item.pk,
        "text": item.text,
        "author": person(item.author),
        "written_at": item.written_at,
        "told": [person(user) for user in item.mentioned.all()],
    }


def _local_date(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date()


def next_deadline(complaint: Complaint, now: dt.datetime) -> dict[str, Any] | None:
    due_at = complaint.next_due_at
    if due_at is None:
        return None
    return {
        "name": complaint.next_due_name,
        "due_at": due_at,
        "due_date": _local_date(due_at),
        "overdue": due_at < now,
    }


def summary(complaint: Complaint, now: dt.datetime) -> dict[str, Any]:
    return {
        "reference": complaint.reference,
        "version": complaint.version,
        "organisation": complaint.organisation.short_name,
        "customer": complaint.customer.full_name,
        "summary": complaint.summary,
        "channel": complaint.channel,
        "category": complaint.category,
        "state": complaint.state,
        "state_label": State(complaint.state).label,
        "stage": complaint.stage,
        "owner": person(complaint.owner),
        "received_at": complaint.received_at,
        "next_deadline": next_deadline(complaint, now),
    }


def deadline(item: Deadline, now: dt.datetime) -> dict[str, Any]:
    return {
        "name": item.name,
        "due_at": item.due_at,
        "due_date": _local_date(item.due_at),
        "original_due_at": item.original_due_at,
        "met_at": item.met_at,
        "status": item.status(now).value,
    }


def stage(item: Stage) -> dict[str, Any]:
    hearing = getattr(item, "hearing", None)
    return {
        "number": item.number,
        "opened_at": item.opened_at,
        "handler": person(item.handler),
        "grounds": list(item.grounds),
        "request_text": item.request_text,
        "acknowledged_at": item.acknowledged_at,  # issue 13, ack
        "acknowledged_via": item.acknowledged_via,
        "responded_at": item.responded_at,
        "refused_at": item.refused_at,
        "refusal_reason": item.refusal_reason,
        "meeting_at": hearing.meeting_at if hearing else None,
        "meeting_location": hearing.location if hearing else "",
        "panel": dict(hearing.panel) if hearing else {},
    }


def attachment(item: Attachment, reference: str) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "description": item.description,
        "uploaded_at": item.uploaded_at,
        "uploaded_by": item.uploaded_by_label,
        "download": reverse(
            "api-v1:attachment_download", kwargs={"reference": reference, "attachment_id": item.pk}
        ),
    }


def letter(item: Letter, reference: str) -> dict[str, Any]:
    """A letter as sent (loaded by ``comms.letters.selectors.letters_for_case``: its template and sender)."""
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "stage": item.stage_number,
        "subject": item.subject,
        "recipient_name": item.recipient_name,
        "email": item.email,
        "status": item.status,
        "status_label": item.get_status_display(),
        "sent_at": item.sent_at,
        "sent_by": person(item.sent_by),
        "posted_at": item.posted_at,
        "template_version": item.template.version,
        "large_print": item.large_print,
        "download": reverse("api-v1:letter_pdf", kwargs={"reference": reference, "letter_id": item.pk}),
    }


def steps_for(complaint: Complaint, user: User) -> dict[str, Any]:
    """The steps this user may take on this complaint now (the procedure's, by state and facts,
    and their role's), and those the state allows but the facts refuse now, with the reason."""
    mine = steps_offered(complaint, user)
    return {
        "allowed_steps": [step.value for step, refusal in mine if refusal is None],
        "steps_not_now": [{"step": step.value, "reason": refusal} for step, refusal in mine if refusal],
    }


def detail(complaint: Complaint, user: User, now: dt.datetime) -> dict[str, Any]:
    """Everything about one complaint (loaded by ``selectors.complaints.complaint_detail``)."""
    deadlines = list(complaint.deadlines.all())
    customer = complaint.customer
    learning = selectors.point_learning(complaint.pk)
    return {
        **summary(complaint, now),
        "description": complaint.description,
        "desired_outcome": complaint.desired_outcome,
        "matter_date": complaint.matter_date,
        "became_aware_on": complaint.became_aware_on,
        "customer_record": {
            "id": customer.pk,
            "name": customer.full_name,
            "postcode": customer.postcode,
            "preferred_contact": customer.preferred_contact,
            "adjustments": [str(a) for a in customer.adjustments.all()],
            # issue 15, vuln: None (left out of the JSON) for a role that may not see them
            "vulnerabilities": vulnerabilities(vulnerabilities_for_case(user, complaint)),
        },
        "representative": str(complaint.representative) if complaint.representative else None,
        "policy": {"name": complaint.policy.name, "version": complaint.policy.version},
        "exclusion_reason": complaint.exclusion_reason,
        "triage_note": complaint.triage_note,
        "signposted_to": complaint.signposted_to,
        "parent": complaint.parent.reference if complaint.parent else None,
        "duplicate_of": complaint.duplicate_of.reference if complaint.duplicate_of else None,
        "final_response_at": complaint.final_response_at,
        "ombudsman_direct_from": complaint.ombudsman_direct_from,
        "closed_at": complaint.closed_at,
        # issue 14, importer
        "source_system": complaint.source_system,
        "source_reference": complaint.source_reference,
        # issue 15, retention
        "legal_hold_since": complaint.legal_hold_since,
        "legal_hold_reason": complaint.legal_hold_reason,
        "anonymised_at": complaint.anonymised_at,
        **steps_for(complaint, user),
        "deadlines": [deadline(d, now) for d in deadlines],
        "stages": [stage(s) for s in complaint.stages.all()],
        "points": [
            {
                "id": p.pk,
                "number": p.number,
                "summary": p.summary,
                "outcomes": [
                    {
                        "stage": o.response.stage.number,
                        "kind": o.response.kind,
                        "outcome": o.outcome,
                        "reasons": o.reasons,
                    }
                    for o in p.outcomes.all()
                ],
                "learning": point_learning(learning.get(p.pk)),
            }
            for p in complaint.points.all()
        ],
        "actions": [
            {
                "id": a.pk,
                "stage": a.stage_number,
                "description": a.description,
                "owner": person(a.owner),
                "due_on": a.due_on,
                "agreed_at": a.agreed_at,
                "completed_at": a.completed_at,
                "completion_note": a.completion_note,
            }
            for a in complaint.actions.all()
        ],
        "flags": [
            {
                "id": c.pk,
                "kind": c.kind,
                "status": c.status,
                "description": c.description,
                "raised_at": c.raised_at,
                "referred_to": person(c.referred_to),
                "referred_at": c.referred_at,
                "closed_at": c.closed_at,
                "outcome": c.outcome,
                "outcome_due_at": c.outcome_due_at,  # conduct
            }
            for c in complaint.concerns.all()
        ],
        "restrictions": [
            {
                "id": r.pk,
                "reason": r.reason,
                "restrictions": r.restrictions,
                "starts_on": r.starts_on,
                "review_on": r.review_on,
                "ended_on": r.ended_on,
                # conduct
                "reviewed_on": r.reviewed_on,
                "review_conclusion": r.review_conclusion,
                "end_reason": r.end_reason,
                "contact_meanwhile": r.contact_meanwhile,
            }
            for r in complaint.restrictions.all()
        ],
        "attachments": [attachment(f, complaint.reference) for f in complaint.attachments.all()],
        "timeline": [
            {
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "stage": e.stage_number,
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "actor": e.actor_label,
                "summary": e.summary,
                "data": e.data,
            }
            # issue 15, vuln: without the vulnerability events for a role that may not see them
            for e in visible_events(user, complaint.timeline.all())
        ],
        # issue 12, remedies
        "remedies": [remedy(r) for r in remedies_of(complaint)],
        # issue 12, lessons: the learning actions the complaint is linked to
        "learning_actions": _learning_actions(complaint),
    }


# issue 12, remedies


def remedy(r: Remedy) -> dict[str, Any]:
    """A remedy offered on the complaint, with what became of it (its point by id and number)."""
    return {
        "id": r.pk,
        "stage": r.stage_number,
        "type": r.remedy_type,
        "type_label": r.get_remedy_type_display(),
        "description": r.description,
        "point": {"id": r.point.pk, "number": r.point.number} if r.point else None,
        "amount": None if r.amount is None else str(r.amount),
        "purpose": r.purpose,
        "rate": r.rate_key,
        "units": r.rate_units,
        "status": r.status,
        "offered_on": r.offered_on,
        "accepted_on": r.accepted_on,
        "declined_on": r.declined_on,
        "paid_on": r.paid_on,
        "payment_reference": r.payment_reference,
    }


# issue 12, lessons: the learning actions a complaint is linked to (one query)
def _learning_actions(complaint: Complaint) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {"id": a.pk, "lesson": a.lesson, "status": status_of(a, today)}
        for a in actions_of_complaint(complaint)
    ]


# issue 12, points


def point_learning(row: PointLearning | None) -> dict[str, Any]:
    """A point's theme, service area and root cause (all None until recorded)."""
    theme = row.theme if row else None
    area = row.service_area if row else None
    cause = row.root_cause if row else None
    return {
        "theme": theme.key if theme else None,
        "theme_label": theme.label if theme else None,
        "service_area": area.pk if area else None,
        "service_area_name": area.name if area else None,
        "root_cause": cause.key if cause else None,
        "root_cause_name": cause.name if cause else None,
        "root_cause_note": row.root_cause_note if row else "",
    }


# issue 15, vuln
def vulnerabilities(rows: list[Vulnerability] | None) -> list[dict[str, Any]] | None:
    """The vulnerabilities as the API shows them; None (left out) for a role that may not see them."""
    if rows is None:
        return None
    return [
        {
            "id": v.pk,
            "kind": v.kind,
            "kind_words": v.get_kind_display(),
            "detail": v.detail,
            "support_needed": v.support_needed,
            "disclosed_on": v.disclosed_on,
            "disclosed_via": v.disclosed_via,
            "consent_given_at": v.consent_given_at,
            "consent_how": v.consent_how,
            "consent_scope": v.consent_scope,
            "consent_withdrawn_at": v.consent_withdrawn_at,
            "review_on": v.review_on,
            "reviewed_on": v.reviewed_on,
            "review_note": v.review_note,
        }
        for v in rows
    ]
