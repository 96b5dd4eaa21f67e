"""Loads the demo: the group and its staff, customers, and complaints in every state.

Every complaint is logged and walked through its story by the real services,
each step dated in the past, so its deadlines, timeline, missed dates,
extensions and open actions are what the services themselves produce.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, Role
from putright.cases.demo import hooks, phrases
from putright.cases.demo.organisations import LANDLORDS, Staff, ensure_staff
from putright.cases.demo.people import designated_person, helper, new_customer
from putright.cases.demo.plans import OFFICE_OPENS, Plan, Timing, build, follow_up
from putright.cases.demo.runner import Cast, Walk
from putright.cases.demo.texts import Template
from putright.cases.models import Channel, Complaint, Customer, Representative
from putright.cases.policies import calendar_for, current_policy
from putright.cases.services.intake import log_complaint
from putright.procedure.policy import ExclusionReason, Policy

DEFAULT_PASSWORD = "putright-demo-2026"  # noqa: S105 - the demo's published password, printed on loading
WINDOW_DAYS = 300  # complaints are received over about the last ten months
MARGIN = dt.timedelta(minutes=5)  # the last step of a story is at least this far in the past
OFFICE_CHANNELS = {Channel.PHONE, Channel.IN_PERSON, Channel.LETTER, Channel.REPRESENTATIVE}

#: How often each story is told, per thousand complaints. Each ends in one state of the
#: procedure. The first fourteen end in the fourteen states, so loading that many shows
#: each state once; every story is told at least once before the rest are drawn by weight.
SCENARIOS: dict[str, int] = {
    "closed": 330,
    "stage1": 120,
    "stage1_responded": 80,
    "stage2": 40,
    "stage2_responded": 25,
    "appeal_requested": 12,
    "appeal_scheduled": 12,
    "appeal_decided": 8,
    "appeal_responded": 12,
    "received": 30,
    "resolved_informally": 90,
    "not_accepted:first_request_for_service": 20,
    "withdrawn": 40,
    "not_investigated": 3,  # conduct: the fourteenth state
    "not_accepted:out_of_time": 15,
    "not_accepted:neighbour_or_asb": 15,
    "not_accepted:unacceptable_behaviour": 5,
    "not_accepted:not_about_us": 10,
    "closed_stage2": 60,
    "closed_appeal": 15,
    "appeal_refused": 10,
    "not_accepted:legal_proceedings": 3,  # only under a policy with the exclusion (the Code's)
    "not_accepted:duplicate": 5,  # last: it needs complaints already logged
}
APPEAL_SCENARIOS = frozenset(
    {
        "appeal_requested",
        "appeal_scheduled",
        "appeal_decided",
        "appeal_responded",
        "closed_appeal",
        "appeal_refused",
    }
)
DESIGNATED = ("mp", "councillor")  # given, with consent, to the first complaints that reach stage 2
REACH_STAGE2 = {name for name in SCENARIOS if name.startswith(("stage2", "appeal", "closed_"))}


def scenarios_for(policy: Policy) -> dict[str, int]:
    """The stories the policy in force allows: no informal resolution, appeal or exclusion it lacks.

    The demo walks every step through the real services, so a story the policy refuses would
    roll the whole load back; under the Code's policy there is no "stage 0" and no appeal.
    """
    allowed = {}
    for name, weight in SCENARIOS.items():
        if name == "resolved_informally" and not policy.eligibility.informal_resolution:
            continue
        if name in APPEAL_SCENARIOS and policy.appeal is None:
            continue
        reason = name.removeprefix("not_accepted:")
        if reason != name and policy.eligibility.exclusion(ExclusionReason(reason)) is None:
            continue
        allowed[name] = weight
    return allowed


def load(*, complaints: int, seed: int, password: str) -> Staff:
    """Create the demo in one transaction: all of it, or nothing."""
    rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, not security
    scenarios = scenarios_for(current_policy().policy)
    with transaction.atomic():
        staff = ensure_staff(password)
        story = Storyteller(rng, staff, timezone.now(), complaints)
        required = list(scenarios)[:complaints]
        for number, scenario in enumerate(required, start=1):
            story.tell(scenario, still_required=len(required) - number)
        names, weights = list(scenarios), list(scenarios.values())
        while story.created < complaints:
            story.tell(rng.choices(names, weights)[0], still_required=0)
        for hook in hooks.AFTER_LOAD:
            hook(staff, story.now)
    return staff


class Storyteller:
    """Tells one story after another: a customer, a complaint, and its steps through the services."""

    def __init__(self, rng: random.Random, staff: Staff, now: dt.datetime, total: int) -> None:
        self.rng, self.staff, self.now, self.total = rng, staff, now, total
        self.latest = now - MARGIN
        self.created = 0
        self.logged: list[Complaint] = []
        self.customers: dict[str, list[Customer]] = {short: [] for short in LANDLORDS}
        self.designated = list(DESIGNATED)
        policy = self.policy = current_policy().policy
        self.timings = {s: Timing(calendar_for(policy, staff.organisations[s])) for s in LANDLORDS}
        self.homes = [staff.organisations[s].homes or 1 for s in LANDLORDS]

    def tell(self, scenario: str, *, still_required: int) -> None:
        months = self.policy.eligibility.time_limit_months
        child_ok = self.created + 2 + still_required <= self.total
        plan = build(scenario, self.rng, child_ok=child_ok, time_limit_months=months)
        if scenario == "not_accepted:duplicate":
            if self._duplicate(plan):
                return
            plan = build("not_accepted:first_request_for_service", self.rng)  # nothing to duplicate yet
        landlord = self.rng.choices(LANDLORDS, self.homes)[0]
        customer = self._customer(landlord, plan.template)
        channel = self._channel(plan)
        received, times = self._place(plan, self.timings[landlord], channel)
        representative = self._representative(plan, customer, received)
        if representative is not None:
            channel = Channel.REPRESENTATIVE
        complaint = self._log(
            plan, self.staff.organisations[landlord], customer, channel, received, representative
        )
        self._walk(complaint, plan, times, landlord, representative)

    # Who, how and when.

    def _cast(self, landlord: str) -> Cast:
        officers = self.staff.of(Role.RESOLUTION_OFFICER, landlord)
        return Cast(
            officer=self.rng.choice(officers),
            frontline=self.rng.choice(self.staff.of(Role.CUSTOMER_SERVICES, landlord)),
            senior=self.rng.choice(self.staff.of(Role.SENIOR_MANAGER)),
            colleagues=officers,
        )

    def _customer(self, landlord: str, template: Template | None) -> Customer:
        known = self.customers[landlord]
        tenure = template.tenure if template else ""
        if known and not tenure and self.rng.random() < 0.15:
            return self.rng.choice(known)  # some customers complain more than once
        customer = new_customer(
            self.rng, self.staff.organisations[landlord], sum(map(len, self.customers.values())) + 1, tenure
        )
        known.append(customer)
        return customer

    def _channel(self, plan: Plan) -> Channel:
        if plan.scenario == "resolved_informally":
            return self.rng.choices([Channel.PHONE, Channel.IN_PERSON, Channel.EMAIL], [60, 25, 15])[0]
        if plan.scenario == "not_accepted:unacceptable_behaviour":
            return Channel.PHONE
        channels = [Channel.WEB, Channel.EMAIL, Channel.PHONE, Channel.LETTER, Channel.IN_PERSON]
        return self.rng.choices([*channels, Channel.SOCIAL_MEDIA], [30, 25, 30, 7, 5, 3])[0]

    def _place(self, plan: Plan, timing: Timing, channel: Channel) -> tuple[dt.datetime, list[dt.datetime]]:
        """When the complaint arrived: its story ends ``slack`` days ago, and every step is past."""
        trial = self.now - dt.timedelta(days=400)
        times = timing.times(trial, plan.steps)
        span = math.ceil(((times[-1] if times else trial) - trial) / dt.timedelta(days=1))
        low, high = plan.slack or (0, max(0, WINDOW_DAYS - span))
        minute = self.rng.randrange(16 * 60)
        received = self._arrival(
            self.now - dt.timedelta(days=span + self.rng.randint(low, high)), channel, minute, timing
        )
        while True:
            times = timing.times(received, plan.steps)
            if received <= self.latest and (not times or times[-1] <= self.latest):
                return received, times
            received = self._arrival(received - dt.timedelta(days=1), channel, minute, timing)

    def _arrival(self, when: dt.datetime, channel: Channel, minute: int, timing: Timing) -> dt.datetime:
        """A believable time of arrival: office hours for calls and visits, any time online."""
        calendar = timing.calendar
        day = calendar.local(when).date()
        if channel in OFFICE_CHANNELS:
            while not calendar.is_working_day(day):
                day -= dt.timedelta(days=1)
            start = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=calendar.tz) + dt.timedelta(minutes=15)
            return start + dt.timedelta(minutes=minute % (7 * 60 + 45))
        return dt.datetime.combine(day, dt.time(7), tzinfo=calendar.tz) + dt.timedelta(minutes=minute)

    def _representative(self, plan: Plan, customer: Customer, received: dt.datetime) -> Representative | None:
        consent_at = received - dt.timedelta(days=self.rng.randint(1, 5))
        if self.designated and plan.scenario in REACH_STAGE2:
            kind = self.designated.pop(0)
            return designated_person(customer, consent_at, councillor=kind == "councillor")
        if plan.template is not None and self.rng.random() < 0.03:
            return helper(self.rng, customer, consent_at)
        return None

    # Logging and walking.

    def _log(
        self,
        plan: Plan,
        organisation: Organisation,
        customer: Customer,
        channel: Channel,
        received: dt.datetime,
        representative: Representative | None,
    ) -> Complaint:
        received_on = timezone.localtime(received).date()
        matter_date = None
        if plan.template is not None:
            summary, points = plan.template.summary, plan.template.points
            description = plan.template.description.format(**plan.fill)
            category, desired = plan.template.category, plan.template.desired
            if self.rng.random() < 0.5:
                matter_date = received_on - dt.timedelta(days=self.rng.randint(7, 90))
        else:
            assert plan.excluded is not None
            summary, description, _ = plan.excluded
            points, category, desired = (), "service_delivery", ""
        if plan.matter_days:
            matter_date = received_on - dt.timedelta(days=plan.matter_days)
        online = channel in (Channel.WEB, Channel.REPRESENTATIVE) or (
            channel == Channel.EMAIL and self.rng.random() < 0.5
        )
        logger = self._cast(customer.organisation.short_name).frontline
        return log_complaint(
            organisation=organisation,
            customer=customer,
            channel=channel,
            received_at=received,
            summary=summary,
            description=description,
            points=points,
            category=category,
            desired_outcome=desired,
            matter_date=matter_date,
            representative=representative,
            actor=None if online else logger,
            on_behalf_of=representative.name if representative else customer.full_name,
        )

    def _walk(
        self,
        complaint: Complaint,
        plan: Plan,
        times: list[dt.datetime],
        landlord: str,
        representative: Representative | None = None,
    ) -> None:
        cast = self._cast(landlord)
        timing = self.timings[landlord]
        walk = Walk(
            complaint, plan, staff=self.staff, cast=cast, timing=timing, rng=self.rng,
            representative=representative,
        )  # fmt: skip
        walk.run(times)
        self.created += 1
        self.logged.append(complaint)
        for child, template in walk.children:
            for full in (True, False):
                follow = follow_up(self.rng, template, full=full)
                times = timing.times(child.received_at, follow.steps)
                if times[-1] <= self.latest:
                    Walk(child, follow, staff=self.staff, cast=cast, timing=timing, rng=self.rng).run(times)
                    break
            self.created += 1
            self.logged.append(child)

    def _duplicate(self, plan: Plan) -> bool:
        """The same complaint again, from the same customer, while the first is dealt with."""
        cutoff = self.now - dt.timedelta(days=3)
        earlier = [c for c in self.logged if c.stage >= 1 and c.received_at <= cutoff]
        if not earlier:
            return False
        original = self.rng.choice(earlier)
        landlord = original.organisation.short_name
        received = min(
            original.received_at
            + dt.timedelta(days=self.rng.randint(2, 10), minutes=self.rng.randint(0, 300)),
            self.now - dt.timedelta(days=1),
        )
        plan.excluded = (
            f"Chasing my complaint: {original.summary}"[:200],
            (
                f"I complained about this on {timezone.localtime(original.received_at):%d %B} and want "
                f"to know what is happening.\n\n{original.description}"
            ),
            phrases.DUPLICATE_EXPLANATION.format(reference=original.reference),
        )
        plan.steps[0].args["duplicate_of"] = original.reference
        times = self.timings[landlord].times(received, plan.steps)
        while times[-1] > self.latest:  # "soon" after a Saturday email is Monday morning
            received -= dt.timedelta(days=1)
            times = self.timings[landlord].times(received, plan.steps)
        complaint = self._log(plan, original.organisation, original.customer, Channel.EMAIL, received, None)
        self._walk(complaint, plan, times, landlord)
        return True
