"""The states a complaint can be in and the steps that move it."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    RECEIVED = "received"
    STAGE1 = "stage1"
    STAGE1_RESPONDED = "stage1_responded"
    STAGE2 = "stage2"
    STAGE2_RESPONDED = "stage2_responded"
    APPEAL_REQUESTED = "appeal_requested"
    APPEAL_SCHEDULED = "appeal_scheduled"
    APPEAL_DECIDED = "appeal_decided"
    APPEAL_RESPONDED = "appeal_responded"
    CLOSED = "closed"
    RESOLVED_INFORMALLY = "resolved_informally"
    NOT_ACCEPTED = "not_accepted"
    WITHDRAWN = "withdrawn"
    # conduct: a decision not to investigate (procedure section 8)
    NOT_INVESTIGATED = "not_investigated"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.RECEIVED: "Received, awaiting triage",
    State.STAGE1: "Stage 1: investigating",
    State.STAGE1_RESPONDED: "Stage 1: responded",
    State.STAGE2: "Stage 2: under review",
    State.STAGE2_RESPONDED: "Stage 2: responded",
    State.APPEAL_REQUESTED: "Appeal requested",
    State.APPEAL_SCHEDULED: "Appeal meeting arranged",
    State.APPEAL_DECIDED: "Appeal decided",
    State.APPEAL_RESPONDED: "Appeal: final response sent",
    State.CLOSED: "Closed",
    State.RESOLVED_INFORMALLY: "Resolved informally",
    State.NOT_ACCEPTED: "Not accepted",
    State.WITHDRAWN: "Withdrawn",
    # conduct
    State.NOT_INVESTIGATED: "Not investigated (unacceptable behaviour)",
}

#: The stages of a complaint (0 is triage, 3 the appeal), as a caseworker says them.
STAGE_LABELS = {0: "Triage", 1: "Stage 1", 2: "Stage 2", 3: "Appeal"}


def stage_label(number: int) -> str:
    """ "Stage 1", "Appeal": the one wording of lists, filters, exports and the case page."""
    return STAGE_LABELS.get(number, f"Stage {number}")


def stage_phrase(number: int) -> str:
    """The stage inside a sentence: "at stage 1", "at the appeal"."""
    return "the appeal" if number == 3 else stage_label(number).lower()


def stage_and_state(number: int, state: State) -> str:
    """ "Stage 1: investigating", "Stage 2: Closed": the stage is said once.

    Most state labels already name their stage; the others (closed, withdrawn...)
    are said after it.
    """
    stage, label = stage_label(number), state.label
    return label if label.startswith(stage) else f"{stage}: {label}"


#: States a complaint never leaves.
FINISHED = frozenset({State.RESOLVED_INFORMALLY, State.NOT_ACCEPTED, State.WITHDRAWN, State.NOT_INVESTIGATED})
#: States in which we are investigating and owe the customer a response.
INVESTIGATING = frozenset({State.STAGE1, State.STAGE2})
#: States in which a response has been given and its actions may be open.
RESPONDED = frozenset({State.STAGE1_RESPONDED, State.STAGE2_RESPONDED, State.APPEAL_RESPONDED})
APPEAL = frozenset(
    {State.APPEAL_REQUESTED, State.APPEAL_SCHEDULED, State.APPEAL_DECIDED, State.APPEAL_RESPONDED}
)
#: States of a live complaint that someone is working on.
IN_PROGRESS = frozenset({State.STAGE1, State.STAGE1_RESPONDED, State.STAGE2, State.STAGE2_RESPONDED}) | APPEAL
OPEN = IN_PROGRESS | {State.RECEIVED}
EVERY = frozenset(State)


class Outcome(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"


class ResponseMethod(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    LETTER = "letter"
    EMAIL = "email"


class ConcernKind(StrEnum):
    SAFEGUARDING = "safeguarding"
    HEALTH_AND_SAFETY = "health_and_safety"


class Step(StrEnum):
    ACCEPT = "accept"
    RESOLVE_INFORMALLY = "resolve_informally"
    NOT_ACCEPT = "not_accept"
    RECORD_CONTACT = "record_contact"
    REQUEST_EVIDENCE = "request_evidence"
    ADD_EVIDENCE = "add_evidence"
    EXTEND = "extend"
    RESPOND = "respond"
    ADD_ACTION = "add_action"
    COMPLETE_ACTION = "complete_action"
    CLOSE = "close"
    ESCALATE = "escalate"
    REQUEST_APPEAL = "request_appeal"
    REFUSE_APPEAL = "refuse_appeal"
    SCHEDULE_APPEAL = "schedule_appeal"
    DECIDE_APPEAL = "decide_appeal"
    RECORD_FINAL_RESPONSE = "record_final_response"
    WITHDRAW = "withdraw"
    REASSIGN = "reassign"
    RAISE_NEW_MATTER = "raise_new_matter"
    FLAG_CONCERN = "flag_concern"
    REFER_CONCERN = "refer_concern"
    CLOSE_CONCERN = "close_concern"
    RECORD_RESTRICTION = "record_restriction"
    # points (issue 11, Code 6.8): the points of an open complaint change until the stage 1
    # response; after it a new issue is a new complaint (RAISE_NEW_MATTER).
    ADD_POINT = "add_point"
    EDIT_POINT = "edit_point"
    SPLIT_POINT = "split_point"
    EDIT_SUMMARY = "edit_summary"
    # conduct: restrictions followed through, and the decision not to investigate
    REVIEW_RESTRICTION = "review_restriction"
    RENEW_RESTRICTION = "renew_restriction"
    END_RESTRICTION = "end_restriction"
    DECLINE_TO_INVESTIGATE = "decline_to_investigate"
    # learning (issue 12): what each point was about and why it went wrong, what was offered to
    # put it right, and the lessons it is linked to
    RECORD_LEARNING = "record_learning"
    ADD_REMEDY = "add_remedy"
    UPDATE_REMEDY = "update_remedy"
    LINK_LEARNING_ACTION = "link_learning_action"
    # issue 13, ack: the acknowledgement of a stage, a fact of its own (the Code's clocks run from it)
    ACKNOWLEDGE = "acknowledge"
    # issue 13, tsm: the stock type of the home a complaint is about, corrected by staff
    CORRECT_STOCK_TYPE = "correct_stock_type"
    # issue 15, retention: a legal hold keeps a case from the retention run until it is lifted
    PLACE_LEGAL_HOLD = "place_legal_hold"
    LIFT_LEGAL_HOLD = "lift_legal_hold"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class NewMatterRoute(StrEnum):
    NEW_COMPLAINT = "new_complaint"
    SIGNPOST = "signpost"
