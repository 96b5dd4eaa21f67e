"""Issue 11, in the procedure core: the stage 2 review by someone who did not handle stage 1
(Code 6.13), and the points of an open complaint changing until the stage 1 response (Code 6.8)."""

from __future__ import annotations

import pytest

from putright.procedure import requests as rq
from putright.procedure.machine import StepRefused, decide
from putright.procedure.states import ResponseMethod, State, Step
from tests.procedure.test_machine import CODE_2024, FLAGSHIP, OUTCOMES, case, refusal

S = State
OLIVIA = rq.Person(11, "Olivia Officer")
ROBIN = rq.Person(12, "Robin Officer")
SAM = rq.Person(13, "Sam Senior")
#: Olivia took stage 1, it was reassigned to Robin, and Sam (a Senior Manager) recorded its response.
HANDLERS = {
    OLIVIA.id: "handled stage 1",
    ROBIN.id: "handled stage 1",
    SAM.id: "recorded the stage 1 response",
}
REVIEWER = rq.Person(14, "Rhys Reviewer")
WHY = "The stage 2 review must be by someone who did not handle stage 1."


@pytest.mark.parametrize("person", [OLIVIA, ROBIN], ids=["first owner", "owner after reassignment"])
def test_nobody_who_owned_stage_1_reviews_it(person: rq.Person) -> None:
    facts = case(S.STAGE1_RESPONDED, 1, stage1_handlers=HANDLERS)
    reason = refusal(facts, rq.Escalate(frozenset({"b"}), reviewer=person))
    assert reason == f"{person.name} cannot review stage 2: they handled stage 1. {WHY}"


def test_whoever_recorded_the_stage_1_response_does_not_review_it_either() -> None:
    facts = case(S.CLOSED, 1, stage1_handlers=HANDLERS)
    reason = refusal(facts, rq.Escalate(frozenset({"b"}), reviewer=SAM), CODE_2024)
    assert reason == f"Sam Senior cannot review stage 2: they recorded the stage 1 response. {WHY}"


def test_someone_new_to_the_case_may_review_it() -> None:
    facts = case(S.STAGE1_RESPONDED, 1, stage1_handlers=HANDLERS)
    assert decide(facts, rq.Escalate(frozenset({"b"}), reviewer=REVIEWER), FLAGSHIP) is S.STAGE2


def test_the_review_is_not_reassigned_to_someone_who_handled_stage_1() -> None:
    for state in (S.STAGE2, S.STAGE2_RESPONDED):
        facts = case(state, 2, stage1_handlers=HANDLERS)
        reason = refusal(facts, rq.Reassign(owner=ROBIN))
        assert reason == f"Robin Officer cannot take the stage 2 review: they handled stage 1. {WHY}"
        assert decide(facts, rq.Reassign(owner=REVIEWER), FLAGSHIP) is state


def test_at_stage_1_the_case_may_go_back_to_an_earlier_owner() -> None:
    facts = case(S.STAGE1, 1, stage1_handlers=HANDLERS)
    assert decide(facts, rq.Reassign(owner=OLIVIA), FLAGSHIP) is S.STAGE1


def test_the_stage_2_response_is_not_recorded_by_someone_who_handled_stage_1() -> None:
    facts = case(S.STAGE2, 2, stage1_handlers=HANDLERS)
    reason = refusal(facts, rq.Respond(OUTCOMES, ResponseMethod.LETTER, by=SAM))
    assert (
        reason == f"Sam Senior cannot record the stage 2 response: they recorded the stage 1 response. {WHY}"
    )
    assert decide(facts, rq.Respond(OUTCOMES, ResponseMethod.LETTER, by=REVIEWER), FLAGSHIP) is (
        S.STAGE2_RESPONDED
    )


# --- Points of an open complaint ----------------------------------------------------------------


@pytest.mark.parametrize("state", [S.STAGE1_RESPONDED, S.STAGE2, S.APPEAL_REQUESTED])
@pytest.mark.parametrize("step", [Step.ADD_POINT, Step.EDIT_POINT, Step.SPLIT_POINT])
def test_after_the_stage_1_response_a_new_issue_is_a_new_complaint(state: State, step: Step) -> None:
    request = {
        Step.ADD_POINT: rq.AddPoint("The fence too."),
        Step.EDIT_POINT: rq.EditPoint(1, "Reworded"),
        Step.SPLIT_POINT: rq.SplitPoint(1, "One half", "The other half"),
    }[step]
    with pytest.raises(StepRefused) as refused:
        decide(
            case(state, 3 if state is S.APPEAL_REQUESTED else 1 if state is S.STAGE1_RESPONDED else 2),
            request,
            FLAGSHIP,
        )
    assert refused.value.reason == (
        "The stage 1 response has been given: its points stand as answered, and a new issue "
        "is now a new complaint. Raise it as a new matter."
    )


def test_a_new_point_says_what_it_is() -> None:
    assert refusal(case(S.STAGE1, 1), rq.AddPoint("  ")) == "Say what the new point of complaint is."


def test_only_this_complaints_points_are_reworded_or_split() -> None:
    assert (
        refusal(case(S.STAGE1, 1), rq.EditPoint(99, "New words"))
        == "That point is not part of this complaint."
    )
    assert (
        refusal(case(S.RECEIVED, 0), rq.SplitPoint(99, "A", "B"))
        == "That point is not part of this complaint."
    )


def test_a_point_is_not_reworded_to_nothing_nor_split_into_one_part() -> None:
    assert "cannot be left blank" in refusal(case(S.STAGE1, 1), rq.EditPoint(1, " "))
    assert refusal(case(S.STAGE1, 1), rq.SplitPoint(1, "The boiler", "  ")) == (
        "Give the words of both parts: the point keeps the first, a new point takes the second."
    )


@pytest.mark.parametrize(
    ("summary", "reason"),
    [
        ("", "Give a short summary of what the complaint is about."),
        ("x" * 101, "The summary is one line of at most 100 characters."),
        ("Boiler\nand damp", "The summary is one line of at most 100 characters."),
    ],
)
def test_a_summary_is_one_short_line(summary: str, reason: str) -> None:
    assert refusal(case(S.RECEIVED, 0), rq.EditSummary(summary)) == reason
    assert decide(case(S.RECEIVED, 0), rq.EditSummary("x" * 100), FLAGSHIP) is S.RECEIVED
