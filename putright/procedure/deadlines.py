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

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Anchor, Policy, Stage

APPEAL_MEETING = "appeal.meeting"
APPEAL_DECISION = "appeal.decision"
OMBUDSMAN_DIRECT = "ombudsman.direct"


def contact_name(stage_number: int) -> str:
    return f"stage{stage_number}.contact"


def response_name(stage_number: int) -> str:
    return f"stage{stage_number}.response"


@dataclass(frozen=True)
class Deadline:
    name: str
    due_at: dt.datetime
    rule: str

    def due_date(self, calendar: WorkingCalendar) -> dt.date:
        return calendar.local(self.due_at).date()


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
                f"stage{number}.extended_response",
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
