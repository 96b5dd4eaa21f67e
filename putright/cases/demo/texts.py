"""Believable complaints, one or more per theme a landlord hears about, all made up.

Each ``Template`` is what a customer might say (summary, description, points,
what they want) and what an investigation might find and agree to put it
right. ``{weeks}`` and ``{room}`` are filled in per complaint so that repeats
of a template read a little differently.
"""

from __future__ import annotations

from putright.cases.demo.template import ROOMS, Template
from putright.cases.demo.texts_estates import ESTATES
from putright.cases.demo.texts_homes import HOMES
from putright.cases.demo.texts_triage import EXCLUDED, NEW_MATTERS

TEMPLATES: tuple[Template, ...] = (*HOMES, *ESTATES)

__all__ = ["EXCLUDED", "NEW_MATTERS", "ROOMS", "TEMPLATES", "Template"]
