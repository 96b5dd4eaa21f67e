"""Step pages: investigation."""

from __future__ import annotations

from putright.web.steps.framework import StepPage

PAGES: list[StepPage] = []
