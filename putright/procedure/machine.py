"""The case state machine: which step the procedure allows now, and why not.

A complaint is in one ``State``. A caseworker (or the customer) asks for a
``Step``, carrying what the step needs as a request object. ``decide`` checks
the step against the state, the facts of the case and the policy, and returns
the state the case moves to, or raises ``StepRefused`` with a reason written
for the caseworker who asked. Nothing here stores anything: the case record
(``putright.cases``) asks, then writes.
"""

from __future__ import annotations

from collections.abc import Callable

from putright.procedure.guards import (
    GUARDS,
    PRECONDITIONS,
    Facts,
    Rules,
    informal_resolution_refusal,
    no_guard,
)
from putright.procedure.requests import Request
from putright.procedure.states import (
    EVERY,
    FINISHED,
    IN_PROGRESS,
    INVESTIGATING,
    OPEN,
    RESPONDED,
    State,
    Step,
)

__all__ = [
    "FINISHED",
    "Facts",
    "Rules",
    "State",
    "Step",
    "StepRefused",
    "allowed_steps",
    "decide",
    "offered_steps",
    "why_not",
]


class StepRefused(Exception):
    """The procedure does not allow this step now; ``reason`` says why, plainly."""

    def __init__(self, step: Step, reason: str) -> None:
        self.step = step
        self.reason = reason
        super().__init__(reason)


#: Until the stage 1 response the points of the complaint may change (the Code, 6.8).
BEFORE_RESPONSE = frozenset({State.RECEIVED, State.STAGE1})
_POINT_STEPS = frozenset({Step.ADD_POINT, Step.EDIT_POINT, Step.SPLIT_POINT})

# The transitions: from which states a step may be taken, and where it leads.
# ``None`` as a target keeps the state.

_STAYS: None = None
_TRANSITIONS: dict[Step, tuple[frozenset[State], State | Callable[[Facts], State] | None]] = {
    Step.ACCEPT: (frozenset({State.RECEIVED}), State.STAGE1),
    Step.RESOLVE_INFORMALLY: (frozenset({State.RECEIVED}), State.RESOLVED_INFORMALLY),
    Step.NOT_ACCEPT: (frozenset({State.RECEIVED}), State.NOT_ACCEPTED),
    Step.RECORD_CONTACT: (OPEN | {State.CLOSED}, _STAYS),
    Step.REQUEST_EVIDENCE: (INVESTIGATING | {State.APPEAL_REQUESTED}, _STAYS),
    Step.ADD_EVIDENCE: (OPEN, _STAYS),
    Step.EXTEND: (INVESTIGATING, _STAYS),
    Step.RESPOND: (
        INVESTIGATING,
        lambda f: State.STAGE1_RESPONDED if f.state is State.STAGE1 else State.STAGE2_RESPONDED,
    ),
    Step.ADD_ACTION: (IN_PROGRESS, _STAYS),
    Step.COMPLETE_ACTION: (IN_PROGRESS, _STAYS),
    Step.CLOSE: (RESPONDED, State.CLOSED),
    Step.ESCALATE: (frozenset({State.STAGE1_RESPONDED, State.CLOSED}), State.STAGE2),
    Step.REQUEST_APPEAL: (frozenset({State.STAGE2_RESPONDED, State.CLOSED}), State.APPEAL_REQUESTED),
    Step.REFUSE_APPEAL: (frozenset({State.APPEAL_REQUESTED}), State.CLOSED),
    Step.SCHEDULE_APPEAL: (
        frozenset({State.APPEAL_REQUESTED, State.APPEAL_SCHEDULED}),
        State.APPEAL_SCHEDULED,
    ),
    Step.DECIDE_APPEAL: (frozenset({State.APPEAL_SCHEDULED}), State.APPEAL_DECIDED),
    Step.RECORD_FINAL_RESPONSE: (frozenset({State.APPEAL_DECIDED}), State.APPEAL_RESPONDED),
    Step.WITHDRAW: (OPEN, State.WITHDRAWN),
    Step.REASSIGN: (OPEN, _STAYS),
    Step.RAISE_NEW_MATTER: (IN_PROGRESS, _STAYS),
    Step.FLAG_CONCERN: (EVERY, _STAYS),
    Step.REFER_CONCERN: (EVERY, _STAYS),
    Step.CLOSE_CONCERN: (EVERY, _STAYS),
    Step.RECORD_RESTRICTION: (EVERY, _STAYS),
    # points (issue 11)
    Step.ADD_POINT: (BEFORE_RESPONSE, _STAYS),
    Step.EDIT_POINT: (BEFORE_RESPONSE, _STAYS),
    Step.SPLIT_POINT: (BEFORE_RESPONSE, _STAYS),
    Step.EDIT_SUMMARY: (OPEN, _STAYS),
    # conduct: a restriction is kept under review whatever the case's state; only a complaint
    # being investigated can be declined (later, the response has been given).
    Step.REVIEW_RESTRICTION: (EVERY, _STAYS),
    Step.RENEW_RESTRICTION: (EVERY, _STAYS),
    Step.END_RESTRICTION: (EVERY, _STAYS),
    Step.DECLINE_TO_INVESTIGATE: (INVESTIGATING, State.NOT_INVESTIGATED),
    # learning (issue 12): themes from triage on, and corrected after closure with an event;
    # remedies offered while the complaint is live, and followed to payment after it closes.
    Step.RECORD_LEARNING: (OPEN | {State.CLOSED}, _STAYS),
    Step.ADD_REMEDY: (IN_PROGRESS, _STAYS),
    Step.UPDATE_REMEDY: (IN_PROGRESS | {State.CLOSED}, _STAYS),
    Step.LINK_LEARNING_ACTION: (EVERY, _STAYS),
    # issue 13, ack: wherever a contact may be recorded once there is a stage to acknowledge (a
    # letter sent before closure may be recorded as posted after it).
    Step.ACKNOWLEDGE: (IN_PROGRESS | {State.CLOSED}, _STAYS),
    # issue 13, tsm: the regulator's measures count past years too, so a closed case is corrected
    Step.CORRECT_STOCK_TYPE: (EVERY, _STAYS),
    # issue 15, retention: a hold is placed or lifted whatever the case's state
    Step.PLACE_LEGAL_HOLD: (EVERY, _STAYS),
    Step.LIFT_LEGAL_HOLD: (EVERY, _STAYS),
}


#: Steps only a policy with an appeal stage allows (their guards read ``policy.appeal``).
_APPEAL_STEPS = frozenset(
    {
        Step.REQUEST_APPEAL,
        Step.REFUSE_APPEAL,
        Step.SCHEDULE_APPEAL,
        Step.DECIDE_APPEAL,
        Step.RECORD_FINAL_RESPONSE,
    }
)


def allowed_steps(facts: Facts, rules: Rules) -> list[Step]:
    """The steps that can be taken now: allowed in this state, by this policy and by the facts.

    A step listed here may still be refused for what its request carries (an
    extension without a reason); a step not listed is refused whatever it carries.
    """
    return [step for step, reason in offered_steps(facts, rules) if reason is None]


def offered_steps(facts: Facts, rules: Rules) -> list[tuple[Step, str | None]]:
    """Every step this state and policy allow, each with why the facts refuse it now (or None).

    The case page shows the refused ones with their reason rather than a button
    that could only lead to a refusal (closing while an action is open).
    """
    return [
        (step, _precondition_refusal(step, facts, rules))
        for step in Step
        if _state_refusal(step, facts, rules) is None
    ]


def why_not(step: Step, facts: Facts, rules: Rules) -> str | None:
    """Why ``step`` cannot be taken now whatever it carries, or None when it may be offered."""
    return _state_refusal(step, facts, rules) or _precondition_refusal(step, facts, rules)


def decide(facts: Facts, request: Request, rules: Rules) -> State:
    """The state the case moves to if ``request`` is allowed; else StepRefused."""
    step = request.step
    refusal = why_not(step, facts, rules) or GUARDS.get(step, no_guard)(facts, request, rules)
    if refusal:
        raise StepRefused(step, refusal)
    target = _TRANSITIONS[step][1]
    if target is None:
        return facts.state
    if isinstance(target, State):
        return target
    return target(facts)


def _precondition_refusal(step: Step, facts: Facts, rules: Rules) -> str | None:
    precondition = PRECONDITIONS.get(step)
    return precondition(facts, rules) if precondition is not None else None


def _state_refusal(step: Step, facts: Facts, rules: Rules) -> str | None:
    states, _ = _TRANSITIONS[step]
    if step in _POINT_STEPS and facts.state in IN_PROGRESS - BEFORE_RESPONSE:
        return (
            "The stage 1 response has been given: its points stand as answered, and a new issue "
            "is now a new complaint. Raise it as a new matter."
        )
    if facts.state not in states:
        return f"{step.label} is not possible while the complaint is “{facts.state.label}”."
    if step is Step.ESCALATE and facts.state is State.CLOSED and facts.stage != 1:
        return "Only a complaint closed at stage 1 can be escalated to a stage 2 review."
    if step is Step.RESOLVE_INFORMALLY:
        return informal_resolution_refusal(rules)
    if step in _APPEAL_STEPS and rules.policy.appeal is None:
        return "This policy has no appeal stage: after stage 2 the customer may go to the Ombudsman."
    if step is Step.REQUEST_APPEAL and facts.state is State.CLOSED and facts.stage != 2:
        return "Only a complaint closed after its stage 2 review can be appealed."
    return None
