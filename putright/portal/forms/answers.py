"""The complaint form's saved answers: what the questions depend on, and what the services are given.

The answers are kept in the draft as plain JSON, page by page (``{"name":
{"first_name": "Ada", ...}}``). ``Context`` reads them for the questions (who
is asked what); ``submission`` turns the answers of every page asked into a
``Submission`` for ``drafts.submit``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from putright.accounts.models import Organisation
from putright.cases.errors import InvalidInput
from putright.portal.drafts import Acting, Submission
from putright.procedure.calendar import add_months
from putright.procedure.policy import Choice

Answers = dict[str, dict[str, Any]]

#: The answer to "Who is making the complaint?" of someone complaining for a tenant or leaseholder.
SOMEONE_ELSE = "someone_else"


@dataclass(frozen=True)
class Context:
    """What the questions depend on: the answers so far, the landlords, the policy's lists."""

    answers: Answers
    landlords: list[Organisation]
    reasons: tuple[Choice, ...]
    time_limit_months: int
    today: dt.date

    def answer(self, slug: str, name: str, default: Any = "") -> Any:
        return self.answers.get(slug, {}).get(name, default)

    @property
    def acting(self) -> bool:
        return bool(self.answer("who", "who") == SOMEONE_ELSE)

    @property
    def their_name(self) -> str:
        return f"{self.answer('for-someone', 'first_name')} {self.answer('for-someone', 'last_name')}".strip()

    def day(self, slug: str, name: str) -> dt.date | None:
        """A date answer (saved as ISO text), or None when not given."""
        saved = self.answer(slug, name)
        return dt.date.fromisoformat(saved) if saved else None

    @property
    def late(self) -> bool:
        """Whether the matter happened, or the customer found out about it, longer ago than the time limit."""
        known = [d for d in (self.day("when", "matter_date"), self.day("when", "became_aware_on")) if d]
        if not known:
            return False
        return add_months(max(known), self.time_limit_months) < self.today


def summary(context: Context) -> str:
    """One line for lists, headings and letters: the customer's own, asked beside what went wrong.

    A draft begun before the form asked for it has none: it falls back to the
    start of what went wrong, which staff can change at triage.
    """
    own = " ".join(str(context.answer("what-went-wrong", "summary")).split())
    if own:
        return own
    words = " ".join(context.answer("what-went-wrong", "description").split())
    return words if len(words) <= 100 else words[:99].rsplit(" ", 1)[0] + "…"


def submission(context: Context) -> Submission:
    """The answers of every page asked, as the services want them."""
    a = context.answer
    acting = context.acting
    person = "for-someone" if acting else "name"
    lines = [a("address", "line_1"), a("address", "line_2"), a("address", "town")]
    description = a("what-went-wrong", "description")
    if context.late:
        description += (
            f"\n\nWhy I am complaining now (more than {context.time_limit_months} months after it happened): "
            f"{a('why-now', 'reason')}"
        )
    return Submission(
        organisation=_organisation(context),
        tenure=a("for-someone", "tenure") if acting else a("who", "who"),
        first_name=a(person, "first_name"),
        last_name=a(person, "last_name"),
        address="\n".join(line for line in lines if line),
        postcode=a("address", "postcode"),
        email=a("contact", "email"),
        phone=a("contact", "phone"),
        preferred_contact=a("contact", "preferred"),
        preferred_contact_time=a("contact", "preferred_time"),
        category=a("about", "category"),
        summary=summary(context),
        description=description,
        desired_outcome=a("put-right", "desired_outcome"),
        matter_date=context.day("when", "matter_date"),
        became_aware_on=context.day("when", "became_aware_on"),
        adjustments=[(kind, a("help", f"detail_{kind}")) for kind in a("help", "kinds", [])],
        acting=Acting(
            name=f"{a('name', 'first_name')} {a('name', 'last_name')}",
            kind=a("for-someone", "kind"),
            role=a("for-someone", "role"),
        )
        if acting
        else None,
    )


def _organisation(context: Context) -> Organisation:
    if len(context.landlords) == 1:
        return context.landlords[0]
    chosen = context.answer("landlord", "organisation")
    found = next((o for o in context.landlords if o.pk == chosen), None)
    if found is None:
        raise InvalidInput("organisation", "Choose your landlord again: the one chosen is no longer listed")
    return found
