"""The placeholders each kind of letter offers, with what they hold.

This is the contract between the words administrators write and the values
``letter_context`` fills in: the editor shows it beside the template, the
templating refuses any other name, and a test checks that the context of a
real case has exactly these keys.
"""

from __future__ import annotations

from putright.comms.models import LetterKind

COMMON = {
    "reference": "The complaint's reference, e.g. VHT-2026-0001",
    "recipient_name": "Who the letter is to (the customer, or the person acting for them)",
    "customer_name": "The customer's name",
    "summary": "What the complaint is about, in one line",
    "received_on": "The day we received the complaint",
    "handler_name": "Who is dealing with the complaint at this stage",
    "handler_role": "Their role, e.g. Resolution Officer",
    "landlord_name": "The landlord's name",
    "landlord_phone": "The landlord's phone number",
    "landlord_email": "The landlord's email address",
    "landlord_website": "The landlord's website",
}

OMBUDSMAN = {
    "ombudsman_name": "The Housing Ombudsman's name",
    "ombudsman_address": "Its postal address, on one line",
    "ombudsman_phone": "Its phone number",
    "ombudsman_email": "Its email address",
    "ombudsman_website": "Its website",
    "ombudsman_wait": "How long after the final response the customer may go to it directly, e.g. 8 weeks",
    "ombudsman_from": "The day from which the customer may go to it directly (blank before a final response)",
    "designated_person_route": "'yes' when the policy lets a designated person (MP, councillor) refer",
}

OUTCOMES = {
    "responded_on": "The day of the response",
    "response_summary": "The response in a few words",
    "points": "Each point: point.number, point.summary, point.outcome, point.meaning, point.reasons",
    "actions": "Each action agreed: action.description, action.due, action.done (blank until done)",
}

#: The fields of each item of a list placeholder.
LIST_ITEMS = {
    "points": ("number", "summary", "outcome", "meaning", "reasons"),
    "actions": ("description", "due", "done"),
    "review_grounds": ("key", "text"),
    "appeal_criteria": ("key", "text"),
    "panel": ("role", "name"),
}

_CLOCKS = {
    "stage_title": "The stage, as the policy names it, e.g. Stage 1: formal complaint",
    "contact_by": "When we will contact the customer at this stage (from the case's deadline)",
    "response_by": "When we will respond at this stage (from the case's deadline)",
}

_REVIEW = {
    "review_grounds": "The grounds for a review: ground.key, ground.text",
    "review_reasons_required": "'yes' when the customer must say which ground applies (blank when the "
    "policy does not require a reason, as the Code 6.12 says)",
    "review_time_limit": "By when to ask for a review, or that the policy sets no limit",
    "review_handler": "Who carries out the review, e.g. Senior Manager",
    "review_contact_within": "How soon they make contact, e.g. 5 working days",
    "review_response_within": "How soon they respond, e.g. 20 working days",
}

_APPEAL = {
    "appeal_title": "The appeal, as the policy names it (blank when the policy has none)",
    "appeal_criteria": "The criteria an appeal must meet: criterion.key, criterion.text",
    "appeal_meeting_within": "How soon the meeting is held, e.g. 20 working days",
    "appeal_panel": "Who sits on the panel, in words",
    "appeal_refusal_rule": "When the landlord may decline to hold a hearing, in the policy's words",
}

BY_KIND: dict[str, dict[str, str]] = {
    LetterKind.ACKNOWLEDGEMENT: {**_CLOCKS},
    LetterKind.CONTACT_RECORD: {
        "contact_on": "When we spoke",
        "contact_method": "How, e.g. by phone",
        "contact_summary": "What we discussed",
        "response_by": _CLOCKS["response_by"],
    },
    LetterKind.EVIDENCE_REQUEST: {
        "evidence_wanted": "What we are asking for",
        "evidence_by": "The day we need it by (blank when none was set)",
        "response_by": _CLOCKS["response_by"],
    },
    LetterKind.EXTENSION: {
        "extension_reason": "Why we need more time",
        "previous_response_by": "The date we gave before",
        "response_by": "The new date for our response",
        **OMBUDSMAN,  # the customer may go to the Ombudsman now, as the Code 6.5 and 6.16 say
    },
    LetterKind.NOT_ACCEPTED: {
        "exclusion_reason": "Why, in the policy's words",
        "explanation": "Our explanation for this complaint",
        "signpost": "Who can help instead (blank when nobody)",
        "decided_on": "The day we decided",
        **OMBUDSMAN,
    },
    LetterKind.INFORMAL_RESOLUTION: {
        "resolution": "What we did to put it right",
        "resolved_on": "The day we put it right",
    },
    LetterKind.STAGE1_RESPONSE: {**OUTCOMES, **_REVIEW},
    LetterKind.STAGE2_RESPONSE: {**OUTCOMES, **_APPEAL, **OMBUDSMAN},
    LetterKind.APPEAL_INVITATION: {
        "meeting_on": "The day of the meeting",
        "meeting_time": "The time it starts, e.g. 14:00",
        "meeting_place": "Where it is held",
        "companion_rule": "Who the customer may bring, in the policy's terms",
        "panel": "Who sits on the panel: member.role, member.name",
        "decision_within": "How soon after the meeting the panel decides, e.g. 5 working days",
        "decision_by": "The day by which the panel will decide (from the case's deadline)",
    },
    LetterKind.APPEAL_REFUSAL: {
        "refusal_reason": "Why we will not hold a hearing",
        "refused_on": "The day we decided",
        "appeal_refusal_rule": _APPEAL["appeal_refusal_rule"],
        **OMBUDSMAN,
    },
    LetterKind.APPEAL_DECISION: {**OUTCOMES, **OMBUDSMAN},
    LetterKind.DESIGNATED_PERSON: {
        "designated_person_name": "The MP or councillor acting for the customer",
        "designated_person_role": "Their role, e.g. MP for North Norfolk",
        "consent_given_on": "The day the customer gave consent",
    },
    # conduct
    LetterKind.RESTRICTION: {
        "restriction_reason": "Why contact is restricted: the behaviour, with dates",
        "restricted": "What is restricted, e.g. contact by email only, to one named officer",
        "restricted_from": "The day the restriction started",
        "contact_meanwhile": "How the customer can contact us while it lasts",
        "review_on": "The day we will review the restriction",
        "still_open": "What a restriction never stops: reporting a repair, a hazard or a safety concern",
    },
    LetterKind.NOT_INVESTIGATED: {
        "decline_reason": "Why we will not investigate: the behaviour, with dates",
        "advice_on": "The day of the legal advice we took first",
        "decided_on": "The day we decided",
        **OMBUDSMAN,
    },
}


def placeholders(kind: LetterKind | str) -> dict[str, str]:
    """The names a template of ``kind`` may use, each with what it holds."""
    return {**COMMON, **BY_KIND[LetterKind(kind)]}


def sample_context(kind: LetterKind | str) -> dict[str, object]:
    """Stand-in values for every placeholder of ``kind``: a template is tried on them before it is saved."""
    values: dict[str, object] = {}
    for name in placeholders(kind):
        items = LIST_ITEMS.get(name)
        values[name] = [{key: f"[{name} {key}]" for key in items}] if items else f"[{name}]"
    return values
