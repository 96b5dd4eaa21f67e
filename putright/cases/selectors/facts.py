"""The facts of a case that the state machine's guards need, read in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Model

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
    to read who handled stage 1 once it is answered and until the review is given).

    issue 16, overhead: a complaint loaded with its points, actions, stages and deadlines
    (``complaint_detail``, for the case page and the API's record) is read from those, with no
    query of its own but the learning and stage 1's handlers where the state needs them. The
    state machine's guard (``services.steps``) reads a complaint it has just locked, without
    them, so it always reads the database.
    """
    state = State(complaint.state)
    if all(_prefetched(complaint, name) for name in ("points", "actions", "stages", "deadlines")):
        parts = _parts_loaded(complaint, state)
    else:
        parts = _parts_read(complaint, state)
    point_ids, actions, stages, response, extensions, meeting_at, meeting_due = parts
    appeal = stages.get(3)
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


#: (point ids, (action id, completed at) pairs, stages by number, the current stage's response
#: deadline, its extensions, the appeal meeting's time and the deadline for arranging it)
_Parts = tuple[
    frozenset[int],
    list[tuple[int, Any]],
    dict[int, Stage],
    Deadline | None,
    int,
    Any,
    Any,
]


def _parts_read(complaint: Complaint, state: State) -> _Parts:
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
    return point_ids, actions, stages, response, extensions, meeting_at, meeting_due


def _parts_loaded(complaint: Complaint, state: State) -> _Parts:
    """The same facts from what is loaded already (a deadline's name is unique on its case)."""
    deadlines = {d.name: d for d in complaint.deadlines.all()}
    stages = {s.number: s for s in complaint.stages.all()}
    current = stages.get(complaint.stage)
    response = None
    extensions = 0
    if state in INVESTIGATING:
        response = deadlines.get(response_name(complaint.stage))
        if current is not None:
            loaded = _prefetched(current, "extensions")
            extensions = len(current.extensions.all()) if loaded else current.extensions.count()
    appeal = stages.get(3)
    meeting_at = meeting_due = None
    if appeal is not None:
        if Stage.hearing.is_cached(appeal):  # loaded with its stage (None when there is none)
            hearing = getattr(appeal, "hearing", None)
            meeting_at = hearing.meeting_at if hearing is not None else None
        else:
            meeting_at = (
                Stage.objects.filter(pk=appeal.pk).values_list("hearing__meeting_at", flat=True).first()
            )
        meeting = deadlines.get(APPEAL_MEETING)
        meeting_due = meeting.due_at if meeting is not None else None
    return (
        frozenset(p.pk for p in complaint.points.all()),
        [(a.pk, a.completed_at) for a in complaint.actions.all()],
        stages,
        response,
        extensions,
        meeting_at,
        meeting_due,
    )


def _prefetched(instance: Model, name: str) -> bool:
    return name in getattr(instance, "_prefetched_objects_cache", {})


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
