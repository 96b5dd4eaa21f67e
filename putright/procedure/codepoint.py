"""One point of the Complaint Handling Code, judged against a policy.

Its own module so that the checks of the policy's numbers (``code``) and of its
words and settings (``code_reading``) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CODE_NAME = "Housing Ombudsman Complaint Handling Code (2024)"


class Verdict(StrEnum):
    STRICTER = "stricter"
    MEETS = "meets"
    WEAKER = "weaker"
    #: A point no policy file can show (staff, reports, learning): someone must look.
    CHECK_BY_HAND = "check_by_hand"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class CodePoint:
    key: str
    title: str
    paragraph: str
    code: str
    policy: str
    verdict: Verdict
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        """The point as plain data: the one shape of ``policy check --json`` and ``GET /policy``."""
        return {
            "key": self.key,
            "title": self.title,
            "paragraph": self.paragraph,
            "code": self.code,
            "policy": self.policy,
            "verdict": self.verdict.value,
            "note": self.note,
        }
