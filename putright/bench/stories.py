"""One generated complaint: its story drawn up front, dated on the working calendar, cut at now.

The demo walks each complaint through the services (right for a demo, 38 ms a complaint);
here the same kind of story (the demo's texts, themes, outcomes and remedies) is decided
with one random generator and written as rows of the tables it would have produced. A
story is dated in working days from when its clock started; the first step that would
come after now is where the complaint stands, so recent complaints are still open,
some overdue, and older ones are closed, escalated, appealed, withdrawn or not accepted.
The same seed, day and starting ids give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from putright.bench.world import Landlord, World
from putright.cases.bulk import Table
from putright.cases.demo import phrases
from putright.cases.demo.people import LAST_NAMES, MEN, PLACES, POSTCODE_LETTERS, STREETS, WOMEN
from putright.cases.demo.plans import APPEAL_ACTIONS, REVIEW_ACTIONS
from putright.cases.demo.texts import EXCLUDED, ROOMS, TEMPLATES, Template
from putright.cases.models import (
    AcknowledgedVia,
    Action,
    AppealHearing,
    Complaint,
    Contact,
    Customer,
    Deadline,
    EventKind,
    Extension,
    Point,
    PointOutcome,
    Response,
    Stage,
    TimelineEvent,
)
from putright.cases.models.people import STOCK_TYPE_OF_TENURE
from putright.cases.references import ALPHABET, LENGTH, PREFIX
from putright.learning.demo import LIKELY_CAUSES, SECOND_THEMES, THEME_OF_TEMPLATE
from putright.learning.models import LearningAction, LearningActionLink, PointLearning, Remedy
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import APPEAL, State

#: Every table the generator writes, in an order their foreign keys allow.
MODELS: tuple[Any, ...] = (
    Customer,
    Complaint,
    Point,
    PointLearning,
    Stage,
    AppealHearing,
    Deadline,
    Extension,
    Response,
    PointOutcome,
    Contact,
    Action,
    Remedy,
    TimelineEvent,
    LearningAction,
    LearningAction.themes.through,
    LearningActionLink,
)

CHANNELS = ("web", "email", "phone", "letter", "in_person", "social_media", "representative")
CHANNEL_WEIGHTS = (34, 22, 30, 5, 4, 3, 2)
TENURES = ("tenant", "leaseholder", "shared_owner", "applicant")
TENURE_WEIGHTS = (84, 7, 6, 3)
OUTCOMES = ("upheld", "partially_upheld", "not_upheld")
OUTCOME_WEIGHTS = (35, 28, 37)
EXCLUSIONS = tuple(r.value for r in ExclusionReason)
EXCLUSION_WEIGHTS = (10, 40, 25, 3, 12, 8, 2)
ACK_DAYS = (0, 1, 2, 3, 4, 6, 8)
ACK_DAY_WEIGHTS = (22, 30, 20, 11, 7, 6, 4)
ACK_VIA = (AcknowledgedVia.LETTER.value, AcknowledgedVia.CONTACT.value, AcknowledgedVia.RECORDED.value)
ACK_VIA_WEIGHTS = (55, 35, 10)
REMEDY_AMOUNTS = (25, 40, 50, 75, 100, 150, 250, 400)
REMEDY_PURPOSES = ("time_and_trouble", "distress_and_inconvenience", "loss_of_amenity", "costs")
OFFICE_OPENS = 8 * 60 + 30
OFFICE_MINUTES = 8 * 60
#: Of accepted complaints: withdrawn at stage 1, escalated to stage 2, appealed (of those escalated).
WITHDRAWN, ESCALATED, APPEALED = 0.03, 0.15, 0.13
#: Of all complaints at triage: not accepted, resolved informally, not investigated.
NOT_ACCEPTED, INFORMAL, NOT_INVESTIGATED = 0.08, 0.07, 0.003
#: What the first complaints of a run are made to show, so that even a few hundred have each.
OVERDUE = "overdue"
SHOWCASE: tuple[str, ...] = (*(state.value for state in State), OVERDUE)
TARGET_ATTEMPTS = 5_000
LATER_STAGES = frozenset(State) - {
    State.RECEIVED,
    State.STAGE1,
    State.STAGE1_RESPONDED,
    State.CLOSED,
    State.NOT_ACCEPTED,
    State.RESOLVED_INFORMALLY,
    State.WITHDRAWN,
    State.NOT_INVESTIGATED,
}
APPEAL_STATES = frozenset(APPEAL)
#: One learning action for about this many complaints.
COMPLAINTS_PER_LEARNING_ACTION = 250
LESSONS = (
    (
        "Repair appointments were moved without telling the customer.",
        "Schedulers text the customer the same day an appointment moves.",
        "procedure",
        "responsive_repairs",
    ),
    (
        "Damp and mould reports were closed after a phone call.",
        "Every report gets a survey visit within 10 working days.",
        "procedure",
        "damp_and_mould",
    ),
    (
        "Customers were not told when their response would be late.",
        "The officer agrees any extension with the customer by phone and in writing.",
        "training",
        "complaint_handling",
    ),
    (
        "Service charge letters did not explain the increase.",
        "Service charge letters show each cost line against last year.",
        "communication",
        "rent_and_charges",
    ),
    (
        "Gas contractor missed its annual service window.",
        "The contract's service levels are checked monthly with penalties applied.",
        "contract",
        "heating_and_hot_water",
    ),
    (
        "Repairs raised by phone were lost between systems.",
        "Repairs are raised in one system, with the customer's reference read back.",
        "system",
        "responsive_repairs",
    ),
)


class Clock:
    """Working days and office hours on the landlord's calendar, remembered per day (five years
    of days is a few thousand entries; a million complaints ask the same questions)."""

    def __init__(self, calendar: WorkingCalendar, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self._midnight: dict[dt.date, dt.datetime] = {}
        #: Every working day from ``first`` to ``last``, and for each day how many of them come
        #: on or before it: the n-th working day after a day is then one lookup.
        self.first = first
        self.working: list[dt.date] = []
        self.before: list[int] = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.working.append(day)
            self.before.append(len(self.working))
            day += dt.timedelta(days=1)

    def working_day_after(self, day: dt.date, count: int) -> dt.date:
        """As ``WorkingCalendar.working_day_after``: the count-th working day after ``day``."""
        if count == 0:
            return day
        return self.working[self.before[(day - self.first).days] + count - 1]

    def first_working_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next one."""
        return self.working[self.before[(day - self.first).days - 1]]

    def midnight(self, day: dt.date) -> dt.datetime:
        """Local midnight of ``day``, in UTC."""
        found = self._midnight.get(day)
        if found is None:
            local = dt.datetime.combine(day, dt.time(0), tzinfo=self.calendar.tz)
            found = self._midnight[day] = local.astimezone(dt.UTC)
        return found

    def at(self, day: dt.date, minute: int) -> dt.datetime:
        return self.midnight(day) + dt.timedelta(minutes=minute)

    def office(self, day: dt.date, rng: random.Random) -> dt.datetime:
        return self.at(day, OFFICE_OPENS + rng.randrange(OFFICE_MINUTES))

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return self.midnight(day) + dt.timedelta(hours=23, minutes=59, seconds=59)


@dataclass
class Case:
    """What is known of the complaint being written, as its story unfolds."""

    id: int
    landlord: Landlord
    template: Template
    received: dt.datetime
    day0: dt.date
    customer_name: str
    owner: int | None = None
    team: int | None = None
    stage: int = 0
    state: State = State.RECEIVED
    points: list[int] = field(default_factory=list)
    upheld: set[int] = field(default_factory=set)  # point ids upheld in whole or part at any stage
    open_deadlines: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)  # name: (row id, due)
    events: int = 0
    closed_at: dt.datetime | None = None
    final_response_at: dt.datetime | None = None

    def copied(self) -> dict[str, Any]:
        """The complaint's receipt and organisation, as its stages, deadlines, outcomes, learning
        and remedies carry them (``cases.models.copied``)."""
        return {"complaint_received_at": self.received, "complaint_organisation_id": self.landlord.id}


class Generator:
    """Writes complaints into ``tables`` (one ``Table`` per model), one after another."""

    def __init__(
        self, world: World, tables: dict[Any, Table], seed: int, now: dt.datetime, years: int
    ) -> None:
        self.world = world
        self.t = tables
        self.rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
        self.now = now
        calendar = WorkingCalendar()
        self.today = calendar.local(now).date()
        self.span_days = max(2, round(365.25 * years))
        self.clock = Clock(
            calendar, self.today - dt.timedelta(days=self.span_days + 7), self.today + dt.timedelta(days=400)
        )
        self.landlord_weights = [ll.share for ll in world.landlords]
        self.batch_upheld: dict[int, list[tuple[int, int]]] = {}  # landlord id -> (complaint, theme)
        self.target = ""

    # -- the parts of a complaint ------------------------------------------------------

    def complaint(self, target: str = "") -> None:
        """Write one complaint; given a ``target`` (a state, or "overdue"), one that ends there.

        A target is reached by drawing the story again (rows and ids taken back) until it
        ends there, with the fates it needs made certain: so even a small seed shows every
        state. The draws come from the one generator, so this too is repeatable.
        """
        if not target:
            self._complaint()
            return
        saved = self._save()
        self.target = target
        for _ in range(TARGET_ATTEMPTS):
            case = self._complaint()
            if _reached(case, target, self.now):
                break
            self._restore(saved)
        self.target = ""

    def _save(self) -> tuple[Any, ...]:
        return (
            {model: (len(table.rows), table.next_id) for model, table in self.t.items()},
            [len(landlord.customers) for landlord in self.world.landlords],
            {key: len(rows) for key, rows in self.batch_upheld.items()},
        )

    def _restore(self, saved: tuple[Any, ...]) -> None:
        tables, customers, upheld = saved
        for model, (rows, next_id) in tables.items():
            del self.t[model].rows[rows:]
            self.t[model].next_id = next_id
        for landlord, count in zip(self.world.landlords, customers, strict=True):
            del landlord.customers[count:]
        for key in list(self.batch_upheld):
            del self.batch_upheld[key][upheld.get(key, 0) :]

    def _complaint(self) -> Case:
        rng = self.rng
        landlord = rng.choices(self.world.landlords, self.landlord_weights)[0]
        customer, tenure, name = self._customer(landlord)
        template = rng.choice(TEMPLATES)
        span = (5 if self.target == State.RECEIVED else 150) if self.target else self.span_days
        day = self.today - dt.timedelta(days=rng.randrange(1, span))
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        if channel in ("web", "email", "social_media"):
            received = self.clock.at(day, rng.randrange(24 * 60))
        else:
            received = self.clock.office(day, rng)
        day0 = self.clock.first_working_day(day)
        case = Case(self.t[Complaint].new_id(), landlord, template, received, day0, name)
        summary, description = _filled(template, rng)
        self._points(case)
        self._event(
            case,
            EventKind.COMPLAINT_LOGGED,
            received,
            None,
            name,
            f"Complaint received by {channel.replace('_', ' ')}: {summary}",
            channel=channel,
        )
        exclusion, note = self._triage(case, rng)
        if exclusion and exclusion in EXCLUDED:
            summary, description, note = rng.choice(EXCLUDED[exclusion])
        self._learning(case, rng)
        self.t[Complaint].add(
            id=case.id,
            reference=reference(case.id),
            organisation_id=landlord.id,
            customer_id=customer,
            policy_id=self.world.policy_id,
            channel=channel,
            received_at=received,
            category=template.category,
            summary=summary[:200],
            description=description,
            desired_outcome=template.desired,
            stock_type="" if rng.random() < 0.03 else STOCK_TYPE_OF_TENURE.get(tenure, ""),
            state=case.state.value,
            stage=case.stage,
            owner_id=case.owner,
            team_id=case.team,
            exclusion_reason=exclusion,
            triage_note=note,
            final_response_at=case.final_response_at,
            ombudsman_direct_from=case.final_response_at,
            closed_at=case.closed_at,
            version=case.events,
            created_at=received,
            updated_at=received,
            **self._next_due(case),
        )
        return case

    def _customer(self, landlord: Landlord) -> tuple[int, str, str]:
        """A new customer, or (one complaint in four) one who has complained before."""
        rng = self.rng
        if landlord.customers and rng.random() < 0.25:
            return rng.choice(landlord.customers)
        woman = rng.random() < 0.6
        first, last = rng.choice(WOMEN if woman else MEN), rng.choice(LAST_NAMES)
        tenure = rng.choices(TENURES, TENURE_WEIGHTS)[0]
        town, district = rng.choice(PLACES[landlord.short_name])
        cid = self.t[Customer].new_id()
        self.t[Customer].add(
            id=cid,
            organisation_id=landlord.id,
            title=rng.choice(("Mrs", "Ms", "Miss", "") if woman else ("Mr", "Mr", "")),
            first_name=first,
            last_name=last,
            email=f"{first}.{last}{cid}@example.com".lower() if rng.random() < 0.7 else "",
            phone=f"07700 900{rng.randrange(1000):03d}",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{town}",
            postcode=f"{district} {rng.randint(1, 9)}{''.join(rng.choices(POSTCODE_LETTERS, k=2))}",
            tenancy_reference="" if tenure == "applicant" else f"{landlord.short_name}-{cid:07d}",
            tenure=tenure,
            created_at=self.now,
        )
        found = (cid, tenure, f"{first} {last}")
        landlord.customers.append(found)
        return found

    def _points(self, case: Case) -> None:
        points = case.template.points
        count = self.rng.randint(1, len(points))
        for number, text in enumerate(points[:count], start=1):
            case.points.append(
                self.t[Point].add(complaint_id=case.id, number=number, summary=text, **case.copied())
            )

    def _triage(self, case: Case, rng: random.Random) -> tuple[str, str]:
        """Accept, resolve at once or refuse; an accepted complaint goes on through its stages."""
        at = self.clock.office(self.clock.working_day_after(case.day0, rng.choice((0, 0, 0, 1, 1, 2))), rng)
        at = max(at, case.received + dt.timedelta(minutes=20))
        if at > self.now:
            return "", ""
        advisor, _ = rng.choice(case.landlord.advisors)
        fate = {
            State.NOT_ACCEPTED: 0.0,
            State.RESOLVED_INFORMALLY: NOT_ACCEPTED,
            State.NOT_INVESTIGATED: NOT_ACCEPTED + INFORMAL,
        }.get(self.target, rng.random())  # type: ignore[call-overload]
        if fate < NOT_ACCEPTED:
            reason = rng.choices(EXCLUSIONS, EXCLUSION_WEIGHTS)[0]
            self._finish(case, State.NOT_ACCEPTED, at)
            self._event(
                case, EventKind.NOT_ACCEPTED, at, advisor, "", f"Not accepted: {reason}", reason=reason
            )
            return reason, "It does not meet the definition of a complaint under our procedure."
        if fate < NOT_ACCEPTED + INFORMAL:
            self._finish(case, State.RESOLVED_INFORMALLY, at)
            self._event(case, EventKind.RESOLVED_INFORMALLY, at, advisor, "", case.template.resolution)
            return "", case.template.resolution
        case.owner, case.team = rng.choice(case.landlord.officers)
        case.stage, case.state = 1, State.STAGE1
        self._event(case, EventKind.ACCEPTED, at, advisor, "", "Accepted at stage 1", owner=case.owner)
        if fate < NOT_ACCEPTED + INFORMAL + NOT_INVESTIGATED:
            stage = self.t[Stage].add(
                complaint_id=case.id, number=1, opened_at=at, handler_id=case.owner, **case.copied()
            )
            self._finish(case, State.NOT_INVESTIGATED, at + dt.timedelta(days=3))
            self._event(
                case,
                EventKind.NOT_INVESTIGATED,
                at + dt.timedelta(days=3),
                case.owner,
                "",
                "Decided not to investigate",
                stage=stage,
            )
            return "", "It meets the definition of a complaint."
        self._stages(case, at, rng)
        return "", "It meets the definition of a complaint: dissatisfaction with our service."

    def _stages(self, case: Case, accepted: dt.datetime, rng: random.Random) -> None:
        done = self._stage(case, 1, accepted, case.day0, (1, 10, 10), rng)
        if done is None:
            return
        if rng.random() >= ESCALATED / (1 - WITHDRAWN) and self.target not in LATER_STAGES:
            self._close(case, done, rng)
            return
        asked = done + dt.timedelta(days=rng.randint(2, 40), minutes=rng.randrange(600))
        if asked > self.now:
            self._close(case, done, rng)  # closed before any request, or waiting for the actions
            return
        case.owner, case.team = rng.choice(self.world.senior_managers), case.team
        case.stage, case.state = 2, State.STAGE2
        grounds = rng.sample(sorted(phrases.REVIEW_GROUNDS), rng.randint(1, 2))
        self._event(
            case,
            EventKind.ESCALATED,
            asked,
            None,
            case.customer_name,
            f"Escalated to stage 2 on grounds {', '.join(grounds)}",
            grounds=grounds,
        )
        day = self.clock.first_working_day(self.clock.calendar.local(asked).date())
        done = self._stage(case, 2, asked, day, (5, 20, 10), rng, grounds=grounds)
        if done is None:
            return
        case.final_response_at = done
        if rng.random() >= APPEALED and self.target not in APPEAL_STATES:
            self._close(case, done, rng)
            return
        self._appeal(case, done, rng)

    def _stage(
        self,
        case: Case,
        number: int,
        opened: dt.datetime,
        day0: dt.date,
        clocks: tuple[int, int, int],
        rng: random.Random,
        grounds: list[str] | None = None,
    ) -> dt.datetime | None:
        """A stage's acknowledgement, contact, extension and response; its response time, or None if
        the story stops before it (still open, or withdrawn)."""
        contact_days, response_days, extension_days = clocks
        clock, now = self.clock, self.now
        stage_id = self.t[Stage].new_id()
        contact_due = clock.end_of_day(clock.working_day_after(day0, contact_days))
        due_days = response_days
        response_due = clock.end_of_day(clock.working_day_after(day0, due_days))
        row: dict[str, Any] = {
            "id": stage_id,
            "complaint_id": case.id,
            **case.copied(),
            "number": number,
            "opened_at": opened,
            "handler_id": case.owner,
            "grounds": grounds or [],
        }
        if grounds:
            row["request_text"] = " ".join(phrases.REVIEW_GROUNDS[g] for g in grounds)
        self._deadline(case, stage_id, f"stage{number}.contact", opened, contact_due)
        response_id = self._deadline(case, stage_id, f"stage{number}.response", opened, response_due)
        ack_at, via = None, ""
        if rng.random() < 0.92:
            ack_day = clock.working_day_after(day0, rng.choices(ACK_DAYS, ACK_DAY_WEIGHTS)[0])
            ack_at = max(clock.office(ack_day, rng), opened + dt.timedelta(minutes=15))
            via = rng.choices(ACK_VIA, ACK_VIA_WEIGHTS)[0]
            if ack_at > now:
                ack_at, via = None, ""
        contact_at = max(
            clock.office(clock.working_day_after(day0, rng.choices((0, 1, 2, 4), (45, 35, 12, 8))[0]), rng),
            opened + dt.timedelta(minutes=30),
        )
        if via == AcknowledgedVia.CONTACT and ack_at is not None:
            contact_at = ack_at
        if contact_at <= now:
            self.t[Contact].add(
                complaint_id=case.id,
                stage_number=number,
                occurred_at=contact_at,
                method="phone",
                direction="outbound",
                summary=rng.choice(phrases.FIRST_CONTACT),
                acknowledges=via == AcknowledgedVia.CONTACT,
                recorded_by_id=case.owner,
            )
            self._event(
                case,
                EventKind.CONTACT_RECORDED,
                contact_at,
                case.owner,
                "",
                "Contact by phone",
                method="phone",
                direction="outbound",
                met=f"stage{number}.contact",
            )
            self._meet(case, f"stage{number}.contact", contact_at)
        if ack_at is not None:
            row["acknowledged_at"], row["acknowledged_via"] = ack_at, via
            self._event(
                case,
                EventKind.ACKNOWLEDGED,
                ack_at,
                case.owner,
                "",
                f"Acknowledged at stage {number}",
                via=via,
            )
        extended = rng.random() < 0.13
        if extended:
            at = clock.office(
                clock.working_day_after(day0, rng.randint(max(2, response_days - 5), response_days - 1)), rng
            )
            extra = rng.choice((5, extension_days, extension_days, extension_days + 5))
            if at <= now:
                due_days += extra
                new_due = clock.end_of_day(clock.working_day_after(day0, due_days))
                self.t[Extension].add(
                    stage_id=stage_id,
                    number=1,
                    occurred_at=at,
                    previous_due_at=response_due,
                    new_due_at=new_due,
                    reason=rng.choice(phrases.EXTENSION_REASONS),
                    good_reason=rng.choice(phrases.GOOD_REASONS) if extra > extension_days else "",
                    recorded_by_id=case.owner,
                )
                self._event(
                    case,
                    EventKind.EXTENDED,
                    at,
                    case.owner,
                    "",
                    "Response date extended",
                    old=response_due,
                    new=new_due,
                )
                response_due = new_due
                case.open_deadlines[f"stage{number}.response"] = (response_id, new_due)
                self._set_deadline(response_id, due_at=new_due)
        late = rng.random() < (0.14 if number == 1 else 0.2)
        day = due_days + rng.randint(1, 12) if late else rng.randint(min(3, due_days), due_days)
        responded = max(
            clock.office(clock.working_day_after(day0, day), rng), contact_at + dt.timedelta(hours=2)
        )
        if number == 1 and (rng.random() < WITHDRAWN or self.target == State.WITHDRAWN):
            at = opened + dt.timedelta(days=rng.randint(1, 9), minutes=rng.randrange(300))
            if at < responded and at <= now:
                self.t[Stage].add(**row)
                self._cancel_open(case, at)
                self._finish(case, State.WITHDRAWN, at)
                self._event(case, EventKind.WITHDRAWN, at, case.owner, "", rng.choice(phrases.WITHDRAWALS))
                return None
        if responded > now:
            self.t[Stage].add(**row)
            return None
        row["responded_at"] = responded
        self.t[Stage].add(**row)
        self._respond(case, stage_id, number, responded, rng)
        return responded

    def _respond(
        self,
        case: Case,
        stage_id: int,
        number: int,
        at: dt.datetime,
        rng: random.Random,
        kind: str = "response",
    ) -> None:
        outcomes = rng.choices(OUTCOMES, OUTCOME_WEIGHTS, k=len(case.points))
        upheld = [p for p, o in zip(case.points, outcomes, strict=True) if o != "not_upheld"]
        response = self.t[Response].add(
            **case.copied(),
            stage_id=stage_id,
            kind=kind,
            occurred_at=at,
            method=rng.choice(("phone", "letter", "email")),
            summary=f"We upheld {len(upheld)} of {len(outcomes)} points. {case.template.finding}",
            recorded_by_id=case.owner,
        )
        for point, outcome in zip(case.points, outcomes, strict=True):
            self.t[PointOutcome].add(
                **case.copied(),
                response_id=response,
                point_id=point,
                outcome=outcome,
                reasons=rng.choice(phrases.OUTCOME_REASONS[outcome]),
            )
        counts = {o: outcomes.count(o) for o in OUTCOMES}
        self._event(
            case,
            EventKind.RESPONDED if kind == "response" else EventKind.APPEAL_DECIDED,
            at,
            case.owner,
            "",
            f"Stage {number} response given",
            outcomes=counts,
        )
        self._meet(case, f"stage{number}.response", at)
        case.state = State(f"stage{number}_responded") if number < 3 else State.APPEAL_DECIDED
        case.upheld.update(upheld)
        if upheld:
            self._remedies(case, number, at, upheld, rng)
            self._actions(case, number, at, rng)

    def _remedies(
        self, case: Case, number: int, at: dt.datetime, upheld: list[int], rng: random.Random
    ) -> None:
        offered = self.clock.calendar.local(at).date()
        if rng.random() < 0.6:
            self._remedy(case, number, offered, None, "apology", None, "", rng)
        if rng.random() < 0.45:
            amount = Decimal(rng.choice(REMEDY_AMOUNTS))
            self._remedy(
                case,
                number,
                offered,
                rng.choice(upheld),
                "financial",
                amount,
                rng.choice(REMEDY_PURPOSES),
                rng,
            )

    def _remedy(
        self,
        case: Case,
        number: int,
        offered: dt.date,
        point: int | None,
        kind: str,
        amount: Decimal | None,
        purpose: str,
        rng: random.Random,
    ) -> None:
        status, accepted, declined, paid = "offered", None, None, None
        answer = offered + dt.timedelta(days=rng.randint(2, 15))
        if answer <= self.today and rng.random() < 0.9:
            if rng.random() < 0.1:
                status, declined = "declined", answer
            else:
                status, accepted = "accepted", answer
                pay = answer + dt.timedelta(days=rng.randint(3, 20))
                if amount is not None and pay <= self.today and rng.random() < 0.9:
                    status, paid = "paid", pay
        self.t[Remedy].add(
            complaint_id=case.id,
            **case.copied(),
            stage_number=number,
            point_id=point,
            remedy_type=kind,
            description=f"Bench remedy: {kind}",
            amount=amount,
            purpose=purpose,
            status=status,
            offered_on=offered,
            accepted_on=accepted,
            declined_on=declined,
            paid_on=paid,
            payment_reference=f"BACS {rng.randrange(100000, 999999)}" if paid else "",
            recorded_by_id=case.owner,
        )
        self._event(
            case,
            EventKind.REMEDY_OFFERED,
            self.clock.at(offered, 13 * 60),
            case.owner,
            "",
            f"Remedy offered: {kind}",
            type=kind,
            amount=amount,
            status=status,
        )

    def _actions(self, case: Case, number: int, at: dt.datetime, rng: random.Random) -> None:
        texts = (case.template.actions, REVIEW_ACTIONS, APPEAL_ACTIONS)[number - 1]
        agreed = self.clock.calendar.local(at).date()
        for text in rng.sample(texts, rng.randint(1, min(2, len(texts)))):
            due = agreed + dt.timedelta(days=rng.randint(7, 35))
            done = self.clock.office(agreed + dt.timedelta(days=rng.randint(3, 45)), rng)
            completed = done if done <= self.now and rng.random() < 0.92 else None
            self.t[Action].add(
                complaint_id=case.id,
                stage_number=number,
                description=text,
                owner_id=case.owner,
                due_on=due,
                agreed_at=at,
                completed_at=completed,
                completed_by_id=case.owner if completed else None,
                completion_note=rng.choice(phrases.COMPLETION_NOTES) if completed else "",
            )
            self._event(case, EventKind.ACTION_ADDED, at, case.owner, "", f"Action agreed: {text}"[:200])
            if completed is None:
                case.closed_at = self.now + dt.timedelta(days=9999)  # an open action keeps the case open
            elif case.closed_at is None or completed > case.closed_at:
                case.closed_at = completed

    def _close(self, case: Case, responded: dt.datetime, rng: random.Random) -> None:
        """Closed once its actions are done and a few days have passed, if that is before now."""
        last = max(responded, case.closed_at or responded)
        case.closed_at = None
        at = last + dt.timedelta(days=rng.randint(1, 12), minutes=rng.randrange(300))
        if at <= self.now:
            case.state = State.CLOSED
            case.closed_at = at
            self._event(case, EventKind.CLOSED, at, case.owner, "", "Closed")

    def _appeal(self, case: Case, responded: dt.datetime, rng: random.Random) -> None:
        clock, now = self.clock, self.now
        case.closed_at = None
        asked = responded + dt.timedelta(days=rng.randint(3, 20), minutes=rng.randrange(300))
        if asked > now:
            return self._close(case, responded, rng)
        case.stage, case.state = 3, State.APPEAL_REQUESTED
        criteria = rng.sample(sorted(phrases.APPEAL_CRITERIA), 1)
        self._event(
            case,
            EventKind.APPEAL_REQUESTED,
            asked,
            None,
            case.customer_name,
            "Appeal requested",
            criteria=criteria,
        )
        day0 = clock.first_working_day(clock.calendar.local(asked).date())
        stage_id = self.t[Stage].new_id()
        meeting_due = clock.end_of_day(clock.working_day_after(day0, 20))
        self._deadline(case, stage_id, "appeal.meeting", asked, meeting_due)
        row: dict[str, Any] = {
            "id": stage_id,
            "complaint_id": case.id,
            **case.copied(),
            "number": 3,
            "opened_at": asked,
            "grounds": criteria,
            "request_text": phrases.APPEAL_CRITERIA[criteria[0]],
        }
        scheduled = clock.office(clock.working_day_after(day0, rng.randint(2, 6)), rng)
        meeting = clock.office(clock.working_day_after(day0, rng.randint(12, 22)), rng)
        if scheduled > now:
            self.t[Stage].add(**row)
            return None
        case.state = State.APPEAL_SCHEDULED
        self.t[AppealHearing].add(
            stage_id=stage_id,
            meeting_at=meeting,
            location=rng.choice(phrases.APPEAL_LOCATIONS),
            agreed_with_customer_at=scheduled,
            panel={"board_member": "Margaret Lowe"},
        )
        self._event(case, EventKind.APPEAL_SCHEDULED, scheduled, case.owner, "", "Appeal meeting arranged")
        decided = meeting + dt.timedelta(days=rng.randint(1, 6))
        if meeting <= now:
            self._meet(case, "appeal.meeting", meeting)
            self._deadline(
                case,
                stage_id,
                "appeal.decision",
                meeting,
                clock.end_of_day(clock.working_day_after(clock.calendar.local(meeting).date(), 5)),
            )
        if decided > now:
            self.t[Stage].add(**row)
            return None
        row["responded_at"] = decided
        self.t[Stage].add(**row)
        self._respond(case, stage_id, 3, decided, rng, kind="appeal_decision")
        self._meet(case, "appeal.decision", decided)
        final = decided + dt.timedelta(days=rng.randint(1, 4))
        if final > now:
            return None
        case.state, case.final_response_at = State.APPEAL_RESPONDED, final
        self._event(case, EventKind.FINAL_RESPONSE, final, case.owner, "", "Final response sent")
        return self._close(case, final, rng)

    def _learning(self, case: Case, rng: random.Random) -> None:
        """Each point's theme and service area; a root cause on the points upheld."""
        if case.state == State.RECEIVED and rng.random() < 0.5:
            return
        main, area = THEME_OF_TEMPLATE.get(case.template.theme, ("other", "Customer services"))
        themes, causes = self.world.themes, self.world.causes
        area_id = case.landlord.areas.get(area) or next(iter(case.landlord.areas.values()))
        for number, point in enumerate(case.points, start=1):
            key = main if number == 1 or rng.random() < 0.6 else rng.choice(SECOND_THEMES)
            cause = None
            if point in case.upheld:
                likely = LIKELY_CAUSES.get(key)
                cause = causes[
                    rng.choice(likely) if likely and rng.random() < 0.7 else rng.choice(list(causes))
                ]
            self.t[PointLearning].add(
                **case.copied(),
                point_id=point,
                theme_id=themes[key],
                service_area_id=area_id,
                root_cause_id=cause,
                updated_by_id=case.owner,
                root_cause_note=case.template.finding if cause else "",
                updated_at=case.received,
            )
        if case.upheld:
            self.batch_upheld.setdefault(case.landlord.id, []).append((case.id, themes[main]))
        self._event(
            case,
            EventKind.LEARNING_RECORDED,
            case.received + dt.timedelta(hours=1),
            case.owner,
            "",
            f"Themes recorded for {len(case.points)} points",
        )

    # -- learning actions, a few per batch ---------------------------------------------

    def learning_actions(self, complaints: int) -> None:
        """About one lesson for every 250 complaints, each linked to upheld complaints of its theme."""
        rng = self.rng
        for _ in range(max(1, complaints // COMPLAINTS_PER_LEARNING_ACTION)):
            landlord = rng.choices(self.world.landlords, self.landlord_weights)[0]
            upheld = self.batch_upheld.get(landlord.id)
            if not upheld:
                continue
            lesson, change, kind, theme_key = rng.choice(LESSONS)
            created = self.now - dt.timedelta(days=rng.randrange(self.span_days))
            due = self.clock.calendar.local(created).date() + dt.timedelta(days=rng.randint(20, 120))
            done = created + dt.timedelta(days=rng.randint(10, 150))
            completed = done if done <= self.now and rng.random() < 0.7 else None
            owner = rng.choice(self.world.senior_managers)
            action = self.t[LearningAction].add(
                organisation_id=landlord.id,
                lesson=lesson,
                change=change,
                change_kind=kind,
                owner_id=owner,
                due_on=due,
                completed_at=completed,
                completed_by_id=owner if completed else None,
                evidence="Procedure updated and briefed to the team." if completed else "",
                created_by_id=owner,
                created_at=created,
                updated_at=created,
            )
            self.t[LearningAction.themes.through].add(
                learningaction_id=action, theme_id=self.world.themes[theme_key]
            )
            for complaint, _ in rng.sample(upheld, min(len(upheld), rng.randint(2, 8))):
                self.t[LearningActionLink].add(
                    action_id=action, complaint_id=complaint, linked_at=created, linked_by_id=owner
                )
        self.batch_upheld.clear()

    # -- rows shared by the steps ------------------------------------------------------

    def _event(
        self,
        case: Case,
        kind: EventKind,
        at: dt.datetime,
        actor: int | None,
        label: str,
        summary: str,
        **data: Any,
    ) -> None:
        case.events += 1
        self.t[TimelineEvent].add(
            complaint_id=case.id,
            kind=kind.value,
            stage_number=case.stage,
            occurred_at=at,
            recorded_at=at,
            actor_id=actor,
            actor_label=label or self._staff_label(actor),
            summary=summary,
            data=data,
        )

    def _staff_label(self, user: int | None) -> str:
        return self.world.labels.get(user, "putright") if user else "putright"

    def _deadline(self, case: Case, stage: int, name: str, started: dt.datetime, due: dt.datetime) -> int:
        row = self.t[Deadline].add(
            complaint_id=case.id,
            **case.copied(),
            stage_id=stage,
            name=name,
            clock_started_at=started,
            due_at=due,
            original_due_at=due,
        )
        case.open_deadlines[name] = (row, due)
        return row

    def _meet(self, case: Case, name: str, at: dt.datetime) -> None:
        found = case.open_deadlines.pop(name, None)
        if found is not None:
            self._set_deadline(found[0], met_at=at)

    def _cancel_open(self, case: Case, at: dt.datetime) -> None:
        for row, _ in case.open_deadlines.values():
            self._set_deadline(row, cancelled_at=at)
        case.open_deadlines.clear()

    def _set_deadline(self, row_id: int, **values: Any) -> None:
        table = self.t[Deadline]
        id_column = table.index["id"]
        for row in reversed(table.rows):  # the complaint's own deadlines are the last few rows
            if row[id_column] == row_id:
                for name, value in values.items():
                    row[table.index[name]] = value
                return

    def _finish(self, case: Case, state: State, at: dt.datetime) -> None:
        case.state, case.closed_at = state, at
        self._cancel_open(case, at)

    def _next_due(self, case: Case) -> dict[str, Any]:
        if case.closed_at is not None and case.closed_at > self.now:
            case.closed_at = None
        if (
            case.state
            in (
                State.CLOSED,
                State.NOT_ACCEPTED,
                State.RESOLVED_INFORMALLY,
                State.WITHDRAWN,
                State.NOT_INVESTIGATED,
            )
            or not case.open_deadlines
        ):
            return {}
        name, (_, due) = min(case.open_deadlines.items(), key=lambda item: item[1][1])
        return {"next_due_at": due, "next_due_name": name}


def _reached(case: Case, target: str, now: dt.datetime) -> bool:
    if target == OVERDUE:
        return case.state in (State.STAGE1, State.STAGE2) and any(
            due < now for _, due in case.open_deadlines.values()
        )
    return case.state == target


def _filled(template: Template, rng: random.Random) -> tuple[str, str]:
    weeks, room = str(rng.randint(2, 14)), rng.choice(ROOMS)
    return (
        template.summary.replace("{weeks}", weeks).replace("{room}", room),
        template.description.replace("{weeks}", weeks).replace("{room}", room),
    )


def reference(number: int) -> str:
    """A valid reference made from a complaint's id, so a million of them never clash."""
    digits = ""
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return PREFIX + digits
