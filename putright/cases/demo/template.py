"""The shape of a made-up complaint: what the customer says, and what putting it right involves."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    theme: str
    category: str  # a reason to complain in the policy
    summary: str
    description: str
    points: tuple[str, ...]
    desired: str
    finding: str  # what the investigation found, quoted in the response
    actions: tuple[str, ...]  # what may be agreed to put things right
    resolution: str  # what front-line staff did to resolve it at once
    concern: tuple[str, str] | None = None  # (kind, description) where one may be flagged
    tenure: str = ""  # who typically complains about this, when it matters


#: Filled into ``{room}``; ``{weeks}`` is a number of weeks.
ROOMS = ("bedroom", "back bedroom", "bathroom", "kitchen", "living room", "landing")
