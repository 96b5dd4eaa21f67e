"""Every step page, and which page takes each step (for the case page's buttons)."""

from __future__ import annotations

from putright.procedure.states import Step
from putright.web.steps import appeal, case, conduct, investigation, points, triage
from putright.web.steps.framework import StepPage

ALL: list[StepPage] = [
    *triage.PAGES,
    *investigation.PAGES,
    *appeal.PAGES,
    *case.PAGES,
    *points.PAGES,
    *conduct.PAGES,
]
BY_STEP: dict[Step, StepPage] = {page.step: page for page in ALL}

# issue 12, points: the learning on each point.
from putright.web.steps import learning as learning_pages  # noqa: E402

ALL.extend(learning_pages.PAGES)
BY_STEP.update({page.step: page for page in learning_pages.PAGES})

# issue 13, tsm: correcting the stock type of the home a complaint is about.
from putright.web.steps import stock_type as stock_type_pages  # noqa: E402

ALL.extend(stock_type_pages.PAGES)
BY_STEP.update({page.step: page for page in stock_type_pages.PAGES})

# issue 15, retention: placing and lifting a legal hold.
from putright.web.steps import legal_hold as legal_hold_pages  # noqa: E402

ALL.extend(legal_hold_pages.PAGES)
BY_STEP.update({page.step: page for page in legal_hold_pages.PAGES})
