"""What the case page and the API offer: the steps the state allows, each with why the facts of
the case refuse it now; and the triage reasoning and the note of what was done, both required."""

from __future__ import annotations

import pytest

from putright.procedure import requests as rq
from putright.procedure.guards import PRECONDITIONS
from putright.procedure.machine import allowed_steps, decide, offered_steps, why_not
from putright.procedure.states import State, Step
from tests.procedure.test_machine import FLAGSHIP, GOOD_REQUEST, case, refusal

S = State


def test_closing_with_an_open_action_is_offered_with_the_reason_it_cannot_be_taken() -> None:
    facts = case(S.STAGE1_RESPONDED, 1, open_actions=2)
    offered = dict(offered_steps(facts, FLAGSHIP))
    assert offered[Step.CLOSE] == (
        "The complaint can only be closed when every agreed action is done: 2 actions are still open."
    )
    assert offered[Step.ADD_ACTION] is None
    assert Step.CLOSE not in allowed_steps(facts, FLAGSHIP)
    assert why_not(Step.CLOSE, facts, FLAGSHIP) == offered[Step.CLOSE]


def test_once_the_actions_are_done_closing_is_offered_and_allowed() -> None:
    facts = case(S.STAGE1_RESPONDED, 1, open_actions=0)
    assert dict(offered_steps(facts, FLAGSHIP))[Step.CLOSE] is None
    assert Step.CLOSE in allowed_steps(facts, FLAGSHIP)
    assert decide(facts, rq.Close(), FLAGSHIP) is S.CLOSED


def test_a_step_the_state_does_not_allow_is_not_offered_at_all() -> None:
    facts = case(S.RECEIVED, 0, open_actions=1)
    offered = dict(offered_steps(facts, FLAGSHIP))
    assert Step.CLOSE not in offered
    assert offered[Step.ACCEPT] is None


def test_responding_without_points_is_offered_with_the_reason() -> None:
    facts = case(S.STAGE1, 1, point_ids=frozenset())
    assert dict(offered_steps(facts, FLAGSHIP))[Step.RESPOND] == (
        "The complaint has no points to respond to: record what the customer complained about."
    )


def test_an_appeal_with_open_actions_cannot_be_refused_and_the_page_says_so() -> None:
    facts = case(S.APPEAL_REQUESTED, 3, open_actions=1)
    assert dict(offered_steps(facts, FLAGSHIP))[Step.REFUSE_APPEAL] == (
        "An appeal can only be refused when every agreed action is done: 1 action is still open."
    )


@pytest.mark.parametrize("step", sorted(PRECONDITIONS))
def test_every_precondition_refuses_the_step_itself_whatever_it_carries(step: Step) -> None:
    """The machine asks the same question the page does: a button never hides a different rule."""
    # issue 15, retention: a held case refuses a second hold, one not held the lifting
    held = step is Step.PLACE_LEGAL_HOLD
    bare = {"point_ids": frozenset(), "open_actions": 1, "response_due": None, "legal_hold": held}
    situations = [(state, stage) for state in State for stage in (1, 2, 3)]
    state, stage = next(
        (state, stage)
        for state, stage in situations
        if step in dict(offered_steps(case(state, stage, **bare), FLAGSHIP))
    )
    facts = case(state, stage, **bare)
    reason = dict(offered_steps(facts, FLAGSHIP))[step]
    assert reason
    assert refusal(facts, GOOD_REQUEST[step]) == reason


def test_accepting_needs_the_triage_reasoning() -> None:
    reason = refusal(case(S.RECEIVED, 0), rq.Accept("   "))
    assert reason == "Give your triage reasoning: why this meets the definition of a complaint."


def test_completing_an_action_needs_what_was_done() -> None:
    reason = refusal(case(S.STAGE1_RESPONDED, 1, open_actions=1), rq.CompleteAction(7, " "))
    assert reason == "Say what was done: the record shows how the action was carried out."
