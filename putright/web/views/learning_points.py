"""The case page's part in recording learning (issue 12): where to go when closing waits on it."""

from __future__ import annotations

from putright.procedure.states import Step

#: The words every refusal for missing learning shares (``procedure.learning.closure_refusal``).
_LEARNING_OWED = "when every point has a theme and every upheld or partly upheld point a root cause"


def learning_fix(step: Step, refusal: str) -> tuple[str, str]:
    """A link to the points (where each point's learning is recorded) when closing, or refusing
    an appeal, waits on it; nothing otherwise."""
    if step in (Step.CLOSE, Step.REFUSE_APPEAL) and _LEARNING_OWED in refusal:
        return "#points", "Record the learning on each point"
    return "", ""
