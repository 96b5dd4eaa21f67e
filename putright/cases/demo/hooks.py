"""Where apps above cases add to the demo: the demo is made here, its learning is not.

The learning app (``putright.learning.demo``) records themes, root causes and
remedies as each complaint is walked, and adds lessons and "You said, we did"
once every complaint is in. It registers its functions from its ready(), so
cases never imports it. A hook must not draw from the walk's random numbers
(``walk.rng``): the stories the demo tells stay the same with or without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

#: Called after each step of a complaint's walk: (the walk, the step's kind, when it happened).
AFTER_STEP: list[Callable[[Any, str, dt.datetime], None]] = []
#: Called once every complaint is in: (the demo's staff, now).
AFTER_LOAD: list[Callable[[Any, dt.datetime], None]] = []


def after_step(hook: Callable[[Any, str, dt.datetime], None]) -> None:
    if hook not in AFTER_STEP:
        AFTER_STEP.append(hook)


def after_load(hook: Callable[[Any, dt.datetime], None]) -> None:
    if hook not in AFTER_LOAD:
        AFTER_LOAD.append(hook)
