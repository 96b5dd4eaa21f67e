"""Requests: one per step, carrying what the step's guard needs to decide.

Only what the guards need is here; the case record keeps the rest (notes,
names, free text) itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from putright.procedure.learning import RemedyPurpose, RemedyStatus, RemedyType
from putright.procedure.policy import ExclusionReason, PanelRole
from putright.procedure.states import (
    ConcernKind,
    NewMatterRoute,
    Outcome,
    ResponseMethod,
    Step,
)


@dataclass(frozen=True)
class Request:
    step: ClassVar[Step]


@dataclass(frozen=True)
class Person:
    """A member of staff a step names: their id (to compare) and name (to say in a refusal)."""

    id: int
    name: str


@dataclass(frozen=True)
class Accept(Request):
    step: ClassVar[Step] = Step.ACCEPT
    reasoning: str  # why it meets the definition of a complaint: the triage note


@dataclass(frozen=True)
class ResolveInformally(Request):
    step: ClassVar[Step] = Step.RESOLVE_INFORMALLY
    resolution: str


@dataclass(frozen=True)
class NotAccept(Request):
    step: ClassVar[Step] = Step.NOT_ACCEPT
    reason: ExclusionReason
    explanation: str
    duplicate_of: int | None = None


@dataclass(frozen=True)
class RecordContact(Request):
    step: ClassVar[Step] = Step.RECORD_CONTACT


@dataclass(frozen=True)
class Acknowledge(Request):
    """issue 13, ack: the acknowledgement of a stage (the current one unless ``stage`` is given)."""

    step: ClassVar[Step] = Step.ACKNOWLEDGE
    stage: int | None = None  # an acknowledgement letter posted later is for the stage it was written at


@dataclass(frozen=True)
class RequestEvidence(Request):
    step: ClassVar[Step] = Step.REQUEST_EVIDENCE


@dataclass(frozen=True)
class AddEvidence(Request):
    step: ClassVar[Step] = Step.ADD_EVIDENCE


@dataclass(frozen=True)
class Extend(Request):
    step: ClassVar[Step] = Step.EXTEND
    new_due: dt.datetime
    reason: str
    good_reason: str = ""
    agreed_at: dt.datetime | None = None  # when the extension was agreed with the customer


@dataclass(frozen=True)
class Respond(Request):
    step: ClassVar[Step] = Step.RESPOND
    outcomes: Mapping[int, Outcome]
    method: ResponseMethod
    #: The reasons given for each point's outcome, by point; blank or absent when none was given.
    reasons: Mapping[int, str] = field(default_factory=dict)
    by: Person | None = None  # who records it: at stage 2, never someone who handled stage 1


@dataclass(frozen=True)
class AddAction(Request):
    step: ClassVar[Step] = Step.ADD_ACTION


@dataclass(frozen=True)
class CompleteAction(Request):
    step: ClassVar[Step] = Step.COMPLETE_ACTION
    action_id: int
    note: str  # what was done: the record the customer and the Ombudsman may ask for


@dataclass(frozen=True)
class Close(Request):
    step: ClassVar[Step] = Step.CLOSE


@dataclass(frozen=True)
class Escalate(Request):
    step: ClassVar[Step] = Step.ESCALATE
    grounds: frozenset[str]
    reviewer: Person | None = None  # who will review it: never someone who handled stage 1


@dataclass(frozen=True)
class RequestAppeal(Request):
    step: ClassVar[Step] = Step.REQUEST_APPEAL
    criteria: frozenset[str]
    explanation: str


@dataclass(frozen=True)
class RefuseAppeal(Request):
    step: ClassVar[Step] = Step.REFUSE_APPEAL
    reason: str
    criteria_met: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScheduleAppeal(Request):
    step: ClassVar[Step] = Step.SCHEDULE_APPEAL
    meeting_at: dt.datetime
    agreed_with_customer: bool
    panel: frozenset[PanelRole]
    companion_is_legal_representative: bool = False
    has_companion: bool = False
    late_reason: str = ""  # why the meeting is later than the policy's timescale


@dataclass(frozen=True)
class DecideAppeal(Request):
    step: ClassVar[Step] = Step.DECIDE_APPEAL
    outcomes: Mapping[int, Outcome]
    decided_at: dt.datetime
    #: The reasons given for each point's outcome, by point; blank or absent when none was given.
    reasons: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordFinalResponse(Request):
    step: ClassVar[Step] = Step.RECORD_FINAL_RESPONSE
    method: ResponseMethod


@dataclass(frozen=True)
class Withdraw(Request):
    step: ClassVar[Step] = Step.WITHDRAW


@dataclass(frozen=True)
class Reassign(Request):
    step: ClassVar[Step] = Step.REASSIGN
    owner: Person | None = None  # the new owner: at stage 2, never someone who handled stage 1


@dataclass(frozen=True)
class RaiseNewMatter(Request):
    step: ClassVar[Step] = Step.RAISE_NEW_MATTER
    route: NewMatterRoute
    signpost_to: str = ""


@dataclass(frozen=True)
class FlagConcern(Request):
    step: ClassVar[Step] = Step.FLAG_CONCERN
    kind: ConcernKind


@dataclass(frozen=True)
class ReferConcern(Request):
    step: ClassVar[Step] = Step.REFER_CONCERN


@dataclass(frozen=True)
class CloseConcern(Request):
    step: ClassVar[Step] = Step.CLOSE_CONCERN


@dataclass(frozen=True)
class RecordRestriction(Request):
    step: ClassVar[Step] = Step.RECORD_RESTRICTION
    review_on: dt.date
    today: dt.date


# points (issue 11): the points of an open complaint, before the stage 1 response


@dataclass(frozen=True)
class AddPoint(Request):
    step: ClassVar[Step] = Step.ADD_POINT
    wording: str


@dataclass(frozen=True)
class EditPoint(Request):
    step: ClassVar[Step] = Step.EDIT_POINT
    point_id: int
    wording: str


@dataclass(frozen=True)
class SplitPoint(Request):
    step: ClassVar[Step] = Step.SPLIT_POINT
    point_id: int
    first: str  # the words the point keeps
    second: str  # the words of the new point


@dataclass(frozen=True)
class EditSummary(Request):
    step: ClassVar[Step] = Step.EDIT_SUMMARY
    summary: str


# issue 13, tsm
@dataclass(frozen=True)
class CorrectStockType(Request):
    """The stock type of the home the complaint is about: "lcra", "lcho", or "" for none of ours."""

    step: ClassVar[Step] = Step.CORRECT_STOCK_TYPE
    stock_type: str


# issue 15, retention
@dataclass(frozen=True)
class PlaceLegalHold(Request):
    """Keep the case from the retention run (litigation, a regulator's inquiry), for a reason."""

    step: ClassVar[Step] = Step.PLACE_LEGAL_HOLD
    reason: str


@dataclass(frozen=True)
class LiftLegalHold(Request):
    """End the legal hold: the retention run may anonymise the case again when its time comes."""

    step: ClassVar[Step] = Step.LIFT_LEGAL_HOLD
    reason: str


# conduct: restrictions followed through, and the decision not to investigate


@dataclass(frozen=True)
class ReviewRestriction(Request):
    """A restriction looked at again: the conclusion, and the next review if it stays."""

    step: ClassVar[Step] = Step.REVIEW_RESTRICTION
    conclusion: str
    next_review_on: dt.date
    today: dt.date


@dataclass(frozen=True)
class RenewRestriction(Request):
    """A restriction extended beyond its review date, for a recorded reason."""

    step: ClassVar[Step] = Step.RENEW_RESTRICTION
    reason: str
    review_on: dt.date
    today: dt.date


@dataclass(frozen=True)
class EndRestriction(Request):
    step: ClassVar[Step] = Step.END_RESTRICTION
    reason: str


@dataclass(frozen=True)
class DeclineToInvestigate(Request):
    """Procedure section 8: "we reserve the right to not investigate the case and will seek legal advice"."""

    step: ClassVar[Step] = Step.DECLINE_TO_INVESTIGATE
    reason: str
    legal_advice: str
    advice_on: dt.date | None
    today: dt.date


# learning (issue 12)


@dataclass(frozen=True)
class RecordLearning(Request):
    """A point's theme, service area and root cause (the root cause only once it was upheld)."""

    step: ClassVar[Step] = Step.RECORD_LEARNING
    point_id: int
    theme_given: bool
    root_cause_given: bool
    point_upheld: bool  # its latest outcome is upheld or partly upheld
    point_number: int = 0


@dataclass(frozen=True)
class AddRemedy(Request):
    step: ClassVar[Step] = Step.ADD_REMEDY
    remedy_type: RemedyType
    description: str
    amount: Decimal | None = None
    purpose: RemedyPurpose | None = None


@dataclass(frozen=True)
class UpdateRemedy(Request):
    """A remedy accepted, declined or paid: ``current`` and ``since`` are read from its record."""

    step: ClassVar[Step] = Step.UPDATE_REMEDY
    current: RemedyStatus
    new: RemedyStatus
    financial: bool
    on: dt.date
    since: dt.date
    today: dt.date


@dataclass(frozen=True)
class LinkLearningAction(Request):
    step: ClassVar[Step] = Step.LINK_LEARNING_ACTION
