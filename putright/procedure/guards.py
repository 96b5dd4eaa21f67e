"""The guards the seed procedure sets on each step.

Each guard reads the facts of a case, the request and the policy, and returns
the reason to refuse in words a caseworker can act on, or None to allow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from putright.procedure import requests as rq
from putright.procedure.calendar import WorkingCalendar, add_months
from putright.procedure.deadlines import extension_limit
from putright.procedure.learning import (
    PointLearning,
    RemedyType,
    closure_refusal,
    remedy_move_refusal,
)
from putright.procedure.policy import ExclusionReason, Policy
from putright.procedure.states import NewMatterRoute, Outcome, ResponseMethod, State, Step
from putright.procedure.tsm import STOCK_TYPES  # issue 13, tsm
from putright.procedure.wording import long_date


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a case, read from the case record."""

    state: State
    stage: int = 0  # the highest stage reached: 0 triage, 1, 2, 3 for the appeal
    received_at: dt.datetime | None = None
    matter_date: dt.date | None = None
    point_ids: frozenset[int] = frozenset()
    open_actions: int = 0
    action_ids: frozenset[int] = frozenset()
    response_due: dt.datetime | None = None
    original_response_due: dt.datetime | None = None
    extensions: int = 0  # at the current stage
    appeal_requested_at: dt.datetime | None = None
    meeting_at: dt.datetime | None = None
    appeal_meeting_due: dt.datetime | None = None
    stage_opened_at: dt.datetime | None = None  # when the current stage began
    stage_responded_at: dt.datetime | None = None  # when its response was given
    #: Everyone who handled stage 1 (each owner it had, whoever recorded its response), by id,
    #: with how they handled it; read only once stage 1 is answered (the stage 2 review needs it).
    stage1_handlers: Mapping[int, str] = field(default_factory=dict)
    #: Each point's theme, outcome and root cause: read only where the case could close (a
    #: response given, or an appeal to refuse) under a policy that needs its learning first.
    learning: tuple[PointLearning, ...] = ()
    #: issue 15, retention: the case is under legal hold; its personal details have been removed.
    legal_hold: bool = False
    anonymised: bool = False


@dataclass(frozen=True)
class Rules:
    """The policy a case was opened under and its working calendar."""

    policy: Policy
    calendar: WorkingCalendar


# Guards: each returns a reason to refuse, or None.

Guard = Callable[[Facts, Any, Rules], str | None]


def no_guard(facts: Facts, request: rq.Request, rules: Rules) -> str | None:
    return None


def informal_resolution_refusal(rules: Rules) -> str | None:
    """Why the policy does not let a complaint be resolved informally, or None when it does.

    The Code (5.2) allows no informal stage before stage 1: under such a policy a complaint
    is accepted at stage 1 or not accepted, with its reason.
    """
    if rules.policy.eligibility.informal_resolution:
        return None
    return (
        "This policy has no informal resolution (no “stage 0”): accept the complaint at "
        "stage 1, or record why it is not accepted."
    )


def _check_accept(facts: Facts, request: rq.Accept, rules: Rules) -> str | None:
    if not request.reasoning.strip():
        return "Give your triage reasoning: why this meets the definition of a complaint."
    return None


def _check_resolve_informally(facts: Facts, request: rq.ResolveInformally, rules: Rules) -> str | None:
    if not request.resolution.strip():
        return "Say how the matter was resolved: an informal resolution is recorded and learnt from."
    return None


def _check_not_accept(facts: Facts, request: rq.NotAccept, rules: Rules) -> str | None:
    eligibility = rules.policy.eligibility
    if eligibility.exclusion(request.reason) is None:
        return f"The policy does not allow “{request.reason.value.replace('_', ' ')}” as a reason."
    if not request.explanation.strip():
        return "Explain the decision: the customer is told why their complaint was not accepted."
    if request.reason is ExclusionReason.DUPLICATE and request.duplicate_of is None:
        return "Name the complaint this one duplicates."
    if request.reason is ExclusionReason.OUT_OF_TIME:
        return _check_out_of_time(facts, eligibility.time_limit_months, rules.calendar)
    return None


def _check_out_of_time(facts: Facts, months: int, calendar: WorkingCalendar) -> str | None:
    if facts.matter_date is None or facts.received_at is None:
        return "Record when the matter happened before refusing a complaint as out of time."
    limit = add_months(facts.matter_date, months)
    if calendar.local(facts.received_at).date() <= limit:
        return (
            f"The complaint is within the {months}-month limit: the matter was on "
            f"{long_date(facts.matter_date)} and the limit runs to {long_date(limit)}."
        )
    return None


def _check_extend(facts: Facts, request: rq.Extend, rules: Rules) -> str | None:
    if not request.reason.strip():
        return "Give the reason for the delay: the customer is told it with the new date."
    # The precondition (``_has_response_deadline``) has been asked first.
    assert facts.response_due is not None and facts.original_response_due is not None
    if request.new_due <= facts.response_due:
        return "The new date must be later than the current response date."
    if request.agreed_at is not None and request.agreed_at > facts.response_due:
        due = long_date(rules.calendar.local(facts.response_due).date(), weekday=True)
        return (
            f"The response was due by the end of {due}: an extension must be agreed before then. "
            "Respond now; the missed date stays on the record."
        )
    stage = rules.policy.stage(1 if facts.state is State.STAGE1 else 2)
    allowance = stage.extensions_without_good_reason
    limit = extension_limit(rules.calendar, stage, facts.original_response_due)
    if request.good_reason.strip():
        return None
    if facts.extensions >= allowance:
        return "A further extension needs a recorded good reason."
    if request.new_due > limit:
        local = rules.calendar.local(limit)
        return (
            f"An extension beyond {long_date(local.date(), weekday=True)} ({stage.extension.describe()}) "
            "needs a recorded good reason."
        )
    return None


def _check_outcomes(facts: Facts, outcomes: Mapping[int, Outcome]) -> str | None:
    missing = facts.point_ids - set(outcomes)
    if missing:
        return f"Give an outcome for every point of complaint: {len(missing)} without one."
    unknown = set(outcomes) - facts.point_ids
    if unknown:
        return "An outcome was given for a point that is not part of this complaint."
    return None


WRITTEN = frozenset({ResponseMethod.LETTER, ResponseMethod.EMAIL})


def _check_respond(facts: Facts, request: rq.Respond, rules: Rules) -> str | None:
    number = 1 if facts.state is State.STAGE1 else 2
    if number == 2 and (refusal := _handled_stage1(facts, request.by, "record the stage 2 response")):
        return refusal
    if rules.policy.stage(number).written_response and request.method not in WRITTEN:
        return (
            f"The stage {number} response must be in writing (a letter or an email); "
            "record a call or a visit as a contact."
        )
    return _check_outcomes(facts, request.outcomes) or _check_reasons(number, request, rules)


def _check_reasons(number: int, request: rq.Respond | rq.DecideAppeal, rules: Rules) -> str | None:
    """The policy may require the reasons for each point's outcome (the Code, 6.7), so the
    customer learns why, point by point, not only what was decided. A backstop: the
    services name the point's field first (``cases.services.responses.require_reasons``)."""
    if not rules.policy.stage(number).reasons_for_each_point:
        return None
    missing = [pk for pk in request.outcomes if not request.reasons.get(pk, "").strip()]
    if not missing:
        return None
    count = "1 point has none" if len(missing) == 1 else f"{len(missing)} points have none"
    return f"Give the reasons for each point's outcome: the policy requires them at stage {number}; {count}."


def _check_final_response(facts: Facts, request: rq.RecordFinalResponse, rules: Rules) -> str | None:
    if request.method not in WRITTEN:
        return (
            "The final response is a letter (or an email): it tells the customer how to reach the Ombudsman."
        )
    return None


def _check_complete_action(facts: Facts, request: rq.CompleteAction, rules: Rules) -> str | None:
    if request.action_id not in facts.action_ids:
        return "That action is not part of this complaint."
    if not request.note.strip():
        return "Say what was done: the record shows how the action was carried out."
    return None


def _check_escalate(facts: Facts, request: rq.Escalate, rules: Rules) -> str | None:
    keys = {g.key for g in rules.policy.stage2.grounds}
    if not request.grounds and rules.policy.stage2.reasons_required:
        return "Choose at least one ground for the review."
    if request.grounds - keys:
        return f"Unknown ground: choose from {_lettered(keys)}."
    return _handled_stage1(facts, request.reviewer, "review stage 2")


def _check_reassign(facts: Facts, request: rq.Reassign, rules: Rules) -> str | None:
    if facts.stage == 2:
        return _handled_stage1(facts, request.owner, "take the stage 2 review")
    return None


def _handled_stage1(facts: Facts, person: rq.Person | None, what: str) -> str | None:
    """The stage 2 review is a fresh look (the Code, 6.13): nobody who handled stage 1 gives it."""
    if person is None or person.id not in facts.stage1_handlers:
        return None
    return (
        f"{person.name} cannot {what}: they {facts.stage1_handlers[person.id]}. "
        "The stage 2 review must be by someone who did not handle stage 1."
    )


def _check_request_appeal(facts: Facts, request: rq.RequestAppeal, rules: Rules) -> str | None:
    assert rules.policy.appeal is not None  # the state refusal rules out a policy without one
    keys = {c.key for c in rules.policy.appeal.criteria}
    if not request.criteria:
        return f"An appeal must say which of the criteria {_lettered(keys)} it meets."
    if request.criteria - keys:
        return f"Unknown criterion: choose from {_lettered(keys)}."
    if not request.explanation.strip():
        return "An appeal must explain how the complaint meets the criteria it names."
    return None


def _check_refuse_appeal(facts: Facts, request: rq.RefuseAppeal, rules: Rules) -> str | None:
    if request.criteria_met:
        return f"An appeal that meets a criterion ({_lettered(request.criteria_met)}) must be heard."
    if not request.reason.strip():
        return "Give the reason for refusing the appeal: the customer is told it."
    return None


def _check_schedule_appeal(facts: Facts, request: rq.ScheduleAppeal, rules: Rules) -> str | None:
    appeal = rules.policy.appeal
    assert appeal is not None
    if not request.agreed_with_customer:
        return "The meeting is arranged by mutual agreement: confirm the date with the customer."
    if facts.appeal_requested_at and request.meeting_at < facts.appeal_requested_at:
        return "The meeting cannot be before the appeal was requested."
    missing = set(appeal.panel) - request.panel
    if missing:
        names = [r.value.replace("_", " ") for r in sorted(missing)]
        named = [f"{'an' if name[0] in 'aeiou' else 'a'} {name}" for name in names]
        listed = named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"
        return f"The panel needs {listed}."
    if request.has_companion and not appeal.companion_allowed:
        return "This policy does not allow a companion at the meeting."
    if request.companion_is_legal_representative and not appeal.legal_representative_allowed:
        return "The customer may bring a companion, but not a legal representative."
    due = facts.appeal_meeting_due
    if due is not None and request.meeting_at > due and not request.late_reason.strip():
        last = long_date(rules.calendar.local(due).date(), weekday=True)
        return (
            f"The meeting should be held by {last} ({appeal.meeting.describe()}): "
            "record why it is later, for example the customer's availability."
        )
    return None


def _check_decide_appeal(facts: Facts, request: rq.DecideAppeal, rules: Rules) -> str | None:
    if facts.meeting_at and request.decided_at < facts.meeting_at:
        return "The panel decides at or after the meeting, not before it."
    # The appeal's decision is the final response on the review: stage 2's rule applies.
    return _check_outcomes(facts, request.outcomes) or _check_reasons(2, request, rules)


def _check_raise_new_matter(facts: Facts, request: rq.RaiseNewMatter, rules: Rules) -> str | None:
    if request.route is NewMatterRoute.SIGNPOST and not request.signpost_to.strip():
        return "Name the team the customer is signposted to."
    return None


def _check_restriction(facts: Facts, request: rq.RecordRestriction, rules: Rules) -> str | None:
    return _future_review(request.review_on, request.today)


# conduct: restrictions followed through, and the decision not to investigate


def _future_review(review_on: dt.date, today: dt.date) -> str | None:
    if review_on <= today:
        return "A restriction needs a review date in the future."
    return None


# points (issue 11): the points and summary of an open complaint

#: A summary is one line: what the complaint is about, as headings, lists and letters show it.
SUMMARY_LIMIT = 100


def _check_add_point(facts: Facts, request: rq.AddPoint, rules: Rules) -> str | None:
    if not request.wording.strip():
        return "Say what the new point of complaint is."
    return None


def _check_edit_point(facts: Facts, request: rq.EditPoint, rules: Rules) -> str | None:
    if request.point_id not in facts.point_ids:
        return "That point is not part of this complaint."
    if not request.wording.strip():
        return "Give the point's new wording: a point cannot be left blank."
    return None


def _check_split_point(facts: Facts, request: rq.SplitPoint, rules: Rules) -> str | None:
    if request.point_id not in facts.point_ids:
        return "That point is not part of this complaint."
    if not request.first.strip() or not request.second.strip():
        return "Give the words of both parts: the point keeps the first, a new point takes the second."
    return None


def _check_edit_summary(facts: Facts, request: rq.EditSummary, rules: Rules) -> str | None:
    summary = request.summary.strip()
    if not summary:
        return "Give a short summary of what the complaint is about."
    if len(summary) > SUMMARY_LIMIT or "\n" in summary:
        return f"The summary is one line of at most {SUMMARY_LIMIT} characters."
    return None


# issue 13, tsm
def _check_correct_stock_type(facts: Facts, request: rq.CorrectStockType, rules: Rules) -> str | None:
    if request.stock_type not in (*STOCK_TYPES, ""):
        return "Choose low-cost rental (lcra), low-cost home ownership (lcho), or none (not a home we own)."
    return None


# issue 15, retention: the reason is kept on the case and shown with the hold
LEGAL_HOLD_REASON_LIMIT = 300


def _check_legal_hold(
    facts: Facts, request: rq.PlaceLegalHold | rq.LiftLegalHold, rules: Rules
) -> str | None:
    reason = request.reason.strip()
    if not reason:
        if isinstance(request, rq.PlaceLegalHold):
            return "Give the reason for the legal hold: the claim, inquiry or request it is kept for."
        return "Give the reason for lifting the legal hold."
    if len(reason) > LEGAL_HOLD_REASON_LIMIT:
        return f"Give the reason in at most {LEGAL_HOLD_REASON_LIMIT} characters."
    return None


def _check_review_restriction(facts: Facts, request: rq.ReviewRestriction, rules: Rules) -> str | None:
    if not request.conclusion.strip():
        return "Record what the review concluded: the restriction stays, with its next review date."
    return _future_review(request.next_review_on, request.today)


def _check_renew_restriction(facts: Facts, request: rq.RenewRestriction, rules: Rules) -> str | None:
    if not request.reason.strip():
        return "Give the reason for renewing the restriction: the customer is told it."
    return _future_review(request.review_on, request.today)


def _check_end_restriction(facts: Facts, request: rq.EndRestriction, rules: Rules) -> str | None:
    if not request.reason.strip():
        return "Give the reason for ending the restriction."
    return None


def _check_decline_to_investigate(facts: Facts, request: rq.DeclineToInvestigate, rules: Rules) -> str | None:
    if not request.reason.strip():
        return (
            "Give the reason for not investigating: the behaviour, with dates. "
            "The customer is told it, with how to reach the Ombudsman."
        )
    if not request.legal_advice.strip() or request.advice_on is None:
        return "The procedure says we seek legal advice first: record the advice and the date it was given."
    if request.advice_on > request.today:
        return "The legal advice cannot be dated in the future."
    return None


# learning (issue 12)


def _check_record_learning(facts: Facts, request: rq.RecordLearning, rules: Rules) -> str | None:
    if request.point_id not in facts.point_ids:
        return "That point is not part of this complaint."
    if request.root_cause_given and not request.point_upheld:
        return (
            f"Point {request.point_number} was not upheld: a root cause is recorded for what went wrong, "
            "on an upheld or partly upheld point."
        )
    return None


def _check_add_remedy(facts: Facts, request: rq.AddRemedy, rules: Rules) -> str | None:
    if request.remedy_type is RemedyType.FINANCIAL:
        if request.amount is None or request.amount <= 0:
            return "Give the amount offered, in pounds."
        if request.purpose is None:
            return (
                "Say what the money is for: time and trouble, distress and inconvenience, "
                "loss of amenity or costs."
            )
        return None
    if request.amount is not None:
        return "Only a financial remedy has an amount: record money as a financial remedy."
    if not request.description.strip():
        return "Say what was offered to put things right."
    return None


def _check_update_remedy(facts: Facts, request: rq.UpdateRemedy, rules: Rules) -> str | None:
    if request.on > request.today:
        return "The date cannot be in the future."
    return remedy_move_refusal(
        request.current, request.new, financial=request.financial, on=request.on, since=request.since
    )


def _check_acknowledge(facts: Facts, request: rq.Acknowledge, rules: Rules) -> str | None:
    """issue 13, ack: a stage is acknowledged once it has begun."""
    if request.stage is not None and not 1 <= request.stage <= facts.stage:
        return f"Stage {request.stage} has not begun: there is nothing to acknowledge there yet."
    return None


GUARDS: dict[Step, Guard] = {
    Step.ACCEPT: _check_accept,
    Step.RESOLVE_INFORMALLY: _check_resolve_informally,
    Step.NOT_ACCEPT: _check_not_accept,
    Step.EXTEND: _check_extend,
    Step.RESPOND: _check_respond,
    Step.RECORD_FINAL_RESPONSE: _check_final_response,
    Step.COMPLETE_ACTION: _check_complete_action,
    Step.ESCALATE: _check_escalate,
    Step.REQUEST_APPEAL: _check_request_appeal,
    Step.REFUSE_APPEAL: _check_refuse_appeal,
    Step.SCHEDULE_APPEAL: _check_schedule_appeal,
    Step.DECIDE_APPEAL: _check_decide_appeal,
    Step.RAISE_NEW_MATTER: _check_raise_new_matter,
    Step.RECORD_RESTRICTION: _check_restriction,
    Step.REASSIGN: _check_reassign,
    Step.ADD_POINT: _check_add_point,
    Step.EDIT_POINT: _check_edit_point,
    Step.SPLIT_POINT: _check_split_point,
    Step.EDIT_SUMMARY: _check_edit_summary,
    # conduct
    Step.REVIEW_RESTRICTION: _check_review_restriction,
    Step.RENEW_RESTRICTION: _check_renew_restriction,
    Step.END_RESTRICTION: _check_end_restriction,
    Step.DECLINE_TO_INVESTIGATE: _check_decline_to_investigate,
    # learning
    Step.RECORD_LEARNING: _check_record_learning,
    Step.ADD_REMEDY: _check_add_remedy,
    Step.UPDATE_REMEDY: _check_update_remedy,
    # issue 13, ack
    Step.ACKNOWLEDGE: _check_acknowledge,
    # issue 13, tsm
    Step.CORRECT_STOCK_TYPE: _check_correct_stock_type,
    # issue 15, retention
    Step.PLACE_LEGAL_HOLD: _check_legal_hold,
    Step.LIFT_LEGAL_HOLD: _check_legal_hold,
}


# Preconditions: what a step needs of the case's facts alone, whatever its request carries. The
# machine asks them with the state before any guard, and the case page and the API ask them before
# offering a step, so that no button leads to a refusal the facts already give. A step with such a
# need declares it here; the pages need no change.

Precondition = Callable[[Facts, Rules], str | None]


def _has_points(facts: Facts, rules: Rules) -> str | None:
    if not facts.point_ids:
        return "The complaint has no points to respond to: record what the customer complained about."
    return None


def _has_response_deadline(facts: Facts, rules: Rules) -> str | None:
    if facts.response_due is None or facts.original_response_due is None:
        return "This stage has no response deadline to extend."
    return None


def _ready_to_close(what: str) -> Precondition:
    """Every agreed action done and, where the policy asks, the learning recorded (issue 12)."""

    def check(facts: Facts, rules: Rules) -> str | None:
        if facts.open_actions:
            return _actions_open(facts.open_actions, what)
        if rules.policy.learning.required_at_closure:
            return closure_refusal(what, facts.learning)
        return None

    return check


def _not_held(facts: Facts, rules: Rules) -> str | None:
    """issue 15, retention: a hold is placed once, on a case whose details are still there."""
    if facts.legal_hold:
        return "This complaint is already under legal hold."
    if facts.anonymised:
        return "This complaint's personal details have already been removed: there is nothing to hold."
    return None


def _held(facts: Facts, rules: Rules) -> str | None:
    if not facts.legal_hold:
        return "This complaint is not under legal hold: there is no hold to lift."
    return None


PRECONDITIONS: dict[Step, Precondition] = {
    # issue 15, retention
    Step.PLACE_LEGAL_HOLD: _not_held,
    Step.LIFT_LEGAL_HOLD: _held,
    Step.EXTEND: _has_response_deadline,
    Step.RESPOND: _has_points,
    Step.DECIDE_APPEAL: _has_points,
    Step.CLOSE: _ready_to_close("The complaint can only be closed"),
    Step.REFUSE_APPEAL: _ready_to_close("An appeal can only be refused"),
}


def _actions_open(count: int, what: str) -> str:
    noun = "action is" if count == 1 else "actions are"
    return f"{what} when every agreed action is done: {count} {noun} still open."


def _lettered(keys: set[str] | frozenset[str]) -> str:
    return ", ".join(f"({k})" for k in sorted(keys))


#: Steps that follow the stage's response and so cannot be dated before it.
AFTER_RESPONSE = frozenset({Step.ESCALATE, Step.REQUEST_APPEAL, Step.CLOSE})


def earliest(step: Step, facts: Facts) -> dt.datetime | None:
    """The earliest time a step may be dated: not before its stage began (or, after a response,
    before that response), so the record never shows things happening out of order."""
    floors = [t for t in (facts.received_at, facts.stage_opened_at) if t is not None]
    if step in AFTER_RESPONSE and facts.stage_responded_at is not None:
        floors.append(facts.stage_responded_at)
    return max(floors) if floors else None
