"""Step pages: triage."""

from __future__ import annotations

from putright.web.steps.framework import StepPage

PAGES: list[StepPage] = []
