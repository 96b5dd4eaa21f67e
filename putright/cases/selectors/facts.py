"""The facts of a case that the state machine's guards need, read in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from putright.accounts.models import User
from putright.accounts.permissions import can_take
from putright.cases.models import Action, Complaint, Deadline, Extension, Point, Stage
from putright.cases.policies import rules_for
from putright.cases.selectors.handlers import stage1_handlers
from putright.cases.selectors.outcomes import UPHELD, latest_outcome
from putright.procedure import machine
from putright.procedure.deadlines import APPEAL_MEETING, response_name
from putright.procedure.guards import Facts
from putright.procedure.learning import PointLearning
from putright.procedure.states import APPEAL, INVESTIGATING, RESPONDED, State, Step

#: States in which a step may name the stage 2 reviewer (escalating) at stage 1.
_REVIEW_NEXT = frozenset({State.STAGE1_RESPONDED, State.CLOSED})
#: States from which a step closes the case (closing, refusing an appeal): its learning is read.
_MAY_CLOSE = RESPONDED | (APPEAL - {State.APPEAL_SCHEDULED, State.APPEAL_DECIDED})

#: Reads, in one query, each point's (has a theme, has a root cause) by point id. The learning
#: app, above cases, registers it (``register_learning_marks``); without it no point has either.
LearningMarks = Callable[[Complaint], Mapping[int, tuple[bool, bool]]]
_learning_marks: list[LearningMarks] = []


def register_learning_marks(reader: LearningMarks) -> None:
    """Called once from the learning app's ready(): how the guards learn of themes and root causes."""
    _learning_marks[:] = [reader]


def facts_of(complaint: Complaint) -> Facts:
    """A fixed number of queries whatever the size of the case (five, seven at the appeal; one more
    to read who handled stage 1 once it is answered and until the review is given)."""
    state = State(complaint.state)
    point_ids = frozenset(Point.objects.filter(complaint=complaint).values_list("pk", flat=True))
    actions = list(Action.objects.filter(complaint=complaint).values_list("pk", "completed_at"))
    stages = {s.number: s for s in Stage.objects.filter(complaint=complaint)}
    response = None
    extensions = 0
    if state in INVESTIGATING:
        response = Deadline.objects.filter(complaint=complaint, name=response_name(complaint.stage)).first()
        extensions = Extension.objects.filter(stage=stages.get(complaint.stage)).count()
    appeal = stages.get(3)
    meeting_at = meeting_due = None
    if appeal is not None:
        meeting_at = Stage.objects.filter(pk=appeal.pk).values_list("hearing__meeting_at", flat=True).first()
        meeting_due = (
            Deadline.objects.filter(complaint=complaint, name=APPEAL_MEETING)
            .values_list("due_at", flat=True)
            .first()
        )
    current = stages.get(complaint.stage)
    review = complaint.stage == 2 or (complaint.stage == 1 and state in _REVIEW_NEXT)
    matter = [d for d in (complaint.matter_date, complaint.became_aware_on) if d]
    return Facts(
        state=state,
        stage=complaint.stage,
        received_at=complaint.received_at,
        matter_date=max(matter) if matter else None,
        point_ids=point_ids,
        open_actions=sum(1 for _, done in actions if done is None),
        action_ids=frozenset(pk for pk, _ in actions),
        response_due=response.due_at if response else None,
        original_response_due=response.original_due_at if response else None,
        extensions=extensions,
        appeal_requested_at=appeal.opened_at if appeal else None,
        meeting_at=meeting_at,
        appeal_meeting_due=meeting_due,
        stage_opened_at=current.opened_at if current else None,
        stage_responded_at=current.responded_at if current else None,
        stage1_handlers=stage1_handlers(complaint) if review else {},
        learning=point_learning(complaint) if state in _MAY_CLOSE else (),
        legal_hold=complaint.legal_hold_since is not None,
        anonymised=complaint.anonymised_at is not None,
    )


def point_learning(complaint: Complaint) -> tuple[PointLearning, ...]:
    """Each point's theme and root cause, with whether its latest outcome upheld it (two queries)."""
    points = Point.objects.filter(complaint=complaint).annotate(latest=latest_outcome())
    marks = _learning_marks[0](complaint) if _learning_marks else {}
    return tuple(
        PointLearning(
            number=number,
            has_theme=marks.get(pk, (False, False))[0],
            upheld=outcome in UPHELD,
            has_root_cause=marks.get(pk, (False, False))[1],
        )
        for pk, number, outcome in points.values_list("pk", "number", "latest")
    )


def steps_offered(complaint: Complaint, user: User) -> list[tuple[Step, str | None]]:
    """The steps the case's state allows and the user's role may take, each with why the facts
    refuse it now (None when it can be taken): what the case page and the API offer."""
    offered = machine.offered_steps(facts_of(complaint), rules_for(complaint))
    return [(step, refusal) for step, refusal in offered if can_take(user, step, complaint.stage)]
