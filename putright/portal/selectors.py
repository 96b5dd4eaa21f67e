"""What a customer's own case page shows, in their words, read in a fixed number of queries.

Only what the customer may see is read: the state, who is dealing with it, the
dates we promised and whether we kept them, our responses with an outcome for
each point, the actions agreed, the evidence they sent, the people acting for
them, the letters we sent about it, and how to reach the Housing Ombudsman.
Internal notes, triage notes, concerns, restrictions and other customers are
never loaded.

Every letter of the case is the customer's to see: none is internal. A
letter sent to someone acting for them (with their consent) is still about
their complaint, so it is listed too, naming who it went to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from putright.cases.models import (
    Action,
    Attachment,
    Complaint,
    Deadline,
    EventKind,
    Extension,
    PointOutcome,
    Representative,
    Response,
    Stage,
    TimelineEvent,
)
from putright.cases.policies import rules_for
from putright.cases.selectors.customer_words import OUTCOME_WORDS, ROLE_WORDS
from putright.cases.selectors.customer_words import Ombudsman as Ombudsman  # shared with the letters
from putright.cases.selectors.customer_words import companion_words as companion_words
from putright.cases.selectors.customer_words import landlord_phone as landlord_phone
from putright.cases.selectors.customer_words import ombudsman_details as ombudsman_details
from putright.cases.selectors.facts import facts_of
from putright.comms.models import Letter, LetterKind, LetterStatus
from putright.design.sizes import size_words
from putright.procedure import machine
from putright.procedure.deadlines import APPEAL_DECISION, APPEAL_MEETING, stage_clocks
from putright.procedure.guards import Rules
from putright.procedure.policy import ExclusionReason, Policy
from putright.procedure.states import State, Step
from putright.procedure.wording import day_of, due_words, long_date, moment_of

#: The steps a customer can take themselves, by the name their pages use.
CUSTOMER_STEPS = {
    "review": Step.ESCALATE,
    "appeal": Step.REQUEST_APPEAL,
    "information": Step.ADD_EVIDENCE,
    "withdraw": Step.WITHDRAW,
}

_STATE_WORDS = {
    State.RECEIVED: (
        "We have received your complaint",
        "We are checking your complaint. We will let you know what happens next.",
    ),
    State.STAGE1: ("We are looking into your complaint", "We are finding out what happened."),
    State.STAGE1_RESPONDED: (
        "We have sent our response",
        (
            "If you are not happy with our response, you can ask for a review. "
            "A more senior member of staff will take a fresh look at your complaint."
        ),
    ),
    State.STAGE2: ("We are reviewing your complaint", "A senior manager is taking a fresh look at it."),
    State.STAGE2_RESPONDED: ("We have sent the response to your review", ""),
    State.APPEAL_REQUESTED: (
        "We have received your appeal",
        "We will contact you to agree a date for the appeal meeting.",
    ),
    State.APPEAL_SCHEDULED: ("Your appeal meeting is arranged", ""),
    State.APPEAL_DECIDED: (
        "The appeal panel has made its decision",
        "We will send you the decision in writing.",
    ),
    State.APPEAL_RESPONDED: (
        "We have sent our final response",
        "This is our final answer to your complaint.",
    ),
    State.CLOSED: ("Your complaint is closed", "We have finished dealing with your complaint."),
    State.RESOLVED_INFORMALLY: (
        "We sorted out your complaint",
        "We put things right when you first got in touch.",
    ),
    State.NOT_ACCEPTED: (
        "We could not take your complaint further",
        "We cannot deal with this through our complaints procedure.",
    ),
    State.WITHDRAWN: (
        "You withdrew your complaint",
        "We will not take it any further. You can make a new complaint at any time.",
    ),
    # conduct
    State.NOT_INVESTIGATED: (
        "We have decided not to investigate your complaint",
        "We have written to you with the reason, and with how to contact the Housing Ombudsman.",
    ),
}

#: Each promise as the customer reads it: (while open, once kept).
_PROMISES = {
    "stage1.contact": ("We will contact you by {due}", "We contacted you on {met}"),
    "stage1.response": ("We will send you our response by {due}", "We sent you our response on {met}"),
    "stage2.contact": (
        "We will contact you about your review by {due}",
        "We contacted you about your review on {met}",
    ),
    "stage2.response": (
        "We will send you the response to your review by {due}",
        "We sent you the response to your review on {met}",
    ),
    APPEAL_MEETING: ("We will hold your appeal meeting by {due}", "Your appeal meeting was on {met}"),
    APPEAL_DECISION: (
        "We will send you the panel's decision by {due}",
        "We sent you the panel's decision on {met}",
    ),
}

_RESPONSE_HEADINGS = {1: "Our response", 2: "The response to your review", 3: "The appeal panel's decision"}


@dataclass(frozen=True)
class Promise:
    text: str
    #: "done", "late" (done, but later than promised), "due" or "overdue".
    status: str


@dataclass(frozen=True)
class PointAnswer:
    number: int
    summary: str
    outcome: str
    meaning: str
    reasons: str


@dataclass(frozen=True)
class ResponseView:
    heading: str
    sent: str
    summary: str
    points: list[PointAnswer]


@dataclass(frozen=True)
class ActionView:
    description: str
    due: str
    done: str
    late: bool


@dataclass(frozen=True)
class FileView:
    name: str
    size: str
    added: str


@dataclass(frozen=True)
class MessageView:
    """Something the customer wrote to us from their page, as they wrote it."""

    text: str
    sent: str


#: What each letter is, in the customer's words.
LETTER_WORDS = {
    LetterKind.ACKNOWLEDGEMENT: "Letter to say we received your complaint",
    LetterKind.CONTACT_RECORD: "Letter recording what we talked about",
    LetterKind.EVIDENCE_REQUEST: "Letter asking you for information or evidence",
    LetterKind.EXTENSION: "Letter moving the date of our response",
    LetterKind.NOT_ACCEPTED: "Letter explaining why we could not take your complaint further",
    LetterKind.INFORMAL_RESOLUTION: "Letter confirming how we sorted out your complaint",
    LetterKind.STAGE1_RESPONSE: "Our response to your complaint",
    LetterKind.STAGE2_RESPONSE: "The response to your review",
    LetterKind.APPEAL_INVITATION: "Invitation to your appeal meeting",
    LetterKind.APPEAL_REFUSAL: "Letter explaining why we could not hold an appeal",
    LetterKind.APPEAL_DECISION: "The appeal panel's decision: our final response",
    LetterKind.DESIGNATED_PERSON: "Letter confirming who is acting for you",
    # conduct
    LetterKind.RESTRICTION: "Letter about how you can contact us for now",
    LetterKind.NOT_INVESTIGATED: "Letter explaining why we will not investigate your complaint",
}


@dataclass(frozen=True)
class LetterView:
    id: int
    #: What it is, in plain words: "Our response to your complaint".
    title: str
    #: "Dated Thursday 12 March 2026": the day it was sent, the date it bears.
    sent: str
    #: How it reached them: "Sent by email to ada@example.org", "We are posting it to you".
    how: str
    large_print: bool


@dataclass(frozen=True)
class CaseView:
    complaint: Complaint
    heading: str
    explanation: list[str]
    handler: str
    received: str
    promises: list[Promise]
    changes: list[str]
    meeting: list[str]
    responses: list[ResponseView]
    actions: list[ActionView]
    evidence: list[FileView]
    #: What they wrote from their page, oldest first, shown as words (never a file to open).
    messages: list[MessageView]
    #: The letters we sent, oldest first, each to download as a PDF; an empty list shows nothing.
    letters: list[LetterView]
    representatives: list[Representative]
    ombudsman: Ombudsman
    steps: dict[str, bool] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return self.complaint.reference


def promise_words(name: str, due_at: dt.datetime, tz: dt.tzinfo) -> str:
    """An open promise in the customer's words: "We will contact you about your review by ..."."""
    open_words = _PROMISES.get(name, ("We will be in touch by {due}", ""))[0]
    return open_words.format(due=due_words(due_at, tz))


def customer_case(complaint_id: int, *, now: dt.datetime | None = None) -> CaseView:
    """The customer's view of one complaint: about sixteen queries, whatever its size."""
    now = now or timezone.now()
    complaint = _load(complaint_id)
    rules = rules_for(complaint)
    facts = facts_of(complaint)
    state = State(complaint.state)
    heading, explanation = _STATE_WORDS[state]
    stages = list(complaint.stages.all())
    return CaseView(
        complaint=complaint,
        heading=heading,
        explanation=[e for e in (explanation, *_more(complaint, state, rules.policy)) if e],
        handler=_handler(complaint),
        received=day_of(complaint.received_at, rules.calendar.tz),
        promises=_promises(complaint, rules, now),
        changes=_extensions(stages, rules),
        meeting=_meeting(stages, rules, now),
        responses=_responses(stages, rules),
        actions=_actions(complaint, rules, now),
        evidence=[_file(a, rules) for a in complaint.attachments.all()],
        messages=[
            MessageView(e.data.get("text") or e.summary, day_of(e.occurred_at, rules.calendar.tz))
            for e in complaint.sent_information  # type: ignore[attr-defined]  # Prefetch's to_attr
        ],
        letters=[_letter(letter, complaint, rules) for letter in complaint.letters.all()],
        representatives=[r for r in complaint.customer.representatives.all() if r.has_consent],
        ombudsman=_ombudsman(complaint, rules, now),
        steps={name: machine.why_not(step, facts, rules) is None for name, step in CUSTOMER_STEPS.items()},
    )


def _load(complaint_id: int) -> Complaint:
    responses = Response.objects.order_by("occurred_at", "pk").prefetch_related(
        Prefetch("outcomes", queryset=PointOutcome.objects.select_related("point").order_by("point__number"))
    )
    return (
        Complaint.objects.select_related("customer", "owner", "organisation", "policy")
        .prefetch_related(
            Prefetch("stages", queryset=Stage.objects.select_related("hearing").order_by("number")),
            Prefetch("stages__extensions", queryset=Extension.objects.order_by("number")),
            Prefetch("stages__responses", queryset=responses),
            Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "pk")),
            Prefetch("actions", queryset=Action.objects.order_by("due_on", "pk")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(uploaded_by__isnull=True).order_by("uploaded_at", "pk"),
            ),
            Prefetch(
                "timeline",
                queryset=TimelineEvent.objects.filter(kind=EventKind.INFORMATION_ADDED).order_by(
                    "occurred_at", "pk"
                ),
                to_attr="sent_information",
            ),
            Prefetch("customer__representatives", queryset=Representative.objects.order_by("name", "pk")),
            # The page lists the letters; their words are in the PDF, so the body is not read.
            Prefetch("letters", queryset=Letter.objects.defer("body").order_by("sent_at", "pk")),
        )
        .get(pk=complaint_id)
    )


def _more(complaint: Complaint, state: State, policy: Policy) -> list[str]:
    """What else the state means for this complaint: why it was not taken, what comes next."""
    if state is State.NOT_ACCEPTED and complaint.exclusion_reason:
        exclusion = policy.eligibility.exclusion(ExclusionReason(complaint.exclusion_reason))
        return [
            f"This is because: {exclusion.text[0].lower()}{exclusion.text[1:]}." if exclusion else "",
            f"Who can help instead: {complaint.signposted_to}." if complaint.signposted_to else "",
        ]
    if state is State.STAGE2_RESPONDED and policy.appeal is not None:
        return [
            (
                "If you are still not happy, you can appeal. A panel that includes a Board member, "
                "a resident and a member of our Executive Team will hear your appeal."
            )
        ]
    return []


def _handler(complaint: Complaint) -> str:
    """ "Grace, Resolution Officer": the first name and role of who is dealing with it."""
    owner = complaint.owner
    if owner is None:
        return ""
    role = ROLE_WORDS.get(owner.role) or owner.job_title or "Complaints team"
    return f"{owner.first_name or owner.username}, {role}"


def first_dates(rules: Rules, received_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When we promise to contact the customer and to respond, for a complaint received then.

    Stage 1's clocks run from receipt, so these are the dates the case will
    carry once accepted: the one source for the confirmation page and the
    case page of a complaint still being checked.
    """
    return stage_clocks(rules.calendar, rules.policy.stage1, received_at)


def _promises(complaint: Complaint, rules: Rules, now: dt.datetime) -> list[Promise]:
    tz = rules.calendar.tz
    if complaint.state == State.RECEIVED:
        contact, response = first_dates(rules, complaint.received_at)
        return [
            Promise(
                f"We will contact you by {due_words(contact, tz)}", "overdue" if now > contact else "due"
            ),
            Promise(
                f"We will send you our response by {due_words(response, tz)}",
                "overdue" if now > response else "due",
            ),
        ]
    return [p for d in complaint.deadlines.all() if (p := _promise(d, rules, now)) is not None]


def _promise(deadline: Deadline, rules: Rules, now: dt.datetime) -> Promise | None:
    if deadline.cancelled_at is not None or deadline.name not in _PROMISES:
        return None
    tz = rules.calendar.tz
    open_words, kept_words = _PROMISES[deadline.name]
    due = due_words(deadline.due_at, tz)
    if deadline.met_at is None:
        if now > deadline.due_at:
            return Promise(f"{open_words.format(due=due)}. We are sorry this is late.", "overdue")
        return Promise(open_words.format(due=due), "due")
    if deadline.name == APPEAL_MEETING:
        if deadline.met_at > now:
            return None  # the meeting is agreed and still to come: said in its own section
        return Promise(kept_words.format(met=day_of(deadline.met_at, tz)), "done")
    kept = kept_words.format(met=day_of(deadline.met_at, tz))
    if deadline.met_at > deadline.due_at:
        return Promise(f"{kept}. We said we would do this by {due}. We are sorry it was late.", "late")
    return Promise(kept, "done")


def _extensions(stages: list[Stage], rules: Rules) -> list[str]:
    tz = rules.calendar.tz
    return [
        f"On {day_of(e.occurred_at, tz)} we moved the date for "
        f"{'our response' if stage.number == 1 else 'the response to your review'} "
        f"from {due_words(e.previous_due_at, tz)} to {due_words(e.new_due_at, tz)}. "
        f"This is because: {e.reason}"
        for stage in stages
        for e in stage.extensions.all()
    ]


def _meeting(stages: list[Stage], rules: Rules, now: dt.datetime) -> list[str]:
    appeal = next((s for s in stages if s.number == 3), None)
    hearing = getattr(appeal, "hearing", None) if appeal else None
    if hearing is None or hearing.meeting_at < now or rules.policy.appeal is None:
        return []
    when = moment_of(hearing.meeting_at, rules.calendar.tz)
    words = [f"Your appeal meeting is on {when}, at {hearing.location}."]
    companion = companion_words(rules.policy)
    return [*words, companion] if companion else words


def _responses(stages: list[Stage], rules: Rules) -> list[ResponseView]:
    tz = rules.calendar.tz
    found = []
    for stage in stages:
        if stage.number == 3 and stage.responded_at is None:
            continue  # the panel's decision is shown once it has been sent
        for response in stage.responses.all():
            sent = response.occurred_at if stage.number != 3 else stage.responded_at
            method = f" by {response.get_method_display().lower()}" if response.method else ""
            found.append(
                ResponseView(
                    heading=_RESPONSE_HEADINGS.get(stage.number, "Our response"),
                    sent=f"Sent on {day_of(sent, tz)}{method}",
                    summary=response.summary,
                    points=[_answer(o) for o in response.outcomes.all()],
                )
            )
    return found


def _answer(outcome: PointOutcome) -> PointAnswer:
    label, meaning = OUTCOME_WORDS.get(outcome.outcome, (outcome.get_outcome_display(), ""))
    return PointAnswer(outcome.point.number, outcome.point.summary, label, meaning, outcome.reasons)


def _actions(complaint: Complaint, rules: Rules, now: dt.datetime) -> list[ActionView]:
    today = rules.calendar.local(now).date()
    tz = rules.calendar.tz
    return [
        ActionView(
            description=a.description,
            due=long_date(a.due_on, weekday=True),
            done=day_of(a.completed_at, tz),
            late=a.completed_at is None and a.due_on < today,
        )
        for a in complaint.actions.all()
    ]


def _file(attachment: Attachment, rules: Rules) -> FileView:
    return FileView(
        attachment.name, size_words(attachment.size), day_of(attachment.uploaded_at, rules.calendar.tz)
    )


def _letter(letter: Letter, complaint: Complaint, rules: Rules) -> LetterView:
    tz = rules.calendar.tz
    kind = LetterKind(letter.kind)
    return LetterView(
        id=letter.pk,
        title=LETTER_WORDS.get(kind, kind.label),
        sent=f"Dated {day_of(letter.sent_at, tz)}",
        how=letter_how(letter, complaint, tz),
        large_print=letter.large_print,
    )


def letter_how(letter: Letter, complaint: Complaint, tz: dt.tzinfo) -> str:
    """How a letter reached the customer, or the person acting for them, in words."""
    to_you = letter.recipient_name.strip() == complaint.customer.full_name.strip()
    who = "you" if to_you else letter.recipient_name
    if letter.status == LetterStatus.EMAILED:
        return f"Sent by email to {letter.email}" if to_you else f"Sent by email to {who} at {letter.email}"
    if letter.status == LetterStatus.POSTED and letter.posted_at is not None:
        return f"Sent by post to {who} on {day_of(letter.posted_at, tz)}"
    return f"We are posting it to {who}"


def _ombudsman(complaint: Complaint, rules: Rules, now: dt.datetime) -> Ombudsman:
    rule = rules.policy.ombudsman
    contact = ombudsman_details(rules.policy)
    name = contact.name
    direct = complaint.ombudsman_direct_from
    designated = (
        "A designated person (your MP, a local councillor or a tenant panel) can refer your "
        "complaint to the Ombudsman for you, if you give your consent."
    )
    if complaint.state == State.NOT_ACCEPTED:
        # No final response will come: waiting for one would be waiting for ever.
        when = [f"You can contact the {name} about our decision now."]
    elif direct is not None and direct <= now:
        when = [f"You can contact the {name} yourself now."]
    elif direct is not None:
        when = [f"You can contact the {name} yourself from {day_of(direct, rules.calendar.tz)}."]
        when += (
            [f"Before then: {designated[0].lower()}{designated[1:]}"] if rule.designated_person_route else []
        )
    else:
        wait = rule.wait.amount
        after = (
            f"{rule.wait.describe()} after our final response" if wait else "once you have our final response"
        )
        when = [
            f"You can contact the {name} at any time for advice.",
            f"To ask the Ombudsman to look into your complaint, you can go to them yourself {after}.",
        ]
        when += [designated] if rule.designated_person_route else []
    return ombudsman_details(rules.policy, when)
