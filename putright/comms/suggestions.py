"""Which letters the procedure calls for at a case's current point.

The state says where the case stands (``procedure.states``); the letters
already sent at this stage go to the back of the list, so the first
suggestion is the one still owed.
"""

from __future__ import annotations

from putright.cases.models import Complaint, Representative, RepresentativeKind, Stage
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

_CLOSED_AT_STAGE = {1: [K.STAGE1_RESPONSE], 2: [K.STAGE2_RESPONSE], 3: [K.APPEAL_DECISION]}


def suggested_for(complaint: Complaint) -> list[LetterKind]:
    """The letters for ``complaint`` now, most likely first (three queries)."""
    state = State(complaint.state)
    kinds = list(_BY_STATE.get(state, []))
    if state is State.CLOSED:
        refused = Stage.objects.filter(complaint=complaint, number=3, refused_at__isnull=False).exists()
        kinds = [K.APPEAL_REFUSAL] if refused else list(_CLOSED_AT_STAGE.get(complaint.stage, []))
    if state not in (State.RECEIVED, State.WITHDRAWN, State.NOT_ACCEPTED) and _has_designated_person(
        complaint
    ):
        kinds.append(K.DESIGNATED_PERSON)
    sent = set(
        Letter.objects.filter(complaint=complaint, stage_number=complaint.stage).values_list(
            "kind", flat=True
        )
    )
    return sorted(kinds, key=lambda kind: kind.value in sent)


def _has_designated_person(complaint: Complaint) -> bool:
    return any(
        r.has_consent
        for r in Representative.objects.filter(
            customer_id=complaint.customer_id, kind=RepresentativeKind.DESIGNATED_PERSON
        )
    )
