"""Which letters the procedure calls for at a case's current point.

The state says where the case stands (``procedure.states``); only the kinds
that can be written now (``availability``, the one table of when each kind
can be written) are suggested; the letters already sent at this stage go to
the back of the list, so the first suggestion is the one still owed.
"""

from __future__ import annotations

from putright.cases.models import Complaint
from putright.comms.letters.availability import why_not
from putright.comms.models import Letter, LetterKind
from putright.procedure.states import State

K = LetterKind

_INVESTIGATING = [K.ACKNOWLEDGEMENT, K.CONTACT_RECORD, K.EVIDENCE_REQUEST, K.EXTENSION]

_BY_STATE: dict[State, list[LetterKind]] = {
    State.RECEIVED: [],
    State.STAGE1: _INVESTIGATING,
    State.STAGE1_RESPONDED: [K.STAGE1_RESPONSE],
    State.STAGE2: _INVESTIGATING,
    State.STAGE2_RESPONDED: [K.STAGE2_RESPONSE],
    State.APPEAL_REQUESTED: [K.EVIDENCE_REQUEST, K.APPEAL_REFUSAL],
    State.APPEAL_SCHEDULED: [K.APPEAL_INVITATION],
    # The decision letter waits for the final response to be recorded: only then
    # is the date from which the customer may go to the Ombudsman known.
    State.APPEAL_DECIDED: [],
    State.APPEAL_RESPONDED: [K.APPEAL_DECISION],
    State.RESOLVED_INFORMALLY: [K.INFORMAL_RESOLUTION],
    State.NOT_ACCEPTED: [K.NOT_ACCEPTED],
    State.WITHDRAWN: [],
}

#: A closed case is owed the letter of the stage it closed at (or of the appeal's refusal).
_CLOSED = [K.STAGE1_RESPONSE, K.STAGE2_RESPONSE, K.APPEAL_REFUSAL, K.APPEAL_DECISION]


def suggested_for(case: Complaint) -> list[LetterKind]:
    """The letters for ``case`` (loaded by ``letter_context.load``) now, most likely first (one query)."""
    state = State(case.state)
    kinds = [kind for kind in _BY_STATE.get(state, []) if not why_not(case, kind)]
    if state is State.CLOSED:
        # Only the latest that can be written: the letter of the stage the case closed at.
        kinds = [kind for kind in _CLOSED if not why_not(case, kind)][-1:]
    if state not in (State.RECEIVED, State.WITHDRAWN, State.NOT_ACCEPTED) and not why_not(
        case, K.DESIGNATED_PERSON
    ):
        kinds.append(K.DESIGNATED_PERSON)
    sent = set(Letter.objects.filter(complaint=case, stage_number=case.stage).values_list("kind", flat=True))
    return sorted(kinds, key=lambda kind: kind.value in sent)
