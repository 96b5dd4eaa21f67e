"""Who may send which letter: the one table, read by the chooser, the write page and the services.

A letter tells the customer of a step of the procedure: the complaint was
accepted, the response date was extended, the panel decided. Whoever may take
that step may write its letter, and nobody else: a customer services adviser
triages, so writes the acknowledgement, but does not write the panel's
decision, and a panel member, who records it, does.

Sending any letter also needs ``SEND_LETTERS`` (the roles that write to
customers at all; it also lets them mark a letter posted and try again an
email that failed). Every role that has it may send at least one kind (a test
keeps it so), so it is still the right gate for the case page's "Write a
letter" button.
"""

from __future__ import annotations

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can, step_capability
from putright.cases.errors import CaseError
from putright.comms.models import LetterKind
from putright.procedure.states import Step

K = LetterKind
C = Capability

#: The one table: the step each kind of letter reports, as the capability that step needs. An
#: extension is the response's to give (``step_capability``): at stage 1 a Resolution Officer's,
#: at stage 2 a Senior Manager's, so it names the step, read at the case's stage.
LETTER_RIGHTS: dict[LetterKind, Capability | Step] = {
    K.ACKNOWLEDGEMENT: C.TRIAGE,  # accepting the complaint (or its review, escalated by the front line)
    K.CONTACT_RECORD: C.RECORD_CONTACT,
    K.EVIDENCE_REQUEST: C.INVESTIGATE,
    K.EXTENSION: Step.EXTEND,
    K.NOT_ACCEPTED: C.TRIAGE,
    K.INFORMAL_RESOLUTION: C.TRIAGE,
    K.STAGE1_RESPONSE: C.RESPOND_STAGE1,
    K.STAGE2_RESPONSE: C.RESPOND_STAGE2,
    K.APPEAL_INVITATION: C.ARRANGE_APPEAL,  # arranging the meeting
    K.APPEAL_REFUSAL: C.MANAGE_APPEAL,
    K.APPEAL_DECISION: C.DECIDE_APPEAL,  # the panel's decision and the final response
    K.DESIGNATED_PERSON: C.MANAGE_CUSTOMERS,  # who records a representative and their consent
    # conduct
    K.RESTRICTION: C.RECORD_RESTRICTION,
    K.NOT_INVESTIGATED: C.DECLINE_TO_INVESTIGATE,
}

#: Who may, in words for a refusal: "only someone who can ... sends this letter".
_WHO = {
    C.TRIAGE: "triage complaints",
    C.RECORD_CONTACT: "record contact with the customer",
    C.INVESTIGATE: "investigate complaints",
    C.RESPOND_STAGE1: "give stage 1 responses (a Resolution Officer or a Senior Manager)",
    C.RESPOND_STAGE2: "give stage 2 responses (a Senior Manager)",
    C.MANAGE_APPEAL: "arrange or refuse appeals (a Senior Manager)",
    C.ARRANGE_APPEAL: "arrange the appeal meeting (a Senior Manager or a panel member)",
    C.DECIDE_APPEAL: "record the appeal panel's decision (a panel member)",
    C.MANAGE_CUSTOMERS: "manage customers and their representatives",
    C.RECORD_RESTRICTION: "restrict a customer's contact (a Senior Manager)",
    C.DECLINE_TO_INVESTIGATE: "decide not to investigate a complaint (a Senior Manager)",
}


class NotYourLetter(CaseError):
    """The actor's role does not write this kind of letter; nothing was changed."""

    def __init__(self, kind: LetterKind, capability: Capability) -> None:
        self.kind, self.capability = LetterKind(kind), capability
        super().__init__(why_not_yours(self.kind, capability))


def needed(kind: LetterKind, stage: int) -> Capability:
    """The capability needed to send ``kind`` on a case at ``stage``."""
    right = LETTER_RIGHTS[LetterKind(kind)]
    return step_capability(right, stage) if isinstance(right, Step) else right


def may_send(user: User, kind: LetterKind, stage: int) -> bool:
    return can(user, Capability.SEND_LETTERS) and can(user, needed(kind, stage))


def sendable(user: User, stage: int) -> list[LetterKind]:
    """The kinds ``user`` may send on a case at ``stage``, in the kinds' order."""
    return [kind for kind in LetterKind if may_send(user, kind, stage)]


def why_not_yours(kind: LetterKind, capability: Capability) -> str:
    who = _WHO.get(capability, "take the step it reports")
    letter = LetterKind(kind).label.lower()
    return f"your role does not send the {letter} letter: only someone who can {who} does"


def require(user: User, kind: LetterKind, stage: int) -> None:
    """Refuse (NotYourLetter) a kind ``user`` may not send on a case at ``stage``."""
    if not may_send(user, kind, stage):
        raise NotYourLetter(kind, needed(kind, stage))
