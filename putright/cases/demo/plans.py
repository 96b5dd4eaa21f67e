"""The story of each demo complaint, planned before anything is written.

A plan is the list of steps a complaint goes through, each dated in working
days from when its clock started (or "soon after the step before"), so a
response planned for day 8 is on time and one for day 14 is late, whatever
the calendar. The timing of every step is chosen here, up front, so the
loader can slide a whole story earlier until its last step is in the past and
then walk it through the real services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from putright.cases.demo import phrases
from putright.cases.demo.texts import EXCLUDED, ROOMS, TEMPLATES, Template
from putright.procedure.calendar import WorkingCalendar

OFFICE_OPENS = dt.time(8, 30)
LATEST = dt.time(16, 50)  # before the 17:00 cut-off, so a step starts its clock the same day
OFFICE_MINUTES = 8 * 60
OUTCOMES = ("upheld", "partially_upheld", "not_upheld")
REVIEW_ACTIONS = (
    "Pay a further £100 in recognition of the time it has taken to put things right",
    "Senior Manager to visit with the surveyor and agree the remaining work with the customer",
)
APPEAL_ACTIONS = ("Pay a further £150 as the panel decided", "Complete the outstanding works within 20 days")


@dataclass(frozen=True)
class When:
    day: int | None  # working days after the clock started; None: soon after the step before
    minute: int  # minutes after the office opens (or after the step before, when soon)


@dataclass(frozen=True)
class Step:
    kind: str
    when: When
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    scenario: str
    steps: list[Step]
    slack: tuple[int, int] | None  # calendar days from the last step to now; None: any time
    template: Template | None = None
    excluded: tuple[str, str, str] | None = None  # summary, description, explanation
    fill: dict[str, str] = field(default_factory=dict)  # {weeks}, {room}
    matter_days: int | None = None  # how long before receipt the matter happened, when it matters


class Timing:
    """Turns a plan's working days into instants on the landlord's calendar."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar

    def day0(self, received: dt.datetime) -> dt.date:
        return self.calendar.clock_start(received).date()

    def on(self, day0: dt.date, when: When) -> dt.datetime:
        day = self.calendar.working_day_after(day0, when.day or 0)
        opens = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=self.calendar.tz)
        return opens + dt.timedelta(minutes=when.minute)

    def soon_after(self, before: dt.datetime, minutes: int) -> dt.datetime:
        at = self.calendar.local(before) + dt.timedelta(minutes=20 + minutes)
        if self.calendar.is_working_day(at.date()) and OFFICE_OPENS <= at.time() <= LATEST:
            return at
        early = at.time() < OFFICE_OPENS and self.calendar.is_working_day(at.date())
        day = at.date() if early else self.calendar.next_working_day(at.date())
        return dt.datetime.combine(day, OFFICE_OPENS, tzinfo=self.calendar.tz) + dt.timedelta(
            minutes=minutes % 90
        )

    def times(self, received: dt.datetime, steps: list[Step]) -> list[dt.datetime]:
        day0, before, found = self.day0(received), received, []
        for step in steps:
            if step.when.day is None:
                at = self.soon_after(before, step.when.minute)
            else:
                at = self.on(day0, step.when)
            if at <= before:
                at = before + dt.timedelta(minutes=7)
            found.append(at)
            before = at
        return found


class Builder:
    """Writes a plan step by step, keeping the day reached and the actions still open."""

    def __init__(self, rng: random.Random, template: Template | None) -> None:
        self.rng = rng
        self.template = template
        self.steps: list[Step] = []
        self.day = 0
        self.actions = 0
        self.open_actions: list[int] = []
        self.concern = False

    def at(self, kind: str, day: int, **args: Any) -> None:
        self.day = max(self.day, day)
        self.steps.append(Step(kind, When(day, self.rng.randrange(OFFICE_MINUTES)), args))

    def later(self, kind: str, low: int, high: int, **args: Any) -> None:
        self.at(kind, self.day + self.rng.randint(low, high), **args)

    def soon(self, kind: str, **args: Any) -> None:
        self.steps.append(Step(kind, When(None, self.rng.randrange(120)), args))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def outcomes(self, must_act: bool) -> list[str]:
        assert self.template is not None
        found = [self.rng.choices(OUTCOMES, [35, 30, 35])[0] for _ in self.template.points]
        if must_act and all(o == "not_upheld" for o in found):
            found[0] = "partially_upheld"
        return found

    def agree(self, texts: tuple[str, ...], outcomes: list[str], most: int = 3) -> None:
        if all(o == "not_upheld" for o in outcomes):
            return
        for text in self.rng.sample(texts, self.rng.randint(1, min(most, len(texts)))):
            self.soon("add_action", text=text, due_in=self.rng.randint(7, 35))
            self.open_actions.append(self.actions)
            self.actions += 1

    def complete(self, keep_open: int = 0, within: int = 10) -> None:
        """Carry out the open actions but ``keep_open``, each within ``within`` working days of the last."""
        while len(self.open_actions) > keep_open:
            index = self.open_actions.pop(0)
            note = self.rng.choice(phrases.COMPLETION_NOTES)
            self.later("complete_action", 1, within, index=index, note=note)

    def close(self) -> None:
        self.later("close", 0, 2)


# The stages, as steps.


def investigate(b: Builder, *, child_ok: bool, late_contact: float = 0.12) -> None:
    assert b.template is not None
    b.soon("accept")
    if b.chance(late_contact):
        b.at("contact", b.rng.randint(2, 4), text=b.rng.choice(phrases.FIRST_CONTACT))
    else:
        b.soon("contact", text=b.rng.choice(phrases.FIRST_CONTACT))
    if b.template.concern and b.chance(0.6):
        b.soon("concern")
        b.concern = True
    if b.chance(0.3):
        b.later("evidence", 1, 2, text=b.rng.choice(phrases.EVIDENCE))
    if b.chance(0.3):
        b.later("contact", 1, 3, text=b.rng.choice(phrases.FOLLOW_UP))
    if b.chance(0.05):
        b.later("reassign", 1, 2, reason=b.rng.choice(phrases.REASSIGN_REASONS))
    if child_ok and b.chance(0.12):
        b.later("new_matter", 1, 2, route=b.rng.choice(["new_complaint", "signpost"]))


def extend(b: Builder, start: int, low: int, high: int, *, limit: int) -> int:
    """An extension within the policy's limit, sometimes a second with a good reason."""
    days = b.rng.randint(3, limit)
    b.at("extend", max(b.day + 1, start + b.rng.randint(low, high)), days=days)
    if b.chance(0.15):
        b.later("extend", 1, 3, days=b.rng.randint(3, 8), good=True)
        days += 8
    return days


def respond(b: Builder, start: int, allowed: int, extension: int, *, late: float, must_act: bool) -> None:
    """The response at a stage, on time or late, and the actions it agrees."""
    due = allowed + extension
    if b.chance(late):
        day = start + due + b.rng.randint(1, 5)
    else:
        day = start + b.rng.randint(min(due, max(3, b.day - start + 1)), due)
    outcomes = b.outcomes(must_act)
    b.at("respond", max(day, b.day + 1), outcomes=outcomes)
    step, before = b.steps[-1], b.actions
    assert b.template is not None
    b.agree(b.template.actions if start == 0 else REVIEW_ACTIONS, outcomes)
    step.args["actions"] = b.actions - before
    if b.concern and b.chance(0.5):
        b.later("close_concern", 0, 5)
        b.concern = False


def stage1(b: Builder, *, must_act: bool = False, child_ok: bool = False) -> None:
    investigate(b, child_ok=child_ok)
    extension = extend(b, 0, 6, 9, limit=10) if b.chance(0.18) else 0
    respond(b, 0, 10, extension, late=0.15, must_act=must_act)


def stage2(b: Builder, *, respond_too: bool = True, must_act: bool = False) -> int:
    closed_first = b.chance(0.6) or not b.open_actions
    if closed_first:
        b.complete()
        b.close()
    grounds = sorted(b.rng.sample("abcd", b.rng.randint(1, 2)))
    b.later("escalate", 3, 20, grounds=grounds)
    start = b.day
    if b.chance(0.15):
        b.at("contact", start + b.rng.randint(6, 9), text=b.rng.choice(phrases.REVIEW_CONTACT))
    else:
        b.at("contact", start + b.rng.randint(0, 4), text=b.rng.choice(phrases.REVIEW_CONTACT))
    if not closed_first:
        b.complete(within=4)  # stage 1's actions are carried out during the review
    if respond_too:
        extension = extend(b, start, 14, 18, limit=10) if b.chance(0.2) else 0
        respond(b, start, 20, extension, late=0.15, must_act=must_act)
    return start


def appeal(b: Builder, *, until: str) -> None:
    """The appeal, from the request up to the step named by ``until``."""
    closed_first = b.chance(0.5)
    if closed_first:
        b.complete()
        b.close()
    criteria = sorted(b.rng.sample("abc", b.rng.randint(1, 2)))
    b.later("request_appeal", 5, 25, criteria=criteria)
    start = b.day
    if until != "request":
        meeting = When(start + b.rng.randint(8, 19), b.rng.choice([90, 330]))
        b.later("schedule_appeal", 2, 6, meeting=meeting, companion=b.chance(0.4))
    if not closed_first:
        b.complete(within=3)  # the review's actions are carried out while the appeal is arranged
    if until in ("request", "schedule"):
        return
    assert meeting.day is not None
    late = b.chance(0.15)
    outcomes = b.outcomes(must_act=False)
    b.at(
        "decide_appeal",
        meeting.day + (b.rng.randint(6, 8) if late else b.rng.randint(1, 3)),
        outcomes=outcomes,
    )
    if until == "decide":
        return
    b.later("final_response", 0, 1)
    b.agree(APPEAL_ACTIONS, outcomes, most=1)


# The scenarios: each ends in one state of the procedure.


def build(scenario: str, rng: random.Random, *, child_ok: bool = False, time_limit_months: int = 6) -> Plan:
    template = None if scenario.startswith("not_accepted") else rng.choice(TEMPLATES)
    b = Builder(rng, template)
    fill = {"weeks": str(rng.randint(3, 12)), "room": rng.choice(ROOMS)}
    slack: tuple[int, int] | None = None
    plan = Plan(scenario, b.steps, None, template, fill=fill)
    if scenario.startswith("not_accepted"):
        reason = scenario.removeprefix("not_accepted:")
        plan.excluded = rng.choice(EXCLUDED.get(reason, EXCLUDED["first_request_for_service"]))
        if reason == "out_of_time":  # beyond the policy's time limit: 200 to 420 days for 6 months
            low = time_limit_months * 30 + 20
            plan.matter_days = rng.randint(low, low + 220)
        b.soon("not_accept", reason=reason)
        if reason == "unacceptable_behaviour":
            b.soon("restriction", review_in=rng.randint(14, 90))
    elif scenario == "received":
        slack = (0, 2)
    elif scenario == "resolved_informally":
        b.soon("resolve")
    elif scenario == "withdrawn":
        kind = rng.choices(["received", "stage1", "stage2"], [2, 6, 2])[0]
        if kind == "stage1":
            investigate(b, child_ok=False)
        elif kind == "stage2":
            stage1(b)
            stage2(b, respond_too=False)
        b.later("withdraw", 0 if kind == "received" else 1, 5, reason=rng.choice(phrases.WITHDRAWALS))
    elif scenario == "not_investigated":  # conduct
        investigate(b, child_ok=False)
        b.later("decline", 1, 4)
        b.soon("restriction", review_in=rng.randint(30, 90))
    elif scenario == "stage1":
        variant = rng.choices(["fresh", "investigating", "extended", "overdue"], [30, 35, 15, 20])[0]
        if variant == "fresh":
            b.soon("accept")
            if b.chance(0.7):
                b.soon("contact", text=rng.choice(phrases.FIRST_CONTACT))
        else:
            investigate(b, child_ok=child_ok and variant == "investigating", late_contact=0.2)
        if variant == "extended":
            extend(b, 0, 6, 9, limit=10)
        slack = {"fresh": (0, 3), "investigating": (0, 6), "extended": (0, 8), "overdue": (15, 30)}[variant]
    elif scenario == "stage1_responded":
        stage1(b, must_act=True, child_ok=child_ok)
        b.complete(keep_open=rng.randint(1, max(1, len(b.open_actions))))
        slack = (0, 15)
    elif scenario == "closed":
        stage1(b, child_ok=child_ok)
        b.complete()
        b.close()
    elif scenario.startswith("stage2") or scenario == "closed_stage2":
        stage1(b)
        if scenario == "stage2":
            start = stage2(b, respond_too=False)
            if b.chance(0.25):
                extend(b, start, 14, 18, limit=10)
            slack = (28, 40) if b.chance(0.2) else (0, 20)
        else:
            stage2(b, must_act=scenario == "stage2_responded")
            if scenario == "closed_stage2":
                b.complete()
                b.close()
            else:
                b.complete(keep_open=1 if b.chance(0.7) else 0)
                slack = (0, 20)
    else:  # the appeal: appeal_requested, appeal_scheduled, ..., closed_appeal, appeal_refused
        stage1(b)
        stage2(b)
        if scenario == "appeal_refused":
            b.complete()
            appeal(b, until="request")
            b.later("refuse_appeal", 3, 8, reason=rng.choice(phrases.APPEAL_REFUSALS))
        else:
            until = {
                "appeal_requested": "request",
                "appeal_scheduled": "schedule",
                "appeal_decided": "decide",
            }
            appeal(b, until=until.get(scenario, "final"))
            if scenario == "closed_appeal":
                b.complete()
                b.close()
            slack = {
                "appeal_requested": (0, 15),
                "appeal_scheduled": (0, 12),
                "appeal_decided": (0, 4),
                "appeal_responded": (0, 20),
            }.get(scenario)
    plan.slack = slack
    return plan


def follow_up(rng: random.Random, template: Template, *, full: bool) -> Plan:
    """A new complaint raised during another: handled at stage 1, and closed if there has been time."""
    b = Builder(rng, template)
    if full:
        stage1(b)
        b.complete()
        b.close()
    else:
        b.soon("accept")
        b.soon("contact", text=rng.choice(phrases.FIRST_CONTACT))
    return Plan("new_matter", b.steps, None, template)
