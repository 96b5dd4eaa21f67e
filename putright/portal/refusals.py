"""Why a customer cannot take a step now, in their words rather than the procedure's.

The state machine explains a refusal to staff ("Escalate is not possible
while the complaint is “Stage 2: under review”"). A customer is told instead
what has happened to their complaint and when, if ever, the step opens.
"""

from __future__ import annotations

from putright.procedure.guards import Facts
from putright.procedure.policy import Policy
from putright.procedure.states import State

_FINISHED = {
    State.WITHDRAWN: "You withdrew this complaint, so we are no longer looking into it.",
    State.NOT_ACCEPTED: "We did not accept this complaint, so we did not look into it.",
    State.RESOLVED_INFORMALLY: (
        "We put this right with you straight away, so there is no response to look at again."
    ),
    # conduct
    State.NOT_INVESTIGATED: (
        "We decided not to investigate this complaint and wrote to you with the reason. "
        "You can contact the Housing Ombudsman."
    ),
}
_APPEAL_STATES = {
    State.APPEAL_REQUESTED,
    State.APPEAL_SCHEDULED,
    State.APPEAL_DECIDED,
    State.APPEAL_RESPONDED,
}
REVIEW_LATER = "You can ask for a review after we have sent you our response to your complaint."
APPEAL_LATER = "You can ask for an appeal after we have sent you the result of a review of your complaint."


def refusal_words(step: str, facts: Facts, policy: Policy) -> str:
    """Why ``step`` (review, appeal, information, withdraw) is not open, for the customer."""
    if facts.state in _FINISHED:
        return _FINISHED[facts.state]
    if step == "review":
        return _review(facts)
    if step == "appeal":
        return _appeal(facts, policy)
    return "Your complaint is closed, so it cannot be changed now."


def _review(facts: Facts) -> str:
    if facts.state in (State.RECEIVED, State.STAGE1):
        return REVIEW_LATER
    if facts.state is State.STAGE2:
        return "You have already asked for a review. We are looking at your complaint again."
    return "Your complaint has already been reviewed. You can only ask for a review once."


def _appeal(facts: Facts, policy: Policy) -> str:
    if policy.appeal is None:
        return (
            "Our complaints procedure does not have an appeal. After a review, you can contact the Ombudsman."
        )
    if facts.state in _APPEAL_STATES or facts.stage >= 3:
        return "You have already asked for an appeal."
    return APPEAL_LATER
