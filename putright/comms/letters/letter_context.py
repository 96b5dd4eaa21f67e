"""The values a letter's placeholders are filled with: plain words, read in a fixed number of queries.

Every date comes from the case's own record (its stored deadlines, stages,
extensions, hearing and ``ombudsman_direct_from``), never worked out again
from today, so a letter says exactly what the case promised. Only strings and
lists of dicts of strings leave this module: a template never sees a model.
Which names each kind offers is documented in ``placeholders``.

One date is the exception: under a policy whose response clock runs from the
acknowledgement, the acknowledgement letter itself starts that clock when it
is sent, so it promises the response by the date its sending today would set
(``_acknowledgement_clocks``), never the provisional one stored until then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from putright.accounts.contact import contact_details
from putright.accounts.models import Role, User
from putright.cases.models import (
    Action,
    Complaint,
    Contact,
    Deadline,
    EvidenceRequest,
    Extension,
    InvestigationDeclined,
    PointOutcome,
    ReasonableAdjustment,
    Representative,
    RepresentativeKind,
    Response,
    ResponseKind,
    Restriction,
    Stage,
)
from putright.cases.policies import rules_for
from putright.cases.selectors.customer_words import (
    OUTCOME_WORDS,
    ROLE_WORDS,
    companion_words,
    ombudsman_details,
)
from putright.cases.services.restrictions import STILL_OPEN
from putright.comms.letters.placeholders import placeholders
from putright.comms.letters.recipients import recipient_for
from putright.comms.models import LetterKind
from putright.procedure.deadlines import APPEAL_DECISION, contact_name, response_name
from putright.procedure.guards import Rules
from putright.procedure.policy import Anchor, ExclusionReason, Period, Policy
from putright.procedure.wording import by_means, clock_time, day_of, due_words, long_date

Values = dict[str, Any]

_PANEL_WORDS = {
    "board_member": "a Board member",
    "resident": "a resident",
    "executive": "a member of our Executive Team",
    "independent": "an independent member",
}

_PANEL_TITLES = {
    "board_member": "Board member",
    "resident": "Resident",
    "executive": "Executive Team member",
    "independent": "Independent member",
}

#: Said plainly when the policy sets no time limit for asking for a review (the seed procedure sets none).
NO_REVIEW_LIMIT = (
    "Our complaints procedure does not set a time limit for asking for a review, "
    "but it helps us if you ask as soon as you can, while things are fresh."
)


def load(complaint_id: int) -> Complaint:
    """The complaint with everything any letter may mention: eleven queries, whatever its size."""
    responses = Response.objects.order_by("occurred_at", "pk").prefetch_related(
        Prefetch("outcomes", queryset=PointOutcome.objects.select_related("point").order_by("point__number"))
    )
    return (
        Complaint.objects.select_related(
            "customer", "representative", "organisation__parent", "owner", "policy", "investigation_declined"
        )
        .prefetch_related(
            Prefetch(
                "stages", queryset=Stage.objects.select_related("hearing", "handler").order_by("number")
            ),
            Prefetch("stages__extensions", queryset=Extension.objects.order_by("number")),
            Prefetch("stages__responses", queryset=responses),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("due_on", "pk")),
            Prefetch("contacts", queryset=Contact.objects.order_by("occurred_at", "pk")),
            Prefetch("evidence_requests", queryset=EvidenceRequest.objects.order_by("occurred_at", "pk")),
            Prefetch("customer__representatives", queryset=Representative.objects.order_by("name", "pk")),
            Prefetch("customer__adjustments", queryset=ReasonableAdjustment.objects.order_by("kind", "pk")),
            # conduct: the customer's restrictions, and the decision not to investigate
            Prefetch("customer__restrictions", queryset=Restriction.objects.order_by("-starts_on", "-pk")),
        )
        .get(pk=complaint_id)
    )


def letter_context(complaint: Complaint, kind: LetterKind | str) -> Values:
    """The placeholders of ``kind`` filled in for ``complaint`` (exactly the names ``placeholders`` lists)."""
    case = load(complaint.pk)
    return context_of(case, LetterKind(kind))


def context_of(case: Complaint, kind: LetterKind) -> Values:
    """As ``letter_context``, for a complaint already loaded by ``load`` (no further queries)."""
    rules = rules_for(case)
    values = {**_common(case, rules, kind), **_BUILDERS[kind](case, rules)}
    return {name: values.get(name, "") for name in placeholders(kind)}


def _common(case: Complaint, rules: Rules, kind: LetterKind) -> Values:
    tz = rules.calendar.tz
    head = contact_details(case.organisation)
    handler = _handler(case)
    return {
        "reference": case.reference,
        "recipient_name": recipient_for(case, kind).name,
        "customer_name": case.customer.full_name,
        "summary": case.summary,
        "received_on": day_of(case.received_at, tz),
        "handler_name": handler.get_full_name() or handler.username if handler else "",
        "handler_role": role_words(handler),
        "landlord_name": head.name,
        "landlord_phone": head.phone,
        "landlord_email": head.email,
        "landlord_website": head.website,
    }


def role_words(user: User | None) -> str:
    """ "Resolution Officer": the signer's job title, else their role in the procedure."""
    if user is None:
        return "Complaints team"
    return user.job_title or ROLE_WORDS.get(Role(user.role), "") or "Complaints team"


def _handler(case: Complaint) -> User | None:
    stage = _stage(case, case.stage)
    return (stage.handler if stage is not None else None) or case.owner


def _stage(case: Complaint, number: int) -> Stage | None:
    return next((s for s in case.stages.all() if s.number == number), None)


def _deadline(case: Complaint, name: str) -> Deadline | None:
    return next((d for d in case.deadlines.all() if d.name == name and d.cancelled_at is None), None)


def _due(case: Complaint, name: str, rules: Rules) -> str:
    deadline = _deadline(case, name)
    return due_words(deadline.due_at, rules.calendar.tz) if deadline else ""


def _response_still_due(case: Complaint, rules: Rules) -> str:
    """When we will respond at the current stage, while that response is still to come ("" at triage,
    at the appeal, whose answer is the panel's decision, and once the response is given)."""
    if case.stage not in (1, 2):
        return ""
    deadline = _deadline(case, response_name(case.stage))
    if deadline is None or deadline.met_at is not None:
        return ""
    return due_words(deadline.due_at, rules.calendar.tz)


def _clock_stage(case: Complaint) -> int:
    """The stage whose contact and response clocks a letter speaks of (1 or 2)."""
    return case.stage if case.stage in (1, 2) else 1


def _clocks(case: Complaint, rules: Rules) -> Values:
    number = _clock_stage(case)
    return {
        "stage_title": rules.policy.stage(number).title,
        "contact_by": _due(case, contact_name(number), rules),
        "response_by": _due(case, response_name(number), rules),
    }


def _acknowledgement_clocks(case: Complaint, rules: Rules) -> Values:
    """The clocks, with the response date this letter's own sending sets when it acknowledges.

    Sent later than today, the letter sets a later date still, so the date it gives is kept.
    """
    values = _clocks(case, rules)
    number = _clock_stage(case)
    stage_rules = rules.policy.stage(number)
    contact, response = _deadline(case, contact_name(number)), _deadline(case, response_name(number))
    if (
        response is not None
        and response.met_at is None
        and response.due_at == response.original_due_at
        and contact is not None
        and contact.met_at is None
        and stage_rules.response.anchor is Anchor.CONTACT
    ):
        due = min(response.due_at, rules.calendar.due(timezone.now(), stage_rules.response))
        values["response_by"] = due_words(due, rules.calendar.tz)
    return values


def _contact_record(case: Complaint, rules: Rules) -> Values:
    contacts = list(case.contacts.all())
    last = contacts[-1] if contacts else None
    tz = rules.calendar.tz
    return {
        "contact_on": day_of(last.occurred_at, tz) if last else "",
        "contact_method": by_means(last.get_method_display()) if last else "",
        "contact_summary": last.summary if last else "",
        "response_by": _response_still_due(case, rules),
    }


def _evidence_request(case: Complaint, rules: Rules) -> Values:
    requests = list(case.evidence_requests.all())
    last = requests[-1] if requests else None
    return {
        "evidence_wanted": last.description if last else "",
        "evidence_by": long_date(last.respond_by, weekday=True) if last and last.respond_by else "",
        "response_by": _response_still_due(case, rules),
    }


def _extension(case: Complaint, rules: Rules) -> Values:
    extensions = [e for s in case.stages.all() for e in s.extensions.all()]
    last = max(extensions, key=lambda e: (e.occurred_at, e.pk)) if extensions else None
    tz = rules.calendar.tz
    return {
        "extension_reason": last.reason if last else "",
        "previous_response_by": due_words(last.previous_due_at, tz) if last else "",
        "response_by": due_words(last.new_due_at, tz) if last else "",
        **_ombudsman(case, rules),
    }


def _not_accepted(case: Complaint, rules: Rules) -> Values:
    exclusion = (
        rules.policy.eligibility.exclusion(ExclusionReason(case.exclusion_reason))
        if case.exclusion_reason
        else None
    )
    return {
        "exclusion_reason": exclusion.text if exclusion else "",
        "explanation": case.triage_note,
        "signpost": case.signposted_to,
        "decided_on": day_of(case.closed_at, rules.calendar.tz),
        **_ombudsman(case, rules),
    }


def _informal(case: Complaint, rules: Rules) -> Values:
    return {"resolution": case.triage_note, "resolved_on": day_of(case.closed_at, rules.calendar.tz)}


def _outcomes(case: Complaint, rules: Rules, number: int, kind: ResponseKind) -> Values:
    stage = _stage(case, number)
    found = [r for r in stage.responses.all() if r.kind == kind] if stage else []
    response = found[-1] if found else None
    tz = rules.calendar.tz
    return {
        "responded_on": day_of(response.occurred_at, tz) if response else "",
        "response_summary": response.summary if response else "",
        "points": [_point(o) for o in response.outcomes.all()] if response else [],
        "actions": [
            {
                "description": a.description,
                "due": long_date(a.due_on, weekday=True),
                "done": day_of(a.completed_at, tz),
            }
            for a in case.actions.all()
            if a.stage_number <= number
        ],
    }


def _point(outcome: PointOutcome) -> dict[str, str]:
    label, meaning = OUTCOME_WORDS.get(outcome.outcome, (outcome.get_outcome_display(), ""))
    return {
        "number": str(outcome.point.number),
        "summary": outcome.point.summary,
        "outcome": label,
        "meaning": meaning,
        "reasons": outcome.reasons,
    }


def _choices(choices: Any) -> list[dict[str, str]]:
    return [{"key": c.key, "text": c.text} for c in choices]


def _stage1_response(case: Complaint, rules: Rules) -> Values:
    review = rules.policy.stage2
    return {
        **_outcomes(case, rules, 1, ResponseKind.RESPONSE),
        "review_grounds": _choices(review.grounds),
        "review_reasons_required": "yes" if review.reasons_required else "",
        "review_time_limit": NO_REVIEW_LIMIT,
        "review_handler": review.handler,
        "review_contact_within": _period(review.contact),
        "review_response_within": _period(review.response),
    }


def _period(period: Period) -> str:
    """ "5 working days": a clock's length without its anchor (its own ``describe`` adds "from request")."""
    return Period.describe(period)


def _appeal_terms(policy: Policy) -> Values:
    appeal = policy.appeal
    if appeal is None:
        return {}
    return {
        "appeal_title": appeal.title,
        "appeal_criteria": _choices(appeal.criteria),
        "appeal_meeting_within": _period(appeal.meeting),
        "appeal_panel": _and([_PANEL_WORDS.get(r.value, r.value) for r in appeal.panel]),
        "appeal_refusal_rule": appeal.refusal_rule,
    }


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}" if words else ""


def _stage2_response(case: Complaint, rules: Rules) -> Values:
    return {
        **_outcomes(case, rules, 2, ResponseKind.RESPONSE),
        **_appeal_terms(rules.policy),
        **_ombudsman(case, rules),
    }


def _appeal_invitation(case: Complaint, rules: Rules) -> Values:
    stage = _stage(case, 3)
    hearing = getattr(stage, "hearing", None) if stage else None
    appeal = rules.policy.appeal
    tz = rules.calendar.tz
    return {
        "meeting_on": day_of(hearing.meeting_at, tz) if hearing else "",
        "meeting_time": clock_time(hearing.meeting_at, tz) if hearing else "",
        "meeting_place": hearing.location if hearing else "",
        "companion_rule": companion_words(rules.policy),
        "panel": [
            {"role": _PANEL_TITLES.get(role, role), "name": name}
            for role, name in (hearing.panel if hearing else {}).items()
        ],
        "decision_within": _period(appeal.decision) if appeal else "",
        "decision_by": _due(case, APPEAL_DECISION, rules),
    }


def _appeal_refusal(case: Complaint, rules: Rules) -> Values:
    stage = _stage(case, 3)
    tz = rules.calendar.tz
    return {
        "refusal_reason": stage.refusal_reason if stage else "",
        "refused_on": day_of(stage.refused_at, tz) if stage else "",
        "appeal_refusal_rule": rules.policy.appeal.refusal_rule if rules.policy.appeal else "",
        **_ombudsman(case, rules),
    }


def _appeal_decision(case: Complaint, rules: Rules) -> Values:
    return {**_outcomes(case, rules, 3, ResponseKind.APPEAL_DECISION), **_ombudsman(case, rules)}


def _designated_person(case: Complaint, rules: Rules) -> Values:
    person = designated_person(case)
    return {
        "designated_person_name": person.name if person else "",
        "designated_person_role": person.role if person else "",
        "consent_given_on": day_of(person.consent_given_at, rules.calendar.tz) if person else "",
    }


def designated_person(case: Complaint) -> Representative | None:
    """The MP or councillor acting with the customer's consent: the case's own, else the customer's."""
    candidates = [case.representative, *case.customer.representatives.all()]
    return next(
        (
            r
            for r in candidates
            if r is not None and r.kind == RepresentativeKind.DESIGNATED_PERSON and r.has_consent
        ),
        None,
    )


def _ombudsman(case: Complaint, rules: Rules) -> Values:
    contact = ombudsman_details(rules.policy)
    rule = rules.policy.ombudsman
    direct: dt.datetime | None = case.ombudsman_direct_from
    return {
        "ombudsman_name": contact.name,
        "ombudsman_address": ", ".join(contact.address_lines),
        "ombudsman_phone": contact.phone,
        "ombudsman_email": contact.email,
        "ombudsman_website": contact.website,
        "ombudsman_wait": rule.wait.describe(),
        "ombudsman_from": day_of(direct, rules.calendar.tz),
        "designated_person_route": "yes" if rule.designated_person_route else "",
    }


# conduct: unacceptable behaviour


def restriction_in_force(case: Complaint) -> Restriction | None:
    """The customer's latest restriction still in force (from ``load``'s prefetch: no query)."""
    return next((r for r in case.customer.restrictions.all() if r.ended_on is None), None)


def declined(case: Complaint) -> InvestigationDeclined | None:
    """The decision not to investigate the complaint, if one was recorded (from ``load``: no query)."""
    found: InvestigationDeclined | None = getattr(case, "investigation_declined", None)
    return found


def _restriction(case: Complaint, rules: Rules) -> Values:
    restriction = restriction_in_force(case)
    if restriction is None:
        return {}
    return {
        "restriction_reason": restriction.reason,
        "restricted": restriction.restrictions,
        "restricted_from": long_date(restriction.starts_on, weekday=True),
        "contact_meanwhile": restriction.contact_meanwhile or _usual_contact(case),
        "review_on": long_date(restriction.review_on, weekday=True),
        "still_open": STILL_OPEN,
    }


def _usual_contact(case: Complaint) -> str:
    """Who the customer writes to when the restriction names no one: the case's handler, by email."""
    handler = _handler(case)
    head = contact_details(case.organisation)
    name = (handler.get_full_name() or handler.username) if handler else "our complaints team"
    by = f"by email to {head.email}" if head.email else "in writing"
    return f"Please contact {name} {by}, quoting your reference {case.reference}."


def _not_investigated(case: Complaint, rules: Rules) -> Values:
    decision = declined(case)
    if decision is None:
        return {}
    return {
        "decline_reason": decision.reason,
        "advice_on": long_date(decision.advice_on, weekday=True),
        "decided_on": day_of(decision.decided_at, rules.calendar.tz),
        **_ombudsman(case, rules),
    }


_BUILDERS = {
    LetterKind.ACKNOWLEDGEMENT: _acknowledgement_clocks,
    LetterKind.CONTACT_RECORD: _contact_record,
    LetterKind.EVIDENCE_REQUEST: _evidence_request,
    LetterKind.EXTENSION: _extension,
    LetterKind.NOT_ACCEPTED: _not_accepted,
    LetterKind.INFORMAL_RESOLUTION: _informal,
    LetterKind.STAGE1_RESPONSE: _stage1_response,
    LetterKind.STAGE2_RESPONSE: _stage2_response,
    LetterKind.APPEAL_INVITATION: _appeal_invitation,
    LetterKind.APPEAL_REFUSAL: _appeal_refusal,
    LetterKind.APPEAL_DECISION: _appeal_decision,
    LetterKind.DESIGNATED_PERSON: _designated_person,
    # conduct
    LetterKind.RESTRICTION: _restriction,
    LetterKind.NOT_INVESTIGATED: _not_investigated,
}
