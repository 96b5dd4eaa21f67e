"""What a subject access export withholds, and the list of what it withheld (issue 15, sar).

UK GDPR gives the customer their own data; the Data Protection Act 2018 (schedule 2, part 3)
lets the landlord withhold what would identify someone else unless it is reasonable to
disclose it. Two kinds of third party appear in a complaint record:

- staff: names of those at or above a set grade (``PUTRIGHT_SAR_NAMED_ROLES``: senior
  managers, managers and administrators by default) are disclosed, since they answer for
  decisions; anyone else appears as their job title or role;
- other customers (a neighbour named in a note, a mistaken email): their names, email
  addresses and phone numbers are replaced.

Each replacement is ``[redacted: reason]`` and is counted, by where it was and why, so the
export lists every redaction (never the words removed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from putright.accounts.models import Role, User
from putright.cases.models import Customer

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d ()-]{8,}\d")


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def staff_title(user: User) -> str:
    """ "Resolution Officer": what a member of staff below the grade is shown as."""
    if user.job_title:
        return user.job_title
    return Role(user.role).label if user.role in Role.values else "Staff"


@dataclass(frozen=True)
class Redaction:
    where: str
    reason: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"where": self.where, "reason": self.reason, "count": self.count}


class Redactor:
    """Replaces third parties' details in text and remembers each replacement."""

    def __init__(self, staff: Iterable[User], others: Iterable[Customer], subject: Customer) -> None:
        named = set(settings.PUTRIGHT_SAR_NAMED_ROLES)
        self.staff = {user.pk: user for user in staff}
        self.named = {pk for pk, user in self.staff.items() if user.role in named}
        self._names: dict[str, str] = {}  # lower-case words -> replacement
        self._emails: dict[str, str] = {}
        self._phones: dict[str, str] = {}
        for user in self.staff.values():
            if user.pk in self.named:
                continue
            reason = f"staff name, {staff_title(user)}"
            full = user.get_full_name().strip()
            self._names.setdefault((full or user.username).lower(), reason)
            if user.email:
                self._emails.setdefault(user.email.lower(), "staff email address")
        subject_phones = {digits(p) for p in (subject.phone,) if p}
        for other in others:
            if other.pk == subject.pk:
                continue
            full = f"{other.first_name} {other.last_name}".strip()
            if full and " " in full:
                self._names.setdefault(full.lower(), "another customer's name")
            if other.email and other.email.lower() != subject.email.lower():
                self._emails.setdefault(other.email.lower(), "another customer's email address")
            if other.phone and digits(other.phone) not in subject_phones and len(digits(other.phone)) >= 9:
                self._phones.setdefault(digits(other.phone), "another customer's phone number")
        words = sorted(self._names, key=len, reverse=True)
        self._name_pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
            if words
            else None
        )
        self._counts: Counter[tuple[str, str]] = Counter()

    def person(self, user_id: int | None) -> str | None:
        """How a member of staff named in a record's field appears: name or title."""
        if user_id is None:
            return None
        user = self.staff.get(user_id)
        if user is None:
            return "Staff"
        if user_id in self.named:
            return user.get_full_name() or user.username
        return staff_title(user)

    def person_field(self, user_id: int | None, where: str) -> str | None:
        shown = self.person(user_id)
        if user_id is not None and user_id not in self.named:
            self._counts[(where, f"staff name, {shown}")] += 1
        return shown

    def clean(self, text: str, where: str) -> str:
        """The text with third parties' details replaced, each replacement counted."""
        if not text:
            return text
        text = EMAIL.sub(
            lambda m: self._replace(m.group(0), self._emails.get(m.group(0).lower()), where), text
        )
        text = PHONE.sub(
            lambda m: self._replace(m.group(0), self._phones.get(digits(m.group(0))), where), text
        )
        if self._name_pattern is not None:
            text = self._name_pattern.sub(
                lambda m: self._replace(m.group(0), self._names.get(m.group(0).lower()), where), text
            )
        return text

    def clean_json(self, value: Any, where: str) -> Any:
        if isinstance(value, str):
            return self.clean(value, where)
        if isinstance(value, list):
            return [self.clean_json(item, where) for item in value]
        if isinstance(value, dict):
            return {key: self.clean_json(item, where) for key, item in value.items()}
        return value

    def _replace(self, found: str, reason: str | None, where: str) -> str:
        if reason is None:
            return found
        self._counts[(where, reason)] += 1
        return f"[redacted: {reason}]"

    def redactions(self) -> list[Redaction]:
        return [Redaction(where, reason, count) for (where, reason), count in self._counts.items()]
