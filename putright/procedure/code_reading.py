"""The points of the Complaint Handling Code read from a policy's words and settings.

``code`` holds a policy's numbers against the Code's; this module reads the
rest of what a policy file says: the definition of a complaint, the
exclusions, the informal stage, the written response with reasons for each
point, and the Ombudsman's contact details. What no policy file can show
(staff, reports, learning) is listed as a point to check by hand, so the
check never suggests it has covered the whole Code.
"""

from __future__ import annotations

import re

from putright.procedure.codepoint import CodePoint, Verdict
from putright.procedure.policy import ExclusionReason, Policy

#: The Code's definition of a complaint (1.2).
CODE_DEFINITION = (
    "an expression of dissatisfaction, however made, about the standard of service, actions or "
    "lack of action by the landlord, its own staff, or those acting on its behalf, affecting a "
    "resident or group of residents"
)

#: The parts of the definition a policy's own wording must keep, each as the Code words it.
DEFINITION_PARTS = (
    "however made",
    "standard of service",
    "actions or lack of action",
    "those acting on",
    "group of residents",
)

#: Exclusions the Code allows (2.2: over twelve months, legal proceedings started, matters
#: previously considered) or that fall outside its definition (a first request for a service,
#: a matter about a neighbour rather than the landlord, or not about the landlord at all).
ALLOWED_EXCLUSIONS = frozenset(
    {
        ExclusionReason.OUT_OF_TIME,
        ExclusionReason.FIRST_REQUEST_FOR_SERVICE,
        ExclusionReason.NEIGHBOUR_OR_ASB,
        ExclusionReason.NOT_ABOUT_US,
        ExclusionReason.DUPLICATE,
        ExclusionReason.LEGAL_PROCEEDINGS,
    }
)

#: The Housing Ombudsman's current contact details (as in the built-in policy "code-2024").
OMBUDSMAN_CONTACT = {
    "address": "PO Box 1484, Unit D, Preston, PR2 0ET",
    "phone": "0300 111 3000",
    "email": "info@housing-ombudsman.org.uk",
    "website": "www.housing-ombudsman.org.uk",
}

_LEGAL = re.compile(r"\b(legal (proceedings|action)|court)\b")
_ISSUED = re.compile(r"\b(issued|filed|started|commenced|begun)\b")
#: "Issued" said of proceedings that are not (yet) issued: "not yet started", "before they are
#: issued", "threatened or started", "may be issued".
_NOT_ISSUED = re.compile(
    r"\b(not|never|yet to be|before|until|unless|threaten\w*|intend\w*|plan\w*|may|might|could|will)"
    r"\b(\W+\w+){0,3}?\W+(issued|filed|started|commenced|begun)\b"
)


def read(policy: Policy) -> list[CodePoint]:
    """The points of the Code judged from the policy's words and settings."""
    return [
        _definition(policy),
        _exclusions(policy),
        _legal_proceedings(policy),
        _informal_resolution(policy),
        _new_issues(policy),
        _reasons_for_each_point(policy),
        _written_response(policy),
        _ombudsman_contact(policy),
    ]


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _definition(policy: Policy) -> CodePoint:
    wording = _plain(policy.eligibility.definition)
    missing = [part for part in DEFINITION_PARTS if part not in wording]
    note = ""
    if "group of residents" in missing:
        note = "the policy's definition does not cover a complaint made for a group of residents"
    elif missing:
        note = "the policy's definition leaves out: " + "; ".join(f"“{m}”" for m in missing)
    return CodePoint(
        "eligibility.definition",
        "Definition of a complaint",
        "1.2",
        code=f"“{CODE_DEFINITION}”",
        policy=f"“{policy.eligibility.definition}”",
        verdict=Verdict.WEAKER if missing else Verdict.MEETS,
        note=note,
    )


def _exclusions(policy: Policy) -> CodePoint:
    given = [e.reason for e in policy.eligibility.exclusions]
    refused = [r for r in given if r not in ALLOWED_EXCLUSIONS]
    names = ", ".join(_words(r) for r in given) or "none"
    note = ""
    if refused:
        note = (
            f"the Code does not allow excluding a complaint for {', '.join(_words(r) for r in refused)}: "
            "behaviour is managed by restricting contact, not by refusing the complaint"
        )
    return CodePoint(
        "eligibility.exclusions",
        "Exclusions",
        "2.2",
        code=(
            "only fair and reasonable exclusions: the issue arose over 12 months ago, legal proceedings "
            "have started, or the matter was already considered under the policy; a service request or "
            "a matter outside the definition is not a complaint"
        ),
        policy=names,
        verdict=Verdict.WEAKER if refused else Verdict.MEETS,
        note=note,
    )


def _legal_proceedings(policy: Policy) -> CodePoint:
    code = "a matter may be excluded once legal proceedings have been issued (the claim filed at court)"
    about_law = [
        e
        for e in policy.eligibility.exclusions
        if e.reason is ExclusionReason.LEGAL_PROCEEDINGS or _LEGAL.search(_plain(e.text))
    ]
    title, key = "Exclusion for legal proceedings", "eligibility.legal_proceedings"
    if not about_law:
        note = (
            "every complaint about a matter in legal proceedings is considered; the Code would allow "
            "excluding it"
        )
        return CodePoint(key, title, "2.2", code, "no such exclusion", Verdict.MEETS, note)
    early = [e for e in about_law if not _waits_for_issue(e.text)]
    if not early:
        return CodePoint(key, title, "2.2", code, "excluded once proceedings are issued", Verdict.MEETS)
    note = (
        "the exclusion does not wait for proceedings to be issued: a threatened claim is no reason to refuse"
    )
    return CodePoint(key, title, "2.2", code, early[0].text, Verdict.WEAKER, note)


def _waits_for_issue(text: str) -> bool:
    """Whether an exclusion's words wait for proceedings to be issued ("have been issued at court"),
    not only threatened or "not yet started"."""
    words = _plain(text)
    return bool(_ISSUED.search(words)) and not _NOT_ISSUED.search(words)


def _informal_resolution(policy: Policy) -> CodePoint:
    on = policy.eligibility.informal_resolution
    return CodePoint(
        "informal_resolution",
        "Informal resolution (“stage 0”)",
        "5.2",
        code="no informal stage before stage 1: a complaint is logged at stage 1",
        policy="an informal resolution before stage 1" if on else "no informal stage",
        verdict=Verdict.WEAKER if on else Verdict.MEETS,
        note="an informal stage delays the formal complaint and its clocks" if on else "",
    )


def _new_issues(policy: Policy) -> CodePoint:
    joins = policy.stage1.new_issues_join_open_complaint
    return CodePoint(
        "stage1.new_issues",
        "Related new issues before the stage 1 response",
        "6.8",
        code="a related issue raised before the stage 1 response is added to that response",
        policy="added to the open complaint" if joins else "each new issue is a new complaint",
        verdict=Verdict.MEETS if joins else Verdict.WEAKER,
        note="" if joins else "a separate complaint splits one matter into two responses and two clocks",
    )


def _by_stage(stage1_paragraph: str, short: list[int]) -> str:
    """The paragraphs for the stages that fall short (every stage when none does).

    The Code's paragraph for stage 1 is known; its stage 2 equivalent is cited by its
    section only, as the paragraph could not be confirmed from the Code's text.
    """
    stages = short or [1, 2]
    parts = [f"{stage1_paragraph} (stage 1)" if n == 1 else "stage 2: section 6" for n in stages]
    return "; ".join(parts)


def _at_each_stage(
    key: str, title: str, stage1_paragraph: str, code: str, short: list[int], falls_short: str, meets: str
) -> CodePoint:
    """A point the Code asks of each stage's response: weaker, citing the stages in ``short``
    (``falls_short`` "at stage 1 or stage 2"), when any stage falls short."""
    return CodePoint(
        key,
        title,
        _by_stage(stage1_paragraph, short),
        code=code,
        policy=f"{falls_short} at {' or '.join(f'stage {n}' for n in short)}" if short else meets,
        verdict=Verdict.WEAKER if short else Verdict.MEETS,
    )


def _reasons_for_each_point(policy: Policy) -> CodePoint:
    return _at_each_stage(
        "responses.reasons",
        "Reasons for each point's outcome",
        "6.7",
        code="the response addresses every point and gives clear reasons for each decision",
        short=[n for n in (1, 2) if not policy.stage(n).reasons_for_each_point],
        falls_short="not required",
        meets="required at each stage",
    )


def _written_response(policy: Policy) -> CodePoint:
    return _at_each_stage(
        "responses.written",
        "Response in writing",
        "6.9",
        code="the response is confirmed to the resident in writing",
        short=[n for n in (1, 2) if not policy.stage(n).written_response],
        falls_short="may be given by phone or in person only",
        meets="in writing at each stage",
    )


def _ombudsman_contact(policy: Policy) -> CodePoint:
    ombudsman = policy.ombudsman
    given = {field: getattr(ombudsman, field) for field in OMBUDSMAN_CONTACT}
    stale = [
        f for f, value in given.items() if _contact_facts(f, value) != _contact_facts(f, OMBUDSMAN_CONTACT[f])
    ]
    note = ""
    if stale:
        note = "out of date: " + "; ".join(f"{f} {given[f]} is now {OMBUDSMAN_CONTACT[f]}" for f in stale)
    return CodePoint(
        "ombudsman.contact",
        "The Ombudsman's contact details",
        "6.5; 6.16",
        code="the Housing Ombudsman's current details: " + ", ".join(OMBUDSMAN_CONTACT.values()),
        policy=", ".join(given.values()),
        verdict=Verdict.WEAKER if stale else Verdict.MEETS,
        note=note,
    )


_POSTCODE = re.compile(r"\b([a-z]{1,2}\d[a-z\d]?)\s*(\d[a-z]{2})\b")
_PO_BOX = re.compile(r"\bp\.?\s*o\.?\s*box\s*(\d+)")


def _contact_facts(field: str, value: str) -> tuple[str, ...]:
    """What identifies a contact detail, however it is written.

    An address by its PO Box and postcode (so "Housing Ombudsman Service, P.O. Box
    1484, Preston PR2 0ET" is the same address), a phone by its digits (+44 as 0),
    an email and a website by their lower-case text without scheme or "www.".
    """
    text = _plain(value)
    if field == "address":
        box, postcode = _PO_BOX.search(text), _POSTCODE.search(text)
        return (box.group(1) if box else "", "".join(postcode.groups()) if postcode else text)
    if field == "phone":
        digits = re.sub(r"\D", "", text)
        return (re.sub(r"^44", "0", digits),)
    text = text.removeprefix("mailto:")
    text = re.sub(r"^[a-z]+://", "", text).removeprefix("www.").rstrip("/")
    return (text,)


def _words(reason: ExclusionReason) -> str:
    return reason.value.replace("_", " ")


#: What the Code asks that no policy file shows: (key, title, paragraph, what the Code asks).
#: A paragraph is cited only where its number was confirmed from the Code's text; otherwise
#: the section.
_BY_HAND = (
    (
        "service_requests",
        "Service requests and the definition in practice",
        "1.4; section 1",
        (
            "a service request is told apart from a complaint and recorded; a resident need not use the "
            "word “complaint”; a matter needing further enquiries, or one the resident asks to be a "
            "complaint, is logged as one"
        ),
    ),
    (
        "exclusions_explained",
        "Exclusions explained, with the Ombudsman",
        "section 2",
        (
            "a complaint not accepted is told why in writing, with the right to take that decision to "
            "the Ombudsman; each exclusion is applied case by case"
        ),
    ),
    (
        "accessibility",
        "Accessibility, adjustments and representatives",
        "section 3",
        (
            "complaints accepted by any channel, reasonable adjustments made, a representative or third "
            "party accepted for the resident, and the policy published"
        ),
    ),
    (
        "complaint_handling_staff",
        "Complaint handling staff",
        "section 4",
        "a person or team responsible for complaint handling, with the authority to resolve complaints",
    ),
    (
        "record_keeping",
        "Records of each complaint",
        "section 5",
        "a full record of each complaint, its handling and the outcome at each stage",
    ),
    (
        "unacceptable_behaviour",
        "Unacceptable behaviour and restrictions",
        "section 5",
        (
            "a policy on unacceptable behaviour that restricts contact fairly, for a stated reason and "
            "period, with reasonable adjustments, and never bars the resident from the complaints process"
        ),
    ),
    (
        "different_reviewer",
        "Stage 2 by someone not involved at stage 1",
        "6.13",
        "the person considering the complaint at stage 2 is not the one who considered it at stage 1",
    ),
    (
        "answer_when_known",
        "Respond when the answer is known; track what is outstanding",
        "section 6",
        (
            "the response is sent when the answer is known, not when every action is done; outstanding "
            "actions are tracked and the resident kept updated"
        ),
    ),
    (
        "putting_things_right",
        "Putting things right",
        "section 7",
        "remedies that put things right for the resident",
    ),
    (
        "annual_report",
        "Annual report and self-assessment",
        "8.1",
        (
            "an annual complaints performance and service improvement report, with the self-assessment "
            "against the Code, reported to the governing body and published"
        ),
    ),
    (
        "learning",
        "Learning from complaints",
        "9.1",
        "look beyond the individual complaint for the service improvements it shows",
    ),
    (
        "accountability",
        "A senior lead and a member responsible for complaints",
        "9.4; 9.5",
        (
            "a senior lead accountable for complaint handling, and a member of the governing body with "
            "lead responsibility for complaints"
        ),
    ),
)


def by_hand() -> list[CodePoint]:
    """The points of the Code a policy file cannot show: to check by hand, each with its paragraph."""
    return [
        CodePoint(
            f"by_hand.{key}",
            title,
            paragraph,
            code=code,
            policy="not set out in a policy file",
            verdict=Verdict.CHECK_BY_HAND,
        )
        for key, title, paragraph, code in _BY_HAND
    ]
