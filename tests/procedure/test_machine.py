"""The case state machine: which step the procedure allows in which state, and why not.

The first half is the whole procedure as a table, written out here by hand from
the seed procedure (not copied from the machine): for every state a complaint
can be in, the steps a caseworker may take and the state each leads to. Every
other step is refused, with a reason naming the state.

The second half is every guard: a step allowed in the state but refused for
what it carries, with the words the caseworker is shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from putright.procedure import requests as rq
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.guards import Facts, Rules
from putright.procedure.learning import RemedyPurpose, RemedyStatus, RemedyType
from putright.procedure.loader import load, parse
from putright.procedure.machine import StepRefused, allowed_steps, decide
from putright.procedure.policy import ExclusionReason, PanelRole
from putright.procedure.states import (
    IN_PROGRESS,
    OPEN,
    ConcernKind,
    NewMatterRoute,
    Outcome,
    ResponseMethod,
    State,
    Step,
)
from tests.procedure.when import day, end_of, london, utc


def rules_for(text: str) -> Rules:
    policy = parse(text)
    return Rules(policy, WorkingCalendar.from_rules(policy.calendar))


FLAGSHIP_TEXT = load("flagship").text
FLAGSHIP = rules_for(FLAGSHIP_TEXT)
CODE_2024 = rules_for(load("code-2024").text)


def flagship_with(old: str, new: str) -> Rules:
    assert old in FLAGSHIP_TEXT, f"the flagship policy no longer contains {old!r}"
    return rules_for(FLAGSHIP_TEXT.replace(old, new, 1))


# A complaint received on Mon 12 Jan 2026 at 10:00 about a repair on Mon 5 Jan. Its stage 1
# response is due at the end of Mon 26 Jan (10 working days: 13-16, 19-23, 26 Jan). It has two
# points of complaint (1 and 2) and one agreed action (7), now done.
RECEIVED_AT = london("Mon", 2026, 1, 12, 10, 0)
RESPONSE_DUE = end_of("Mon", 2026, 1, 26)
APPEAL_REQUESTED_AT = london("Mon", 2026, 3, 2, 10, 0)
MEETING_AT = london("Tue", 2026, 3, 17, 14, 0)
FULL_PANEL = frozenset({PanelRole.BOARD_MEMBER, PanelRole.RESIDENT, PanelRole.EXECUTIVE})
OUTCOMES = {1: Outcome.UPHELD, 2: Outcome.NOT_UPHELD}
REASONS = {1: "The repair was booked late.", 2: "The callback was made on the day promised."}


def case(state: State, stage: int, **changes: object) -> Facts:
    facts = Facts(
        state=state,
        stage=stage,
        received_at=RECEIVED_AT,
        matter_date=day("Mon", 2026, 1, 5),
        point_ids=frozenset({1, 2}),
        open_actions=0,
        action_ids=frozenset({7}),
        response_due=RESPONSE_DUE,
        original_response_due=RESPONSE_DUE,
        extensions=0,
        appeal_requested_at=APPEAL_REQUESTED_AT,
        meeting_at=MEETING_AT,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


# For every step, a request that carries everything its guard asks for, so that in these
# tests only the state decides.
GOOD_REQUEST: dict[Step, rq.Request] = {
    Step.ACCEPT: rq.Accept("Dissatisfied with a repair we did: meets the definition."),
    Step.RESOLVE_INFORMALLY: rq.ResolveInformally("Repair booked on the call; the customer is content."),
    Step.NOT_ACCEPT: rq.NotAccept(
        ExclusionReason.NEIGHBOUR_OR_ASB, "A dispute with a neighbour: passed to ASB."
    ),
    Step.RECORD_CONTACT: rq.RecordContact(),
    Step.ACKNOWLEDGE: rq.Acknowledge(),  # issue 13, ack
    Step.ADD_EVIDENCE: rq.AddEvidence(),
    Step.REQUEST_EVIDENCE: rq.RequestEvidence(),
    # Fri 6 Feb 2026: within 10 working days of the original due date (limit Mon 9 Feb).
    Step.EXTEND: rq.Extend(new_due=end_of("Fri", 2026, 2, 6), reason="Waiting for the contractor's report."),
    Step.RESPOND: rq.Respond(OUTCOMES, ResponseMethod.LETTER, REASONS),
    Step.ADD_ACTION: rq.AddAction(),
    Step.COMPLETE_ACTION: rq.CompleteAction(7, "Roof retiled on 20 January."),
    Step.CLOSE: rq.Close(),
    Step.ESCALATE: rq.Escalate(frozenset({"b"})),
    Step.REQUEST_APPEAL: rq.RequestAppeal(frozenset({"b"}), "The repair agreed at review was never done."),
    Step.REFUSE_APPEAL: rq.RefuseAppeal("Every action is done and no criterion is met."),
    Step.SCHEDULE_APPEAL: rq.ScheduleAppeal(
        meeting_at=MEETING_AT, agreed_with_customer=True, panel=FULL_PANEL
    ),
    Step.DECIDE_APPEAL: rq.DecideAppeal(OUTCOMES, decided_at=MEETING_AT + dt.timedelta(hours=2)),
    Step.RECORD_FINAL_RESPONSE: rq.RecordFinalResponse(ResponseMethod.LETTER),
    Step.WITHDRAW: rq.Withdraw(),
    Step.REASSIGN: rq.Reassign(),
    Step.RAISE_NEW_MATTER: rq.RaiseNewMatter(NewMatterRoute.NEW_COMPLAINT),
    Step.FLAG_CONCERN: rq.FlagConcern(ConcernKind.SAFEGUARDING),
    Step.REFER_CONCERN: rq.ReferConcern(),
    Step.CLOSE_CONCERN: rq.CloseConcern(),
    Step.RECORD_RESTRICTION: rq.RecordRestriction(
        review_on=day("Mon", 2026, 6, 1), today=day("Mon", 2026, 3, 2)
    ),
    # points (issue 11)
    Step.ADD_POINT: rq.AddPoint("The damp in the back bedroom was never inspected."),
    Step.EDIT_POINT: rq.EditPoint(1, "The repair to the boiler took eleven weeks."),
    Step.SPLIT_POINT: rq.SplitPoint(1, "The boiler repair was late.", "Nobody called back."),
    Step.EDIT_SUMMARY: rq.EditSummary("Boiler repair delays"),
    # learning (issue 12)
    Step.RECORD_LEARNING: rq.RecordLearning(1, theme_given=True, root_cause_given=True, point_upheld=True),
    Step.ADD_REMEDY: rq.AddRemedy(
        RemedyType.FINANCIAL, "For the weeks without heating", Decimal("50.00"), RemedyPurpose.LOSS_OF_AMENITY
    ),
    Step.UPDATE_REMEDY: rq.UpdateRemedy(
        RemedyStatus.OFFERED,
        RemedyStatus.ACCEPTED,
        financial=True,
        on=day("Mon", 2026, 3, 2),
        since=day("Mon", 2026, 2, 2),
        today=day("Mon", 2026, 3, 2),
    ),
    Step.LINK_LEARNING_ACTION: rq.LinkLearningAction(),
    # issue 13, tsm
    Step.CORRECT_STOCK_TYPE: rq.CorrectStockType("lcho"),
    # issue 15, retention
    Step.PLACE_LEGAL_HOLD: rq.PlaceLegalHold("Disrepair claim: solicitor's letter of 3 March."),
    Step.LIFT_LEGAL_HOLD: rq.LiftLegalHold("The claim was settled."),
}

# conduct: the requests of the restriction steps and of the decision not to investigate.
GOOD_REQUEST.update(
    {
        Step.REVIEW_RESTRICTION: rq.ReviewRestriction(
            "Calls are now civil; keep it to email for three more months.",
            next_review_on=day("Mon", 2026, 6, 1),
            today=day("Mon", 2026, 3, 2),
        ),
        Step.RENEW_RESTRICTION: rq.RenewRestriction(
            "Two abusive calls since the last review.",
            review_on=day("Mon", 2026, 6, 1),
            today=day("Mon", 2026, 3, 2),
        ),
        Step.END_RESTRICTION: rq.EndRestriction("No incidents for six months."),
        Step.DECLINE_TO_INVESTIGATE: rq.DeclineToInvestigate(
            "Threats to staff on 3, 5 and 9 February.",
            legal_advice="Housing solicitor: the complaint may be declined.",
            advice_on=day("Fri", 2026, 2, 27),
            today=day("Mon", 2026, 3, 2),
        ),
    }
)


def test_every_step_has_a_request_and_every_request_its_step() -> None:
    assert set(GOOD_REQUEST) == set(Step)
    for step, request in GOOD_REQUEST.items():
        assert request.step is step


# --- The procedure as a table ----------------------------------------------------------------------
#
# (state, highest stage reached) -> {step allowed: the state it leads to}. A closed complaint is
# listed three times: closed after stage 1 (may be escalated), after stage 2 (may be appealed under
# the flagship policy) and after the appeal (the final response: neither).

S = State
EXPECTED: dict[tuple[State, int], dict[Step, State]] = {
    (S.RECEIVED, 0): {
        Step.ACCEPT: S.STAGE1,
        Step.RESOLVE_INFORMALLY: S.RESOLVED_INFORMALLY,
        Step.NOT_ACCEPT: S.NOT_ACCEPTED,
        Step.RECORD_CONTACT: S.RECEIVED,
        Step.ADD_EVIDENCE: S.RECEIVED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.RECEIVED,
        Step.FLAG_CONCERN: S.RECEIVED,
        Step.REFER_CONCERN: S.RECEIVED,
        Step.CLOSE_CONCERN: S.RECEIVED,
        Step.RECORD_RESTRICTION: S.RECEIVED,
    },
    (S.STAGE1, 1): {
        Step.RECORD_CONTACT: S.STAGE1,
        Step.ACKNOWLEDGE: S.STAGE1,
        Step.ADD_EVIDENCE: S.STAGE1,
        Step.REQUEST_EVIDENCE: S.STAGE1,
        Step.EXTEND: S.STAGE1,
        Step.RESPOND: S.STAGE1_RESPONDED,
        Step.ADD_ACTION: S.STAGE1,
        Step.COMPLETE_ACTION: S.STAGE1,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.STAGE1,
        Step.RAISE_NEW_MATTER: S.STAGE1,
        Step.FLAG_CONCERN: S.STAGE1,
        Step.REFER_CONCERN: S.STAGE1,
        Step.CLOSE_CONCERN: S.STAGE1,
        Step.RECORD_RESTRICTION: S.STAGE1,
    },
    (S.STAGE1_RESPONDED, 1): {
        Step.RECORD_CONTACT: S.STAGE1_RESPONDED,
        Step.ACKNOWLEDGE: S.STAGE1_RESPONDED,
        Step.ADD_EVIDENCE: S.STAGE1_RESPONDED,
        Step.ADD_ACTION: S.STAGE1_RESPONDED,
        Step.COMPLETE_ACTION: S.STAGE1_RESPONDED,
        Step.CLOSE: S.CLOSED,
        Step.ESCALATE: S.STAGE2,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.STAGE1_RESPONDED,
        Step.RAISE_NEW_MATTER: S.STAGE1_RESPONDED,
        Step.FLAG_CONCERN: S.STAGE1_RESPONDED,
        Step.REFER_CONCERN: S.STAGE1_RESPONDED,
        Step.CLOSE_CONCERN: S.STAGE1_RESPONDED,
        Step.RECORD_RESTRICTION: S.STAGE1_RESPONDED,
    },
    (S.STAGE2, 2): {
        Step.RECORD_CONTACT: S.STAGE2,
        Step.ACKNOWLEDGE: S.STAGE2,
        Step.ADD_EVIDENCE: S.STAGE2,
        Step.REQUEST_EVIDENCE: S.STAGE2,
        Step.EXTEND: S.STAGE2,
        Step.RESPOND: S.STAGE2_RESPONDED,
        Step.ADD_ACTION: S.STAGE2,
        Step.COMPLETE_ACTION: S.STAGE2,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.STAGE2,
        Step.RAISE_NEW_MATTER: S.STAGE2,
        Step.FLAG_CONCERN: S.STAGE2,
        Step.REFER_CONCERN: S.STAGE2,
        Step.CLOSE_CONCERN: S.STAGE2,
        Step.RECORD_RESTRICTION: S.STAGE2,
    },
    (S.STAGE2_RESPONDED, 2): {
        Step.RECORD_CONTACT: S.STAGE2_RESPONDED,
        Step.ACKNOWLEDGE: S.STAGE2_RESPONDED,
        Step.ADD_EVIDENCE: S.STAGE2_RESPONDED,
        Step.ADD_ACTION: S.STAGE2_RESPONDED,
        Step.COMPLETE_ACTION: S.STAGE2_RESPONDED,
        Step.CLOSE: S.CLOSED,
        Step.REQUEST_APPEAL: S.APPEAL_REQUESTED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.STAGE2_RESPONDED,
        Step.RAISE_NEW_MATTER: S.STAGE2_RESPONDED,
        Step.FLAG_CONCERN: S.STAGE2_RESPONDED,
        Step.REFER_CONCERN: S.STAGE2_RESPONDED,
        Step.CLOSE_CONCERN: S.STAGE2_RESPONDED,
        Step.RECORD_RESTRICTION: S.STAGE2_RESPONDED,
    },
    (S.APPEAL_REQUESTED, 3): {
        Step.RECORD_CONTACT: S.APPEAL_REQUESTED,
        Step.ACKNOWLEDGE: S.APPEAL_REQUESTED,
        Step.ADD_EVIDENCE: S.APPEAL_REQUESTED,
        Step.REQUEST_EVIDENCE: S.APPEAL_REQUESTED,
        Step.ADD_ACTION: S.APPEAL_REQUESTED,
        Step.COMPLETE_ACTION: S.APPEAL_REQUESTED,
        Step.REFUSE_APPEAL: S.CLOSED,
        Step.SCHEDULE_APPEAL: S.APPEAL_SCHEDULED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.APPEAL_REQUESTED,
        Step.RAISE_NEW_MATTER: S.APPEAL_REQUESTED,
        Step.FLAG_CONCERN: S.APPEAL_REQUESTED,
        Step.REFER_CONCERN: S.APPEAL_REQUESTED,
        Step.CLOSE_CONCERN: S.APPEAL_REQUESTED,
        Step.RECORD_RESTRICTION: S.APPEAL_REQUESTED,
    },
    (S.APPEAL_SCHEDULED, 3): {
        Step.RECORD_CONTACT: S.APPEAL_SCHEDULED,
        Step.ACKNOWLEDGE: S.APPEAL_SCHEDULED,
        Step.ADD_EVIDENCE: S.APPEAL_SCHEDULED,
        Step.ADD_ACTION: S.APPEAL_SCHEDULED,
        Step.COMPLETE_ACTION: S.APPEAL_SCHEDULED,
        Step.SCHEDULE_APPEAL: S.APPEAL_SCHEDULED,  # rearranged, again by agreement
        Step.DECIDE_APPEAL: S.APPEAL_DECIDED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.APPEAL_SCHEDULED,
        Step.RAISE_NEW_MATTER: S.APPEAL_SCHEDULED,
        Step.FLAG_CONCERN: S.APPEAL_SCHEDULED,
        Step.REFER_CONCERN: S.APPEAL_SCHEDULED,
        Step.CLOSE_CONCERN: S.APPEAL_SCHEDULED,
        Step.RECORD_RESTRICTION: S.APPEAL_SCHEDULED,
    },
    (S.APPEAL_DECIDED, 3): {
        Step.RECORD_CONTACT: S.APPEAL_DECIDED,
        Step.ACKNOWLEDGE: S.APPEAL_DECIDED,
        Step.ADD_EVIDENCE: S.APPEAL_DECIDED,
        Step.ADD_ACTION: S.APPEAL_DECIDED,
        Step.COMPLETE_ACTION: S.APPEAL_DECIDED,
        Step.RECORD_FINAL_RESPONSE: S.APPEAL_RESPONDED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.APPEAL_DECIDED,
        Step.RAISE_NEW_MATTER: S.APPEAL_DECIDED,
        Step.FLAG_CONCERN: S.APPEAL_DECIDED,
        Step.REFER_CONCERN: S.APPEAL_DECIDED,
        Step.CLOSE_CONCERN: S.APPEAL_DECIDED,
        Step.RECORD_RESTRICTION: S.APPEAL_DECIDED,
    },
    (S.APPEAL_RESPONDED, 3): {
        Step.RECORD_CONTACT: S.APPEAL_RESPONDED,
        Step.ACKNOWLEDGE: S.APPEAL_RESPONDED,
        Step.ADD_EVIDENCE: S.APPEAL_RESPONDED,
        Step.ADD_ACTION: S.APPEAL_RESPONDED,
        Step.COMPLETE_ACTION: S.APPEAL_RESPONDED,
        Step.CLOSE: S.CLOSED,
        Step.WITHDRAW: S.WITHDRAWN,
        Step.REASSIGN: S.APPEAL_RESPONDED,
        Step.RAISE_NEW_MATTER: S.APPEAL_RESPONDED,
        Step.FLAG_CONCERN: S.APPEAL_RESPONDED,
        Step.REFER_CONCERN: S.APPEAL_RESPONDED,
        Step.CLOSE_CONCERN: S.APPEAL_RESPONDED,
        Step.RECORD_RESTRICTION: S.APPEAL_RESPONDED,
    },
    (S.CLOSED, 1): {
        Step.RECORD_CONTACT: S.CLOSED,
        Step.ACKNOWLEDGE: S.CLOSED,
        Step.ESCALATE: S.STAGE2,
        Step.FLAG_CONCERN: S.CLOSED,
        Step.REFER_CONCERN: S.CLOSED,
        Step.CLOSE_CONCERN: S.CLOSED,
        Step.RECORD_RESTRICTION: S.CLOSED,
    },
    (S.CLOSED, 2): {
        Step.RECORD_CONTACT: S.CLOSED,
        Step.ACKNOWLEDGE: S.CLOSED,
        Step.REQUEST_APPEAL: S.APPEAL_REQUESTED,
        Step.FLAG_CONCERN: S.CLOSED,
        Step.REFER_CONCERN: S.CLOSED,
        Step.CLOSE_CONCERN: S.CLOSED,
        Step.RECORD_RESTRICTION: S.CLOSED,
    },
    (S.CLOSED, 3): {
        Step.RECORD_CONTACT: S.CLOSED,
        Step.ACKNOWLEDGE: S.CLOSED,
        Step.FLAG_CONCERN: S.CLOSED,
        Step.REFER_CONCERN: S.CLOSED,
        Step.CLOSE_CONCERN: S.CLOSED,
        Step.RECORD_RESTRICTION: S.CLOSED,
    },
    (S.RESOLVED_INFORMALLY, 0): {
        Step.FLAG_CONCERN: S.RESOLVED_INFORMALLY,
        Step.REFER_CONCERN: S.RESOLVED_INFORMALLY,
        Step.CLOSE_CONCERN: S.RESOLVED_INFORMALLY,
        Step.RECORD_RESTRICTION: S.RESOLVED_INFORMALLY,
    },
    (S.NOT_ACCEPTED, 0): {
        Step.FLAG_CONCERN: S.NOT_ACCEPTED,
        Step.REFER_CONCERN: S.NOT_ACCEPTED,
        Step.CLOSE_CONCERN: S.NOT_ACCEPTED,
        Step.RECORD_RESTRICTION: S.NOT_ACCEPTED,
    },
    (S.WITHDRAWN, 1): {
        Step.FLAG_CONCERN: S.WITHDRAWN,
        Step.REFER_CONCERN: S.WITHDRAWN,
        Step.CLOSE_CONCERN: S.WITHDRAWN,
        Step.RECORD_RESTRICTION: S.WITHDRAWN,
    },
}

# points (issue 11): until the stage 1 response the points may be added to, reworded and split
# (Code 6.8); the summary line may be corrected while the complaint is open.
for _situation in [(S.RECEIVED, 0), (S.STAGE1, 1)]:
    for _step in (Step.ADD_POINT, Step.EDIT_POINT, Step.SPLIT_POINT):
        EXPECTED[_situation][_step] = _situation[0]
for _situation in [
    (S.RECEIVED, 0),
    (S.STAGE1, 1),
    (S.STAGE1_RESPONDED, 1),
    (S.STAGE2, 2),
    (S.STAGE2_RESPONDED, 2),
    (S.APPEAL_REQUESTED, 3),
    (S.APPEAL_SCHEDULED, 3),
    (S.APPEAL_DECIDED, 3),
    (S.APPEAL_RESPONDED, 3),
]:
    EXPECTED[_situation][Step.EDIT_SUMMARY] = _situation[0]
#: After the stage 1 response of a live complaint, a new issue is a new complaint.
AFTER_STAGE1_RESPONSE = {
    S.STAGE1_RESPONDED,
    S.STAGE2,
    S.STAGE2_RESPONDED,
    S.APPEAL_REQUESTED,
    S.APPEAL_SCHEDULED,
    S.APPEAL_DECIDED,
    S.APPEAL_RESPONDED,
}
POINT_STEPS = {Step.ADD_POINT, Step.EDIT_POINT, Step.SPLIT_POINT}


# conduct: a restriction is reviewed, renewed or ended whatever the state of the case; a complaint
# under investigation (at stage 1 or 2) may be declined, and nothing but concerns and restrictions
# follows.
EXPECTED[(S.NOT_INVESTIGATED, 1)] = {
    Step.FLAG_CONCERN: S.NOT_INVESTIGATED,
    Step.REFER_CONCERN: S.NOT_INVESTIGATED,
    Step.CLOSE_CONCERN: S.NOT_INVESTIGATED,
    Step.RECORD_RESTRICTION: S.NOT_INVESTIGATED,
}
for (_state, _stage), _allowed in EXPECTED.items():
    _allowed.update(
        dict.fromkeys((Step.REVIEW_RESTRICTION, Step.RENEW_RESTRICTION, Step.END_RESTRICTION), _state)
    )
EXPECTED[(S.STAGE1, 1)][Step.DECLINE_TO_INVESTIGATE] = S.NOT_INVESTIGATED
EXPECTED[(S.STAGE2, 2)][Step.DECLINE_TO_INVESTIGATE] = S.NOT_INVESTIGATED


# learning (issue 12): a point's theme and root cause from triage until (and after) closure; remedies
# offered while the complaint is live and followed to payment after it closes; any case may be
# linked to a lesson.
for (_state, _stage), _allowed in EXPECTED.items():
    _allowed[Step.LINK_LEARNING_ACTION] = _state
    if _state in OPEN or _state is S.CLOSED:
        _allowed[Step.RECORD_LEARNING] = _state
    if _state in IN_PROGRESS:
        _allowed[Step.ADD_REMEDY] = _state
    if _state in IN_PROGRESS or _state is S.CLOSED:
        _allowed[Step.UPDATE_REMEDY] = _state

# issue 13, tsm: the stock type is corrected whatever the state: the measures count past years too.
for (_state, _stage), _allowed in EXPECTED.items():
    _allowed[Step.CORRECT_STOCK_TYPE] = _state

# issue 15, retention: a hold is placed whatever the state (a case with none, as in the table); it is
# lifted only where there is one (below).
for (_state, _stage), _allowed in EXPECTED.items():
    _allowed[Step.PLACE_LEGAL_HOLD] = _state


# The appeal steps and the states in which each is considered at all. Under a policy without an
# appeal stage (the Code's) each is refused there because the policy has none. A case cannot reach
# an appeal state under such a policy, but if its record says so it is refused, not a crash.
APPEAL_STEPS: dict[Step, set[State]] = {
    Step.REQUEST_APPEAL: {S.STAGE2_RESPONDED, S.CLOSED},
    Step.REFUSE_APPEAL: {S.APPEAL_REQUESTED},
    Step.SCHEDULE_APPEAL: {S.APPEAL_REQUESTED, S.APPEAL_SCHEDULED},
    Step.DECIDE_APPEAL: {S.APPEAL_SCHEDULED},
    Step.RECORD_FINAL_RESPONSE: {S.APPEAL_DECIDED},
}


def expected_under(rules: Rules, situation: tuple[State, int]) -> dict[Step, State]:
    """The table for a policy: a policy without an appeal stage allows no appeal step, and one
    without informal resolution (the Code's: no "stage 0") never resolves informally."""
    allowed = dict(EXPECTED[situation])
    if not rules.policy.eligibility.informal_resolution:
        allowed.pop(Step.RESOLVE_INFORMALLY, None)
    if rules.policy.appeal is None:
        for step in APPEAL_STEPS:
            allowed.pop(step, None)
    return allowed


def expected_refusal(rules: Rules, situation: tuple[State, int], step: Step) -> str:
    """Words the refusal must contain: the state, or the particular reason the step cannot be taken."""
    state, _ = situation
    if (
        step is Step.RESOLVE_INFORMALLY
        and state is S.RECEIVED
        and not rules.policy.eligibility.informal_resolution
    ):
        return "This policy has no informal resolution (no “stage 0”)"
    if rules.policy.appeal is None and state in APPEAL_STEPS.get(step, set()):
        return "This policy has no appeal stage"
    if step in POINT_STEPS and state in AFTER_STAGE1_RESPONSE:
        return "a new issue is now a new complaint. Raise it as a new matter."
    if step is Step.LIFT_LEGAL_HOLD:  # issue 15, retention: no case in the table is under hold
        return "This complaint is not under legal hold: there is no hold to lift."
    if state is S.CLOSED and step is Step.ESCALATE:
        return "Only a complaint closed at stage 1 can be escalated"
    if state is S.CLOSED and step is Step.REQUEST_APPEAL:
        return "Only a complaint closed after its stage 2 review can be appealed"
    return f"is not possible while the complaint is “{state.label}”"


def test_the_table_covers_every_state() -> None:
    assert {state for state, _ in EXPECTED} == set(State)


POLICIES = [pytest.param(FLAGSHIP, id="flagship"), pytest.param(CODE_2024, id="code-2024")]
TABLE = [
    pytest.param(situation, step, id=f"{situation[0].value}@{situation[1]}-{step.value}")
    for situation in EXPECTED
    for step in Step
]


@pytest.mark.parametrize("rules", POLICIES)
@pytest.mark.parametrize(("situation", "step"), TABLE)
def test_each_step_in_each_state(rules: Rules, situation: tuple[State, int], step: Step) -> None:
    facts = case(*situation)
    allowed = expected_under(rules, situation)
    if step in allowed:
        assert decide(facts, GOOD_REQUEST[step], rules) is allowed[step]
    else:
        with pytest.raises(StepRefused) as refused:
            decide(facts, GOOD_REQUEST[step], rules)
        assert refused.value.step is step
        assert expected_refusal(rules, situation, step) in refused.value.reason


@pytest.mark.parametrize("rules", POLICIES)
@pytest.mark.parametrize("situation", list(EXPECTED), ids=lambda s: f"{s[0].value}@{s[1]}")
def test_the_steps_offered_in_each_state(rules: Rules, situation: tuple[State, int]) -> None:
    assert set(allowed_steps(case(*situation), rules)) == set(expected_under(rules, situation))


def test_a_refusal_carries_its_step_and_reason() -> None:
    with pytest.raises(StepRefused) as refused:
        decide(case(S.CLOSED, 3), rq.Withdraw(), FLAGSHIP)
    assert refused.value.step is Step.WITHDRAW
    assert str(refused.value) == refused.value.reason
    assert refused.value.reason.startswith("Withdraw is not possible while the complaint is")


def test_the_state_is_checked_before_what_the_request_carries() -> None:
    # Closing during stage 1 is refused for the state, even with actions open.
    with pytest.raises(StepRefused, match="while the complaint is") as refused:
        decide(case(S.STAGE1, 1, open_actions=2), rq.Close(), FLAGSHIP)
    assert "open" not in refused.value.reason


# --- Guards: informal resolution and acceptance ----------------------------------------------------


def refusal(facts: Facts, request: rq.Request, rules: Rules = FLAGSHIP) -> str:
    with pytest.raises(StepRefused) as refused:
        decide(facts, request, rules)
    return refused.value.reason


def test_an_informal_resolution_must_say_how_it_was_resolved() -> None:
    reason = refusal(case(S.RECEIVED, 0), rq.ResolveInformally("   "))
    assert "Say how the matter was resolved" in reason


def test_a_complaint_is_not_accepted_only_for_a_reason_the_policy_lists() -> None:
    # The Code's policy has no exclusion for unacceptable behaviour; the flagship policy has.
    request = rq.NotAccept(ExclusionReason.UNACCEPTABLE_BEHAVIOUR, "Abusive calls to staff.")
    reason = refusal(case(S.RECEIVED, 0), request, CODE_2024)
    assert reason == "The policy does not allow “unacceptable behaviour” as a reason."
    assert decide(case(S.RECEIVED, 0), request, FLAGSHIP) is S.NOT_ACCEPTED


def test_not_accepting_a_complaint_needs_an_explanation_for_the_customer() -> None:
    reason = refusal(case(S.RECEIVED, 0), rq.NotAccept(ExclusionReason.FIRST_REQUEST_FOR_SERVICE, " "))
    assert "Explain the decision" in reason


def test_a_duplicate_must_name_the_complaint_it_duplicates() -> None:
    request = rq.NotAccept(ExclusionReason.DUPLICATE, "Already being dealt with.")
    assert "Name the complaint this one duplicates" in refusal(case(S.RECEIVED, 0), request)
    named = rq.NotAccept(ExclusionReason.DUPLICATE, "Already being dealt with.", duplicate_of=41)
    assert decide(case(S.RECEIVED, 0), named, FLAGSHIP) is S.NOT_ACCEPTED


OUT_OF_TIME = rq.NotAccept(ExclusionReason.OUT_OF_TIME, "Raised too long after the matter.")


@pytest.mark.parametrize(
    ("rules", "matter", "received"),
    [
        # Flagship, 6 months: from Sun 31 Aug 2025 the limit runs to Sat 28 Feb 2026
        # (February 2026 has no 31st, nor 29th).
        pytest.param(FLAGSHIP, day("Sun", 2025, 8, 31), london("Fri", 2026, 2, 27, 10, 0), id="day-before"),
        pytest.param(FLAGSHIP, day("Sun", 2025, 8, 31), london("Sat", 2026, 2, 28, 16, 0), id="last-day"),
        # From Thu 15 Jan 2026 the limit runs to Wed 15 Jul 2026. 22:30 UTC is 23:30 BST, still the 15th.
        pytest.param(
            FLAGSHIP, day("Thu", 2026, 1, 15), utc(2026, 7, 15, 22, 30), id="last-evening-in-london"
        ),
        # Code 2024, 12 months: from Sun 31 Aug 2025 the limit runs to Mon 31 Aug 2026, so a
        # complaint the flagship policy would call late is in time.
        pytest.param(
            CODE_2024, day("Sun", 2025, 8, 31), london("Sun", 2026, 3, 1, 9, 0), id="code-12-months"
        ),
        # From the leap day Thu 29 Feb 2024 the limit runs to Fri 28 Feb 2025.
        pytest.param(CODE_2024, day("Thu", 2024, 2, 29), london("Fri", 2025, 2, 28, 10, 0), id="leap-day"),
    ],
)
def test_a_complaint_within_the_time_limit_cannot_be_refused_as_out_of_time(
    rules: Rules, matter: dt.date, received: dt.datetime
) -> None:
    facts = case(S.RECEIVED, 0, matter_date=matter, received_at=received)
    reason = refusal(facts, OUT_OF_TIME, rules)
    months = rules.policy.eligibility.time_limit_months
    assert f"within the {months}-month limit" in reason
    assert f"{matter:%d %B %Y}" in reason


def test_the_refusal_says_when_the_matter_was_and_when_the_limit_runs_to() -> None:
    facts = case(
        S.RECEIVED, 0, matter_date=day("Sun", 2025, 8, 31), received_at=london("Fri", 2026, 2, 27, 10)
    )
    assert refusal(facts, OUT_OF_TIME) == (
        "The complaint is within the 6-month limit: the matter was on 31 August 2025 "
        "and the limit runs to 28 February 2026."
    )


@pytest.mark.parametrize(
    ("rules", "matter", "received"),
    [
        # The day after the flagship limit of Sat 28 Feb 2026.
        pytest.param(FLAGSHIP, day("Sun", 2025, 8, 31), london("Sun", 2026, 3, 1, 9, 0), id="day-after"),
        # 23:30 UTC on Wed 15 Jul 2026 is 00:30 BST on Thu 16 Jul: a day past the limit in London.
        pytest.param(FLAGSHIP, day("Thu", 2026, 1, 15), utc(2026, 7, 15, 23, 30), id="just-past-midnight"),
        # The day after the Code limit of Mon 31 Aug 2026.
        pytest.param(
            CODE_2024, day("Sun", 2025, 8, 31), london("Tue", 2026, 9, 1, 9, 0), id="code-day-after"
        ),
        pytest.param(
            CODE_2024, day("Thu", 2024, 2, 29), london("Sat", 2025, 3, 1, 10, 0), id="after-leap-limit"
        ),
    ],
)
def test_a_complaint_beyond_the_time_limit_may_be_refused_as_out_of_time(
    rules: Rules, matter: dt.date, received: dt.datetime
) -> None:
    facts = case(S.RECEIVED, 0, matter_date=matter, received_at=received)
    assert decide(facts, OUT_OF_TIME, rules) is S.NOT_ACCEPTED


def test_out_of_time_needs_the_date_of_the_matter() -> None:
    reason = refusal(case(S.RECEIVED, 0, matter_date=None), OUT_OF_TIME)
    assert "Record when the matter happened" in reason


# --- Guards: extensions ----------------------------------------------------------------------------
# The stage 1 response is due at the end of Mon 26 Jan 2026. One extension of up to 10 working
# days needs no good reason: 10 working days after 26 Jan is Mon 9 Feb 2026 (27-30 Jan, 2-6 Feb, 9 Feb).

LIMIT = end_of("Mon", 2026, 2, 9)


def extend(new_due: dt.datetime, reason: str = "Waiting for a surveyor.", good_reason: str = "") -> rq.Extend:
    return rq.Extend(new_due=new_due, reason=reason, good_reason=good_reason)


def test_an_extension_needs_a_reason_to_tell_the_customer() -> None:
    reason = refusal(case(S.STAGE1, 1), extend(end_of("Fri", 2026, 1, 30), reason="  "))
    assert "Give the reason for the delay" in reason


def test_an_extension_needs_a_response_date_to_extend() -> None:
    facts = case(S.STAGE1, 1, response_due=None, original_response_due=None)
    assert "no response deadline" in refusal(facts, extend(end_of("Fri", 2026, 1, 30)))


@pytest.mark.parametrize("new_due", [RESPONSE_DUE, end_of("Fri", 2026, 1, 23)], ids=["same-date", "earlier"])
def test_an_extension_must_move_the_date_later(new_due: dt.datetime) -> None:
    reason = refusal(case(S.STAGE1, 1), extend(new_due))
    assert "later than the current response date" in reason


@pytest.mark.parametrize(
    "new_due", [end_of("Fri", 2026, 1, 30), LIMIT], ids=["within-the-limit", "at-the-limit-exactly"]
)
def test_a_first_extension_up_to_10_working_days_needs_no_good_reason(new_due: dt.datetime) -> None:
    assert decide(case(S.STAGE1, 1), extend(new_due), FLAGSHIP) is S.STAGE1


def test_an_extension_beyond_10_working_days_needs_a_good_reason() -> None:
    reason = refusal(case(S.STAGE1, 1), extend(london("Tue", 2026, 2, 10, 12, 0)))
    assert "good reason" in reason
    assert "Monday" in reason
    assert "9 February 2026" in reason
    assert "10 working days" in reason


def test_an_extension_beyond_the_limit_is_allowed_with_a_recorded_good_reason() -> None:
    request = extend(london("Tue", 2026, 2, 10, 12, 0), good_reason="The customer is in hospital until then.")
    assert decide(case(S.STAGE1, 1), request, FLAGSHIP) is S.STAGE1


def test_a_second_extension_needs_a_good_reason_even_within_the_limit() -> None:
    facts = case(S.STAGE1, 1, response_due=end_of("Fri", 2026, 1, 30), extensions=1)
    reason = refusal(facts, extend(end_of("Wed", 2026, 2, 4)))
    assert reason == "A further extension needs a recorded good reason."
    allowed = extend(end_of("Wed", 2026, 2, 4), good_reason="The contractor's report is late.")
    assert decide(facts, allowed, FLAGSHIP) is S.STAGE1


def test_the_limit_counts_from_the_original_due_date_not_the_extended_one() -> None:
    # A policy allowing two extensions without good reason. After a first extension to Fri 6 Feb,
    # the limit is still 10 working days after the original 26 Jan: Mon 9 Feb, not 20 Feb.
    rules = flagship_with("extensions_without_good_reason = 1", "extensions_without_good_reason = 2")
    facts = case(S.STAGE1, 1, response_due=end_of("Fri", 2026, 2, 6), extensions=1)
    assert decide(facts, extend(LIMIT), rules) is S.STAGE1
    assert "good reason" in refusal(facts, extend(london("Tue", 2026, 2, 10, 12, 0)), rules)


def test_stage_2_extensions_use_the_stage_2_allowance() -> None:
    # Code 2024: a response due Mon 9 Feb 2026. Stage 1 allows 10 more working days (to Mon 23 Feb),
    # stage 2 allows 20 (to Mon 9 Mar: 10-13, 16-20, 23-27 Feb, 2-6 Mar, 9 Mar).
    due = end_of("Mon", 2026, 2, 9)
    request = extend(end_of("Fri", 2026, 3, 6))
    stage2 = case(S.STAGE2, 2, response_due=due, original_response_due=due)
    assert decide(stage2, request, CODE_2024) is S.STAGE2
    stage1 = case(S.STAGE1, 1, response_due=due, original_response_due=due)
    assert "23 February 2026" in refusal(stage1, request, CODE_2024)


# --- Guards: responding, actions and closing ------------------------------------------------------


def test_a_response_needs_an_outcome_for_every_point_of_complaint() -> None:
    reason = refusal(case(S.STAGE1, 1), rq.Respond({1: Outcome.UPHELD}, ResponseMethod.PHONE))
    assert reason == "Give an outcome for every point of complaint: 1 without one."


def test_a_response_needs_points_to_respond_to() -> None:
    reason = refusal(case(S.STAGE2, 2, point_ids=frozenset()), rq.Respond({}, ResponseMethod.EMAIL))
    assert "no points to respond to" in reason


def test_a_response_cannot_give_an_outcome_for_someone_elses_point() -> None:
    outcomes = {1: Outcome.UPHELD, 2: Outcome.PARTIALLY_UPHELD, 99: Outcome.UPHELD}
    reason = refusal(case(S.STAGE1, 1), rq.Respond(outcomes, ResponseMethod.IN_PERSON))
    assert "not part of this complaint" in reason


def test_only_this_complaints_actions_can_be_completed() -> None:
    assert "not part of this complaint" in refusal(
        case(S.STAGE1_RESPONDED, 1), rq.CompleteAction(8, "Roof retiled.")
    )


@pytest.mark.parametrize("state", [S.STAGE1_RESPONDED, S.STAGE2_RESPONDED, S.APPEAL_RESPONDED])
def test_a_complaint_closes_only_when_every_agreed_action_is_done(state: State) -> None:
    stage = {S.STAGE1_RESPONDED: 1, S.STAGE2_RESPONDED: 2, S.APPEAL_RESPONDED: 3}[state]
    assert refusal(case(state, stage, open_actions=2), rq.Close()) == (
        "The complaint can only be closed when every agreed action is done: 2 actions are still open."
    )
    assert "1 action is still open" in refusal(case(state, stage, open_actions=1), rq.Close())
    assert decide(case(state, stage, open_actions=0), rq.Close(), FLAGSHIP) is S.CLOSED


# --- Guards: escalation to stage 2 -----------------------------------------------------------------


def test_the_flagship_policy_requires_a_ground_for_a_review() -> None:
    reason = refusal(case(S.STAGE1_RESPONDED, 1), rq.Escalate(frozenset()))
    assert "Choose at least one ground" in reason


def test_the_code_policy_does_not_require_a_ground_for_a_review() -> None:
    assert decide(case(S.STAGE1_RESPONDED, 1), rq.Escalate(frozenset()), CODE_2024) is S.STAGE2
    assert decide(case(S.CLOSED, 1), rq.Escalate(frozenset()), CODE_2024) is S.STAGE2


@pytest.mark.parametrize("rules", POLICIES)
@pytest.mark.parametrize("grounds", [{"e"}, {"a", "z"}], ids=["unknown", "one-known-one-unknown"])
def test_a_ground_the_policy_does_not_list_is_refused(rules: Rules, grounds: set[str]) -> None:
    reason = refusal(case(S.STAGE1_RESPONDED, 1), rq.Escalate(frozenset(grounds)), rules)
    assert reason == "Unknown ground: choose from (a), (b), (c), (d)."


def test_any_of_the_four_grounds_may_be_chosen() -> None:
    for ground in "abcd":
        assert decide(case(S.STAGE1_RESPONDED, 1), rq.Escalate(frozenset({ground})), FLAGSHIP) is S.STAGE2
    assert decide(case(S.STAGE1_RESPONDED, 1), rq.Escalate(frozenset("abcd")), FLAGSHIP) is S.STAGE2


# --- Guards: appeals -------------------------------------------------------------------------------


@pytest.mark.parametrize("situation", [(S.STAGE2_RESPONDED, 2), (S.CLOSED, 2)], ids=lambda s: s[0].value)
def test_the_code_policy_has_no_appeal_stage(situation: tuple[State, int]) -> None:
    reason = refusal(case(*situation), GOOD_REQUEST[Step.REQUEST_APPEAL], CODE_2024)
    assert reason == "This policy has no appeal stage: after stage 2 the customer may go to the Ombudsman."


def test_an_appeal_must_name_a_criterion() -> None:
    reason = refusal(case(S.STAGE2_RESPONDED, 2), rq.RequestAppeal(frozenset(), "I am unhappy."))
    assert reason == "An appeal must say which of the criteria (a), (b), (c) it meets."


def test_an_appeal_criterion_must_be_one_the_policy_lists() -> None:
    reason = refusal(case(S.STAGE2_RESPONDED, 2), rq.RequestAppeal(frozenset({"d"}), "I am unhappy."))
    assert "Unknown criterion: choose from (a), (b), (c)" in reason


def test_an_appeal_must_explain_how_it_meets_the_criteria() -> None:
    reason = refusal(case(S.STAGE2_RESPONDED, 2), rq.RequestAppeal(frozenset({"a"}), " "))
    assert "explain how the complaint meets the criteria" in reason


def test_an_appeal_is_refused_only_when_every_action_is_done() -> None:
    reason = refusal(case(S.APPEAL_REQUESTED, 3, open_actions=1), GOOD_REQUEST[Step.REFUSE_APPEAL])
    assert reason == "An appeal can only be refused when every agreed action is done: 1 action is still open."


def test_an_appeal_meeting_a_criterion_must_be_heard() -> None:
    request = rq.RefuseAppeal("We responded late but it is resolved.", criteria_met=frozenset({"c"}))
    reason = refusal(case(S.APPEAL_REQUESTED, 3), request)
    assert reason == "An appeal that meets a criterion ((c)) must be heard."


def test_refusing_an_appeal_needs_a_reason_for_the_customer() -> None:
    assert "Give the reason for refusing" in refusal(case(S.APPEAL_REQUESTED, 3), rq.RefuseAppeal(""))


def test_an_appeal_refused_with_actions_done_and_no_criterion_met_closes_the_complaint() -> None:
    assert decide(case(S.APPEAL_REQUESTED, 3), GOOD_REQUEST[Step.REFUSE_APPEAL], FLAGSHIP) is S.CLOSED


def schedule(**changes: object) -> rq.ScheduleAppeal:
    return dataclasses.replace(GOOD_REQUEST[Step.SCHEDULE_APPEAL], **changes)  # type: ignore[arg-type]


def test_the_appeal_meeting_is_arranged_by_mutual_agreement() -> None:
    reason = refusal(case(S.APPEAL_REQUESTED, 3), schedule(agreed_with_customer=False))
    assert "mutual agreement" in reason


@pytest.mark.parametrize(
    ("panel", "missing"),
    [
        ({PanelRole.BOARD_MEMBER, PanelRole.EXECUTIVE}, "The panel needs a resident."),
        ({PanelRole.RESIDENT, PanelRole.EXECUTIVE}, "The panel needs a board member."),
        ({PanelRole.BOARD_MEMBER, PanelRole.RESIDENT}, "The panel needs an executive."),
        ({PanelRole.RESIDENT}, "The panel needs a board member and an executive."),
    ],
)
def test_the_appeal_panel_needs_a_board_member_a_resident_and_an_executive(
    panel: set[PanelRole], missing: str
) -> None:
    assert refusal(case(S.APPEAL_REQUESTED, 3), schedule(panel=frozenset(panel))) == missing


def test_a_panel_with_nobody_on_it_lists_every_member_it_needs() -> None:
    reason = refusal(case(S.APPEAL_REQUESTED, 3), schedule(panel=frozenset()))
    assert reason == "The panel needs a board member, an executive and a resident."


def test_a_panel_may_have_an_independent_member_as_well() -> None:
    request = schedule(panel=FULL_PANEL | {PanelRole.INDEPENDENT})
    assert decide(case(S.APPEAL_REQUESTED, 3), request, FLAGSHIP) is S.APPEAL_SCHEDULED


def test_the_customer_may_bring_a_companion_but_not_a_legal_representative() -> None:
    companion = schedule(has_companion=True)
    assert decide(case(S.APPEAL_REQUESTED, 3), companion, FLAGSHIP) is S.APPEAL_SCHEDULED
    lawyer = schedule(has_companion=True, companion_is_legal_representative=True)
    reason = refusal(case(S.APPEAL_REQUESTED, 3), lawyer)
    assert reason == "The customer may bring a companion, but not a legal representative."


def test_a_policy_may_allow_no_companion_at_all() -> None:
    rules = flagship_with("companion_allowed = true", "companion_allowed = false")
    reason = refusal(case(S.APPEAL_REQUESTED, 3), schedule(has_companion=True), rules)
    assert "does not allow a companion" in reason


def test_the_meeting_cannot_be_before_the_appeal_was_asked_for() -> None:
    reason = refusal(case(S.APPEAL_REQUESTED, 3), schedule(meeting_at=london("Fri", 2026, 2, 27, 10, 0)))
    assert "cannot be before the appeal was requested" in reason


def test_the_panel_decides_at_or_after_the_meeting() -> None:
    facts = case(S.APPEAL_SCHEDULED, 3)
    early = rq.DecideAppeal(OUTCOMES, decided_at=MEETING_AT - dt.timedelta(minutes=1))
    assert "not before it" in refusal(facts, early)
    assert decide(facts, rq.DecideAppeal(OUTCOMES, decided_at=MEETING_AT), FLAGSHIP) is S.APPEAL_DECIDED


def test_the_appeal_decision_needs_an_outcome_for_every_point() -> None:
    request = rq.DecideAppeal({2: Outcome.UPHELD}, decided_at=MEETING_AT)
    assert "Give an outcome for every point" in refusal(case(S.APPEAL_SCHEDULED, 3), request)


# --- Guards: new matters and restrictions ----------------------------------------------------------


def test_a_new_matter_signposted_elsewhere_names_the_team() -> None:
    facts = case(S.STAGE1, 1)
    reason = refusal(facts, rq.RaiseNewMatter(NewMatterRoute.SIGNPOST))
    assert "Name the team the customer is signposted to" in reason
    signposted = rq.RaiseNewMatter(NewMatterRoute.SIGNPOST, signpost_to="Repairs")
    assert decide(facts, signposted, FLAGSHIP) is S.STAGE1


@pytest.mark.parametrize(
    "review_on", [day("Mon", 2026, 3, 2), day("Sun", 2026, 3, 1)], ids=["today", "yesterday"]
)
def test_a_restriction_needs_a_review_date_in_the_future(review_on: dt.date) -> None:
    request = rq.RecordRestriction(review_on=review_on, today=day("Mon", 2026, 3, 2))
    assert "review date in the future" in refusal(case(S.STAGE1, 1), request)


def test_a_restriction_reviewed_tomorrow_is_recorded_without_changing_the_state() -> None:
    request = rq.RecordRestriction(review_on=day("Tue", 2026, 3, 3), today=day("Mon", 2026, 3, 2))
    assert decide(case(S.STAGE2, 2), request, FLAGSHIP) is S.STAGE2


# --- Added with the review: late extensions, written responses, late meetings, dating ---------------


def test_an_extension_agreed_after_the_response_date_has_passed_is_refused() -> None:
    # Due by the end of Mon 26 Jan; the extension is only agreed on Wed 28 Jan.
    late = rq.Extend(
        new_due=end_of("Fri", 2026, 1, 30),
        reason="Surveyor delayed",
        agreed_at=london("Wed", 2026, 1, 28, 9, 0),
    )
    reason = refusal(case(S.STAGE1, 1), late)
    assert "The response was due by the end of Monday 26 January 2026" in reason
    assert "the missed date stays on the record" in reason
    in_time = rq.Extend(
        new_due=end_of("Fri", 2026, 1, 30),
        reason="Surveyor delayed",
        agreed_at=london("Mon", 2026, 1, 26, 16, 0),
    )
    assert decide(case(S.STAGE1, 1), in_time, FLAGSHIP) is S.STAGE1


@pytest.mark.parametrize("method", [ResponseMethod.PHONE, ResponseMethod.IN_PERSON])
def test_the_stage_2_review_is_answered_in_writing(method: ResponseMethod) -> None:
    reason = refusal(case(S.STAGE2, 2), rq.Respond(OUTCOMES, method))
    assert reason.startswith("The stage 2 response must be in writing (a letter or an email)")
    assert (
        decide(case(S.STAGE2, 2), rq.Respond(OUTCOMES, ResponseMethod.EMAIL), FLAGSHIP) is S.STAGE2_RESPONDED
    )


def test_stage_1_may_be_answered_by_phone_under_the_seed_but_not_under_the_code() -> None:
    by_phone = rq.Respond(OUTCOMES, ResponseMethod.PHONE)
    assert decide(case(S.STAGE1, 1), by_phone, FLAGSHIP) is S.STAGE1_RESPONDED
    assert "stage 1 response must be in writing" in refusal(case(S.STAGE1, 1), by_phone, CODE_2024)


def test_the_final_response_is_a_letter_or_an_email() -> None:
    reason = refusal(case(S.APPEAL_DECIDED, 3), rq.RecordFinalResponse(ResponseMethod.PHONE))
    assert "The final response is a letter (or an email)" in reason


def test_a_meeting_later_than_20_working_days_needs_a_reason() -> None:
    # Requested Mon 2 Mar 2026: 20 working days later is Mon 30 Mar (no bank holiday between).
    due = end_of("Mon", 2026, 3, 30)
    facts = case(S.APPEAL_REQUESTED, 3, appeal_meeting_due=due)
    late = london("Tue", 2026, 4, 14, 10, 0)
    request = rq.ScheduleAppeal(meeting_at=late, agreed_with_customer=True, panel=FULL_PANEL)
    reason = refusal(facts, request)
    assert "The meeting should be held by Monday 30 March 2026 (20 working days from request)" in reason
    excused = dataclasses.replace(request, late_reason="The customer is away until 13 April.")
    assert decide(facts, excused, FLAGSHIP) is S.APPEAL_SCHEDULED


def test_a_step_cannot_be_dated_before_its_stage_began_nor_an_escalation_before_the_response() -> None:
    from putright.procedure.guards import earliest

    opened = london("Mon", 2026, 2, 2, 9, 0)
    responded = london("Tue", 2026, 2, 10, 15, 0)
    facts = case(S.STAGE1_RESPONDED, 1, stage_opened_at=opened, stage_responded_at=responded)
    assert earliest(Step.RECORD_CONTACT, facts) == opened
    assert earliest(Step.ESCALATE, facts) == responded
    assert earliest(Step.CLOSE, facts) == responded
    assert earliest(Step.ACCEPT, case(S.RECEIVED, 0)) == RECEIVED_AT


# --- Added with the Code's policy: no stage 0, reasons for each point, written responses ----------


def test_the_codes_policy_has_no_informal_resolution_and_says_so() -> None:
    from putright.procedure.machine import why_not

    received = case(S.RECEIVED, 0)
    assert Step.RESOLVE_INFORMALLY in allowed_steps(received, FLAGSHIP)
    assert Step.RESOLVE_INFORMALLY not in allowed_steps(received, CODE_2024)
    assert why_not(Step.RESOLVE_INFORMALLY, received, CODE_2024) == (
        "This policy has no informal resolution (no “stage 0”): accept the complaint at stage 1, "
        "or record why it is not accepted."
    )
    assert why_not(Step.RESOLVE_INFORMALLY, received, FLAGSHIP) is None
    turned_off = flagship_with("informal_resolution = true", "informal_resolution = false")
    assert "no informal resolution" in refusal(received, GOOD_REQUEST[Step.RESOLVE_INFORMALLY], turned_off)


@pytest.mark.parametrize("stage", [1, 2])
def test_the_codes_policy_refuses_a_response_without_reasons_for_each_point(stage: int) -> None:
    facts = case(S.STAGE1 if stage == 1 else S.STAGE2, stage)
    without = rq.Respond(OUTCOMES, ResponseMethod.LETTER)
    assert refusal(facts, without, CODE_2024) == (
        f"Give the reasons for each point's outcome: the policy requires them at stage {stage}; "
        "2 points have none."
    )
    one_blank = rq.Respond(OUTCOMES, ResponseMethod.LETTER, {1: "Booked late.", 2: "  "})
    assert refusal(facts, one_blank, CODE_2024).endswith("1 point has none.")
    responded = S.STAGE1_RESPONDED if stage == 1 else S.STAGE2_RESPONDED
    assert decide(facts, GOOD_REQUEST[Step.RESPOND], CODE_2024) is responded
    # The seed procedure does not ask for them.
    assert decide(facts, without, FLAGSHIP) is responded


# --- conduct: restrictions followed through, and the decision not to investigate ---------------------

TODAY = day("Mon", 2026, 3, 2)


@pytest.mark.parametrize("review_on", [day("Mon", 2026, 3, 2), day("Fri", 2026, 2, 27)])
def test_a_review_or_renewal_needs_a_later_review_date(review_on: dt.date) -> None:
    review = rq.ReviewRestriction("Stays as it is.", next_review_on=review_on, today=TODAY)
    renew = rq.RenewRestriction("Further abusive calls.", review_on=review_on, today=TODAY)
    assert "review date in the future" in refusal(case(S.CLOSED, 1), review)
    assert "review date in the future" in refusal(case(S.CLOSED, 1), renew)


def test_a_review_records_its_conclusion() -> None:
    request = rq.ReviewRestriction("  ", next_review_on=day("Mon", 2026, 6, 1), today=TODAY)
    assert "Record what the review concluded" in refusal(case(S.STAGE1, 1), request)


def test_renewing_or_ending_a_restriction_needs_a_reason() -> None:
    renew = rq.RenewRestriction(" ", review_on=day("Mon", 2026, 6, 1), today=TODAY)
    assert "reason for renewing" in refusal(case(S.STAGE1, 1), renew)
    assert "reason for ending" in refusal(case(S.STAGE1, 1), rq.EndRestriction(""))


def decline(**changes: object) -> rq.DeclineToInvestigate:
    request = GOOD_REQUEST[Step.DECLINE_TO_INVESTIGATE]
    return dataclasses.replace(request, **changes)  # type: ignore[arg-type]


def test_not_investigating_is_refused_without_a_reason() -> None:
    assert "Give the reason for not investigating" in refusal(case(S.STAGE1, 1), decline(reason=" "))


@pytest.mark.parametrize("changes", [{"legal_advice": ""}, {"advice_on": None}])
def test_not_investigating_needs_the_legal_advice_and_its_date(changes: dict[str, object]) -> None:
    assert "we seek legal advice first" in refusal(case(S.STAGE2, 2), decline(**changes))


def test_legal_advice_cannot_be_dated_tomorrow() -> None:
    reason = refusal(case(S.STAGE1, 1), decline(advice_on=day("Tue", 2026, 3, 3)))
    assert reason == "The legal advice cannot be dated in the future."


def test_a_declined_complaint_is_finished() -> None:
    assert decide(case(S.STAGE2, 2), decline(), FLAGSHIP) is S.NOT_INVESTIGATED
    assert "Withdraw is not possible" in refusal(case(S.NOT_INVESTIGATED, 1), rq.Withdraw())


def test_the_appeal_decision_gives_reasons_for_each_point_where_stage_2_requires_them() -> None:
    # The panel's decision is the final response on the review: stage 2's rule applies.
    facts = case(S.APPEAL_SCHEDULED, 3)
    decided_at = MEETING_AT + dt.timedelta(hours=2)
    without = rq.DecideAppeal(OUTCOMES, decided_at=decided_at)
    stage_2_reasons = flagship_with(
        "reasons_for_each_point = false\nreasons_required", "reasons_for_each_point = true\nreasons_required"
    )
    assert refusal(facts, without, stage_2_reasons) == (
        "Give the reasons for each point's outcome: the policy requires them at stage 2; 2 points have none."
    )
    given = rq.DecideAppeal(OUTCOMES, decided_at=decided_at, reasons={1: "Late.", 2: "Never booked."})
    assert decide(facts, given, stage_2_reasons) is S.APPEAL_DECIDED
    # The seed procedure does not ask for them at stage 2.
    assert decide(facts, without, FLAGSHIP) is S.APPEAL_DECIDED


# issue 13, ack: a stage is acknowledged once it has begun (a letter posted later names its own).


def test_an_acknowledgement_names_a_stage_that_has_begun() -> None:
    facts = case(S.STAGE2, 2)
    assert decide(facts, rq.Acknowledge(stage=1), FLAGSHIP) is S.STAGE2
    with pytest.raises(StepRefused) as refused:
        decide(case(S.STAGE1, 1), rq.Acknowledge(stage=2), FLAGSHIP)
    assert refused.value.reason == "Stage 2 has not begun: there is nothing to acknowledge there yet."


# issue 15, retention: a legal hold is placed once and lifted once, with a reason each time


@pytest.mark.parametrize("state", [S.RECEIVED, S.STAGE1, S.CLOSED, S.NOT_ACCEPTED, S.WITHDRAWN])
def test_a_held_case_can_be_lifted_not_held_again(state: State) -> None:
    held = case(state, 1, legal_hold=True)
    assert decide(held, GOOD_REQUEST[Step.LIFT_LEGAL_HOLD], FLAGSHIP) is state
    with pytest.raises(StepRefused, match="already under legal hold"):
        decide(held, GOOD_REQUEST[Step.PLACE_LEGAL_HOLD], FLAGSHIP)


def test_an_anonymised_case_cannot_be_held() -> None:
    with pytest.raises(StepRefused, match="personal details have already been removed"):
        decide(case(S.CLOSED, 1, anonymised=True), GOOD_REQUEST[Step.PLACE_LEGAL_HOLD], FLAGSHIP)


@pytest.mark.parametrize(
    ("request_", "said"),
    [
        (rq.PlaceLegalHold("  "), "Give the reason for the legal hold"),
        (rq.PlaceLegalHold("x" * 301), "at most 300 characters"),
        (rq.LiftLegalHold(""), "Give the reason for lifting the legal hold"),
    ],
)
def test_a_hold_needs_a_reason(request_: rq.Request, said: str) -> None:
    facts = case(S.CLOSED, 1, legal_hold=isinstance(request_, rq.LiftLegalHold))
    with pytest.raises(StepRefused, match=said):
        decide(facts, request_, FLAGSHIP)
