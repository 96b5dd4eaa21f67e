"""The main journey, from logging to the final response, under every policy putright ships.

Each policy's own rules are followed: under the Code's policy ("code-2024") the
responses are written and give the reasons for each point, there is no informal
resolution and the stage 2 response is the final one; under the flagship policy
the appeal's outcome is. Dates are the standard journey's (tests/cases/conftest.py).
"""

from __future__ import annotations

from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.services import escalation, responses, triage
from putright.procedure.states import State
from tests.cases.conftest import JOURNEY, all_points
from tests.cases.helpers import at, on, refused

NO_APPEAL = "This policy has no appeal stage: after stage 2 the customer may go to the Ombudsman."
IN_WRITING = (
    "The stage 1 response must be in writing (a letter or an email); record a call or a visit as a contact."
)


def test_a_complaint_runs_from_logging_to_its_final_response(shipped_policy, journey):
    last = "responded2" if shipped_policy.appeal is None else "final"

    complaint = journey.until(last)

    assert complaint.state == (State.STAGE2_RESPONDED if last == "responded2" else State.APPEAL_RESPONDED)
    assert complaint.final_response_at == on(JOURNEY[last])
    if shipped_policy.ombudsman.wait.amount == 0:
        assert complaint.ombudsman_direct_from == complaint.final_response_at
    else:
        assert complaint.ombudsman_direct_from > complaint.final_response_at
    if shipped_policy.appeal is None:
        with at("Mon 2026-03-23 10:00"), refused(complaint, StepNotAllowed, NO_APPEAL):
            escalation.request_appeal(complaint, criteria=["a"], explanation="Unhappy", actor=None)


def test_informal_resolution_only_where_the_policy_has_it(shipped_policy, journey, frontline):
    complaint = journey.until("received")

    with at("Mon 2026-03-02 10:30"):
        if shipped_policy.eligibility.informal_resolution:
            triage.resolve_informally(complaint, resolution="Repair booked on the call", actor=frontline)
            assert complaint.state == State.RESOLVED_INFORMALLY
            return
        with refused(
            complaint,
            StepNotAllowed,
            "This policy has no informal resolution (no “stage 0”): accept the complaint at stage 1, "
            "or record why it is not accepted.",
        ):
            triage.resolve_informally(complaint, resolution="Repair booked on the call", actor=frontline)


def test_the_stage_1_response_is_written_with_reasons_where_required(shipped_policy, journey, officer):
    complaint = journey.until("contacted")
    without_reasons = {pk: (outcome, "") for pk, (outcome, _) in all_points(complaint).items()}

    with at(JOURNEY["responded"]):
        if shipped_policy.stage1.written_response:
            with refused(complaint, StepNotAllowed, IN_WRITING):
                responses.respond(
                    complaint, outcomes=all_points(complaint), method="phone", summary="Sorry", actor=officer
                )
        if shipped_policy.stage1.reasons_for_each_point:
            # Refused naming the first point's field, so a form or a client can show it there.
            with refused(
                complaint,
                InvalidInput,
                "outcomes[0].reasons: give the reasons for this point's outcome: "
                "the policy requires them at stage 1",
            ) as caught:
                responses.respond(
                    complaint, outcomes=without_reasons, method="letter", summary="Sorry", actor=officer
                )
            assert caught.value.field == "outcomes[0].reasons"
            # Reasons for the first point only: the second point's field is named.
            first_only = dict(all_points(complaint))
            second = list(first_only)[1]
            first_only[second] = ("upheld", "  ")
            with refused(complaint, InvalidInput) as caught:
                responses.respond(
                    complaint, outcomes=first_only, method="letter", summary="Sorry", actor=officer
                )
            assert caught.value.field == "outcomes[1].reasons"
            return
        # The seed procedure asks for neither: a call, with no reasons written down, is a response.
        responses.respond(complaint, outcomes=without_reasons, method="phone", summary="Sorry", actor=officer)
    assert complaint.state == State.STAGE1_RESPONDED
