"""The case page's part in recording learning (issue 12): where to go when closing waits on it."""

from __future__ import annotations

from putright.procedure.learning import learning_owed
from putright.procedure.states import Step


def learning_fix(step: Step, refusal: str) -> tuple[str, str]:
    """A link to the points (where each point's learning is recorded) when closing, or refusing
    an appeal, waits on it; nothing otherwise."""
    if step in (Step.CLOSE, Step.REFUSE_APPEAL) and learning_owed(refusal):
        return "#points", "Record the learning on each point"
    return "", ""
