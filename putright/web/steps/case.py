"""Step pages: case."""

from __future__ import annotations

from putright.web.steps.framework import StepPage

PAGES: list[StepPage] = []
