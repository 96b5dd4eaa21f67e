"""When each kind of letter can be written: the one table, read from the case's recorded facts.

A letter states facts (a response with its outcomes, a hearing with its date,
the day from which the customer may go to the Ombudsman). It can be written
only once those facts are on the case: a stage 1 response letter before the
response is recorded would have no points, and an appeal decision letter
before the final response is recorded would give the stage 2 Ombudsman date.

``RULES`` says, for every kind, why it cannot be written now ("" when it
can). The drafts, the sending, the suggestions and the workspace's chooser
all ask this table, so they never disagree. Every rule reads a complaint
loaded by ``letter_context.load`` (its stages, responses, hearing,
extensions, deadlines, contacts, evidence requests and representatives
already fetched), so asking about every kind costs no further query.
"""

from __future__ import annotations

from collections.abc import Callable

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, ResponseKind, Stage
from putright.comms.letters.letter_context import designated_person
from putright.comms.models import LetterKind
from putright.procedure.states import INVESTIGATING, State, stage_and_state, stage_label, stage_phrase

K = LetterKind

#: Why a kind cannot be written for a loaded case; "" when it can.
Rule = Callable[[Complaint], str]


def _stage(case: Complaint, number: int) -> Stage | None:
    return next((s for s in case.stages.all() if s.number == number), None)


def _responses(stage: Stage | None, kind: ResponseKind) -> list[object]:
    return [r for r in stage.responses.all() if r.kind == kind] if stage is not None else []


def _where(case: Complaint) -> str:
    """ "it is Stage 1: investigating": where the case stands, for a reason."""
    return f"it is {stage_and_state(case.stage, State(case.state))}"


def _open_stage(case: Complaint) -> str:
    """Why there is no open stage 1 or stage 2 with dates to promise ("" when there is)."""
    if case.stage == 0:
        return "the complaint has not been accepted yet, so there are no dates to give"
    if case.stage not in (1, 2):
        return (
            "this letter gives the dates of stage 1 or stage 2, and the complaint is at the appeal "
            f"({_where(case)})"
        )
    label = stage_label(case.stage)
    stage = _stage(case, case.stage)
    if stage is not None and stage.responded_at is not None:
        return f"the {label.lower()} response has already been given"
    if State(case.state) not in INVESTIGATING:
        return f"the complaint is no longer being investigated ({_where(case)})"
    return ""


def _acknowledgement(case: Complaint) -> str:
    return _open_stage(case)


def _contact_record(case: Complaint) -> str:
    if not any(c.stage_number == case.stage for c in case.contacts.all()):
        at = stage_phrase(case.stage)
        return f"no contact with the customer has been recorded at {at} yet: record the call or visit first"
    return ""


def _evidence_request(case: Complaint) -> str:
    if not any(r.stage_number == case.stage for r in case.evidence_requests.all()):
        at = stage_phrase(case.stage)
        return f"no request for evidence has been recorded at {at}: record what you are asking for first"
    return ""


def _extension(case: Complaint) -> str:
    stage = _stage(case, case.stage)
    if stage is None or not stage.extensions.all():
        at = stage_phrase(case.stage)
        return f"the response date at {at} has not been extended: record the extension first"
    if stage.responded_at is not None:
        return f"the {stage_label(case.stage).lower()} response has already been given"
    return ""


def _not_accepted(case: Complaint) -> str:
    state = State(case.state)
    if state is State.NOT_ACCEPTED:
        return ""
    if state is State.RECEIVED:
        return "we have not decided yet whether to accept this complaint: record the decision at triage first"
    return f"this letter is for a complaint we did not accept, and this one was not refused ({_where(case)})"


def _informal_resolution(case: Complaint) -> str:
    state = State(case.state)
    if state is State.RESOLVED_INFORMALLY:
        return ""
    if state is State.RECEIVED:
        return "the complaint has not been resolved yet: record the informal resolution at triage first"
    return (
        "this letter confirms an informal resolution, and this complaint was not resolved informally "
        f"({_where(case)})"
    )


def _response(number: int) -> Rule:
    def rule(case: Complaint) -> str:
        if not _responses(_stage(case, number), ResponseKind.RESPONSE):
            return f"the stage {number} response has not been recorded yet: record it, then write the letter"
        if number == 2 and _final_response_of_appeal(case):
            return (
                "the appeal's final response has replaced the stage 2 response, so the Ombudsman date "
                "in this letter would be wrong: write the appeal decision letter instead"
            )
        return ""

    return rule


def _final_response_of_appeal(case: Complaint) -> bool:
    appeal = _stage(case, 3)
    return appeal is not None and appeal.responded_at is not None and case.final_response_at is not None


def _appeal(case: Complaint) -> Stage | str:
    """The appeal stage, or why there is none."""
    appeal = _stage(case, 3)
    return appeal if appeal is not None else "no appeal has been requested on this complaint"


def _appeal_invitation(case: Complaint) -> str:
    appeal = _appeal(case)
    if isinstance(appeal, str):
        return appeal
    if appeal.refused_at is not None:
        return "the appeal was refused, so there is no meeting: write the appeal refusal letter"
    if getattr(appeal, "hearing", None) is None:
        return "the appeal meeting has not been arranged yet: arrange it first"
    if _responses(appeal, ResponseKind.APPEAL_DECISION):
        return "the appeal meeting has been held and the panel has decided"
    return ""


def _appeal_refusal(case: Complaint) -> str:
    appeal = _appeal(case)
    if isinstance(appeal, str):
        return appeal
    if appeal.refused_at is None:
        return "the appeal has not been refused"
    return ""


def _appeal_decision(case: Complaint) -> str:
    appeal = _appeal(case)
    if isinstance(appeal, str):
        return appeal
    if not _responses(appeal, ResponseKind.APPEAL_DECISION):
        return "the panel's decision has not been recorded yet: record it first"
    if not _final_response_of_appeal(case):
        return (
            "the final response has not been recorded yet: record it first, so that the letter gives "
            "the right date from which the customer can go to the Ombudsman"
        )
    return ""


def _designated_person(case: Complaint) -> str:
    if designated_person(case) is None:
        return (
            "no designated person (an MP or councillor) is acting for the customer with their consent: "
            "add them, with the customer's consent, first"
        )
    return ""


#: The one table: for every kind, why it cannot be written now ("" when it can).
RULES: dict[LetterKind, Rule] = {
    K.ACKNOWLEDGEMENT: _acknowledgement,
    K.CONTACT_RECORD: _contact_record,
    K.EVIDENCE_REQUEST: _evidence_request,
    K.EXTENSION: _extension,
    K.NOT_ACCEPTED: _not_accepted,
    K.INFORMAL_RESOLUTION: _informal_resolution,
    K.STAGE1_RESPONSE: _response(1),
    K.STAGE2_RESPONSE: _response(2),
    K.APPEAL_INVITATION: _appeal_invitation,
    K.APPEAL_REFUSAL: _appeal_refusal,
    K.APPEAL_DECISION: _appeal_decision,
    K.DESIGNATED_PERSON: _designated_person,
}


def why_not(case: Complaint, kind: LetterKind) -> str:
    """Why ``kind`` cannot be written for ``case`` (loaded by ``load``) now, in plain words; "" if it can."""
    return RULES[LetterKind(kind)](case)


def available(case: Complaint) -> list[LetterKind]:
    """The kinds that can be written for ``case`` (loaded by ``load``) now, in the kinds' order."""
    return [kind for kind in LetterKind if not why_not(case, kind)]


def unavailable(case: Complaint) -> dict[LetterKind, str]:
    """The kinds that cannot be written now, each with why."""
    reasons = {kind: why_not(case, kind) for kind in LetterKind}
    return {kind: reason for kind, reason in reasons.items() if reason}


def require(case: Complaint, kind: LetterKind) -> None:
    """Refuse (InvalidInput on "kind") a kind that cannot be written for ``case`` now."""
    reason = why_not(case, kind)
    if reason:
        raise InvalidInput("kind", reason)
