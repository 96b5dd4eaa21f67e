"""The deadlines a policy sets, worked out on a working calendar.

Names are stable identifiers shared by the case record, the API, the reminder
sweep and the ``putright deadlines`` command: ``stage1.contact``,
``stage1.response``, ``stage1.extended_response``, ``stage2.contact``,
``stage2.response``, ``stage2.extended_response``, ``appeal.meeting``,
``appeal.decision`` and ``ombudsman.direct``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Anchor, Policy, Stage

APPEAL_MEETING = "appeal.meeting"
APPEAL_DECISION = "appeal.decision"
OMBUDSMAN_DIRECT = "ombudsman.direct"


def contact_name(stage_number: int) -> str:
    return f"stage{stage_number}.contact"


def response_name(stage_number: int) -> str:
    return f"stage{stage_number}.response"


def extended_response_name(stage_number: int) -> str:
    return f"stage{stage_number}.extended_response"


#: Each deadline as a caseworker says it: the one wording of pages, lists and exports.
_LABELS = {
    **{contact_name(n): f"Stage {n} first contact" for n in (1, 2)},
    **{response_name(n): f"Stage {n} response" for n in (1, 2)},
    **{extended_response_name(n): f"Stage {n} response (extended)" for n in (1, 2)},
    APPEAL_MEETING: "Appeal meeting",
    APPEAL_DECISION: "Appeal decision",
    OMBUDSMAN_DIRECT: "Customer may go to the Housing Ombudsman directly",
}


def deadline_label(name: str | None) -> str:
    """A deadline's stable name in words ("stage1.contact" is "Stage 1 first contact"); "" for none.

    A name this table does not know (a later policy's) is still shown, as words.
    """
    if not name:
        return ""
    return _LABELS.get(name) or name.replace(".", " ").replace("_", " ").capitalize()


@dataclass(frozen=True)
class Deadline:
    name: str
    due_at: dt.datetime
    rule: str

    def due_date(self, calendar: WorkingCalendar) -> dt.date:
        return calendar.local(self.due_at).date()


#: How far ahead "due soon" looks, in working days.
SOON_WORKING_DAYS = 2


class Due(StrEnum):
    """When an open deadline falls, as the work lists group it and the case page colours it."""

    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"

    @property
    def label(self) -> str:
        return _DUE_LABELS[self]


_DUE_LABELS = {
    Due.OVERDUE: "Overdue",
    Due.TODAY: "Due today",
    Due.SOON: f"Due in the next {SOON_WORKING_DAYS} working days",
    Due.LATER: "Later",
}


@dataclass(frozen=True)
class Timing:
    """An open deadline seen from ``now``: when it falls, and by how many working days.

    ``working_days`` is how many are left (0 when due today), or for an overdue
    deadline how many have passed since the day it was due (0 when due earlier today).
    """

    due: Due
    working_days: int


def timing(due_at: dt.datetime, calendar: WorkingCalendar, now: dt.datetime) -> Timing:
    """The one definition of overdue, due today, due soon and working days left.

    Counted on the case's own calendar (the policy it was opened under, its
    organisation's nation), so that "My work", the team's view, the list and the
    case page agree. Due soon: at most ``SOON_WORKING_DAYS`` working days left.
    """
    today = calendar.local(now).date()
    due_day = calendar.local(due_at).date()
    if due_at < now:
        return Timing(Due.OVERDUE, calendar.working_days_between(due_day, today))
    if due_day == today:
        return Timing(Due.TODAY, 0)
    left = calendar.working_days_between(today, due_day)
    return Timing(Due.SOON if left <= SOON_WORKING_DAYS else Due.LATER, left)


def soon_until(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """The instant before which a deadline not yet overdue is due today or soon.

    The start of the first working day after "soon": a query's filter that
    matches ``timing`` exactly, for counting in the database.
    """
    today = calendar.local(now).date()
    return calendar.start_of_day(calendar.working_day_after(today, SOON_WORKING_DAYS + 1))


def stage_clocks(
    calendar: WorkingCalendar, stage: Stage, start: dt.datetime, *, contact_at: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The contact and response deadlines of a stage whose clocks start at ``start``.

    A response counted from contact runs from ``contact_at`` when it is known;
    until then, provisionally, from the contact deadline: the latest the
    contact may come. The case record and the calculator both use this.
    """
    contact_due = calendar.due(start, stage.contact)
    from_contact = stage.response.anchor is Anchor.CONTACT
    response_from = (contact_at or contact_due) if from_contact else start
    return contact_due, calendar.due(response_from, stage.response)


def extension_limit(calendar: WorkingCalendar, stage: Stage, response: dt.datetime) -> dt.datetime:
    """The latest date an extension may set without a recorded good reason."""
    return calendar.extend(response, stage.extension.amount)


def ombudsman_direct(calendar: WorkingCalendar, policy: Policy, final: dt.datetime) -> dt.datetime:
    """From when the customer may go to the Ombudsman directly after a final response."""
    return calendar.add_weeks(final, policy.ombudsman.wait.amount)


def policy_deadlines(policy: Policy, calendar: WorkingCalendar, start: dt.datetime) -> list[Deadline]:
    """Every deadline of ``policy`` as if each of its clocks started at ``start``."""
    found: list[Deadline] = []
    for number in (1, 2):
        stage = policy.stage(number)
        # As if each clock started at START: a response counted from contact, from START too.
        contact, response = stage_clocks(calendar, stage, start, contact_at=start)
        extended = extension_limit(calendar, stage, response)
        found += [
            Deadline(contact_name(number), contact, stage.contact.describe()),
            Deadline(response_name(number), response, stage.response.describe()),
            Deadline(
                extended_response_name(number),
                extended,
                f"{stage.response.describe()}, extended by {stage.extension.describe()}",
            ),
        ]
    if policy.appeal:
        appeal = policy.appeal
        found += [
            Deadline(APPEAL_MEETING, calendar.due(start, appeal.meeting), appeal.meeting.describe()),
            Deadline(APPEAL_DECISION, calendar.due(start, appeal.decision), appeal.decision.describe()),
        ]
    found.append(
        Deadline(
            OMBUDSMAN_DIRECT,
            ombudsman_direct(calendar, policy, start),
            f"{policy.ombudsman.wait.describe()} from final response",
        )
    )
    return found


def listing(policy: Policy, calendar: WorkingCalendar, start: dt.datetime) -> list[dict[str, str]]:
    """The deadlines as the command and the API show them: name, due_at, due_date, rule."""
    return [
        {
            "name": d.name,
            "due_at": calendar.local(d.due_at).isoformat(),
            "due_date": d.due_date(calendar).isoformat(),
            "rule": d.rule,
        }
        for d in policy_deadlines(policy, calendar, start)
    ]


def parse_start(text: str, calendar: WorkingCalendar) -> dt.datetime:
    """An ISO 8601 date-time; without an offset it is the calendar's local (London) time."""
    try:
        start = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"START must be an ISO 8601 date-time such as 2026-12-23T16:30 or "
            f"2026-12-23T16:30:00+00:00, not {text!r}"
        ) from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=calendar.tz)
    return calendar.local(start)
