"""The demo's learning: themes at triage, root causes once upheld (registered in ``apps.ready``).

Each complaint's choices come from its own story (the template's theme) and a
random generator seeded by its reference, never from the walk's, so the
stories the demo tells are the same with the learning as without it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

# issue 12, remedies
from django.utils import timezone

from putright.accounts.models import Organisation
from putright.cases.errors import InvalidInput
from putright.cases.models import Point
from putright.cases.policies import rules_for
from putright.cases.selectors.outcomes import upheld_point_ids
from putright.learning.defaults import SERVICE_AREAS
from putright.learning.models import PointLearning, Remedy, RootCause, ServiceArea, ServiceAreaKind, Theme
from putright.learning.remedy_selectors import suggestion
from putright.learning.services.points import record_point_learning
from putright.learning.services.remedies import accept_remedy, decline_remedy, offer_remedy, pay_remedy
from putright.procedure.learning import RemedyType

#: The demo templates' themes, as keys of the default taxonomy, with the service area responsible.
THEME_OF_TEMPLATE: dict[str, tuple[str, str]] = {
    "Adaptations": ("adaptations", "Repairs"),
    "Anti-social behaviour handling": ("asb_handling", "Neighbourhoods"),
    "Communal cleaning": ("neighbourhood", "Neighbourhoods"),
    "Damp and mould": ("damp_and_mould", "Repairs"),
    "Grounds maintenance": ("neighbourhood", "Neighbourhoods"),
    "Heating and hot water (Gasway)": ("heating_and_hot_water", "Gasway Services"),
    "Lettings": ("lettings", "Lettings"),
    "Rent and service charges": ("rent_and_charges", "Income"),
    "Repairs": ("responsive_repairs", "Repairs"),
    "Staff conduct": ("staff_conduct", "Customer services"),
}
#: A second point is sometimes about how we kept the customer informed.
SECOND_THEMES = ("communication", "complaint_handling", "contractors")
#: Root causes most likely for each theme (the rest are possible too).
LIKELY_CAUSES: dict[str, tuple[str, ...]] = {
    "responsive_repairs": ("missed_appointment", "process_not_followed", "contractor_performance"),
    "damp_and_mould": ("process_not_followed", "resource_or_capacity", "policy_gap"),
    "heating_and_hot_water": ("contractor_performance", "missed_appointment"),
    "staff_conduct": ("staff_conduct",),
    "rent_and_charges": ("system_or_data_error", "communication_failure"),
    "communication": ("communication_failure",),
}


def service_areas(organisation: Organisation) -> dict[str, ServiceArea]:
    """The organisation's departments (created the first time), and the gas contractor."""
    wanted = [(name, ServiceAreaKind.DEPARTMENT) for name in SERVICE_AREAS]
    wanted.append(("Gasway Services", ServiceAreaKind.CONTRACTOR))
    areas = {}
    for position, (name, kind) in enumerate(wanted, start=1):
        areas[name], _ = ServiceArea.objects.get_or_create(
            organisation=organisation, name=name, defaults={"kind": kind, "position": position}
        )
    return areas


class _Lists:
    """The lists, read once per demo load."""

    def __init__(self) -> None:
        self.themes = {t.key: t for t in Theme.objects.filter(retired_at=None)}
        self.causes = {c.key: c for c in RootCause.objects.filter(retired_at=None)}
        self.areas: dict[int, dict[str, ServiceArea]] = {}

    def area(self, organisation: Organisation, name: str) -> ServiceArea:
        if organisation.pk not in self.areas:
            self.areas[organisation.pk] = service_areas(organisation)
        return self.areas[organisation.pk][name]


_lists: _Lists | None = None


def after_step(walk: Any, kind: str, at: dt.datetime) -> None:
    """Themes at triage; root causes once a response or the appeal upholds a point."""
    global _lists
    if kind not in ("accept", "respond", "decide_appeal"):
        return
    if _lists is None:
        _lists = _Lists()
    if kind == "accept":
        _theme_points(walk, at, _lists)
    elif kind in ("respond", "decide_appeal"):
        _theme_points(walk, at, _lists)  # points added since triage
        _find_causes(walk, at, _lists)
        _put_right(walk, at)  # issue 12, remedies


def after_load(staff: Any, now: dt.datetime) -> None:
    global _lists
    _lists = None  # the next load reads the lists afresh
    # issue 12, publish: four published quarters of "You said, we did" for each landlord
    from putright.learning.demo_publish import publish_demo_quarters

    publish_demo_quarters(staff, now)
    # issue 12, lessons: learning actions from the complaints that share a theme
    add_learning_actions(staff, now)


def _rng(walk: Any) -> random.Random:
    """The complaint's own random numbers for its themes and causes, the same for the same demo seed.

    Seeded by the story (the customer and what they said), not the reference, which is new on every
    load: the same seed must tell the same stories, learning included."""
    return _story_rng(walk, 0)


def _theme_points(walk: Any, at: dt.datetime, lists: _Lists) -> None:
    main, area = THEME_OF_TEMPLATE.get(walk.template.theme, ("other", "Customer services"))
    rng = _rng(walk)
    themed = set(
        PointLearning.objects.filter(point__complaint=walk.c, theme__isnull=False).values_list(
            "point_id", flat=True
        )
    )
    for point in Point.objects.filter(complaint=walk.c).order_by("number"):
        if point.pk in themed:
            continue
        key = main if point.number == 1 or rng.random() < 0.6 else rng.choice(SECOND_THEMES)
        record_point_learning(
            walk.c,
            point_id=point.pk,
            theme=lists.themes[key],
            service_area=lists.area(walk.c.organisation, area),
            actor=walk.cast.frontline,
            occurred_at=at,
        )


def _find_causes(walk: Any, at: dt.datetime, lists: _Lists) -> None:
    rng = _rng(walk)
    learning = {
        pl.point_id: pl
        for pl in PointLearning.objects.filter(point__complaint=walk.c).select_related("theme")
    }
    upheld = upheld_point_ids(walk.c)
    for point in Point.objects.filter(complaint=walk.c).order_by("number"):
        current = learning.get(point.pk)
        if (current is not None and current.root_cause_id) or point.pk not in upheld:
            continue
        theme_key = current.theme.key if current and current.theme else "other"
        likely = LIKELY_CAUSES.get(theme_key, ())
        key = rng.choice(likely) if likely and rng.random() < 0.7 else rng.choice(sorted(lists.causes))
        record_point_learning(
            walk.c,
            point_id=point.pk,
            root_cause=lists.causes[key],
            root_cause_note=walk.template.finding[:300],
            actor=walk.handler,
            occurred_at=at,
        )


# issue 12, remedies: what each response offered to put things right, and what became of it

APOLOGIES = (
    "An apology in the response for what went wrong",
    "A personal apology from the service manager",
    "An apology for the delays and for not keeping the customer informed",
)
PUT_RIGHT = (
    "A supervisor to visit and check the work is done properly",
    "A named contact for the customer until the work is finished",
    "A review of every open repair at the home",
)
#: The policy rate most likely to fit each theme, with how many days, weeks or occasions.
RATE_FOR_THEME: dict[str, tuple[str, int, int]] = {
    "heating_and_hot_water": ("no_heating_or_hot_water", 2, 21),
    "responsive_repairs": ("missed_appointment", 1, 3),
    "damp_and_mould": ("no_kitchen_or_bathroom", 3, 14),
    "adaptations": ("no_kitchen_or_bathroom", 5, 20),
    "complaint_handling": ("complaint_handling_delay", 1, 6),
    "communication": ("complaint_handling_delay", 1, 4),
}
#: Money of the caseworker's own, where no rate fits (or the case's policy has none).
OWN_AMOUNTS = (
    ("25.00", "time_and_trouble"),
    ("50.00", "distress_and_inconvenience"),
    ("75.00", "time_and_trouble"),
)


def _put_right(walk: Any, at: dt.datetime) -> None:
    """Remedies on a response that upheld a point: an apology usually, an action sometimes, money on
    about two in five; then the customer's answer and the payment, on later days (never the future)."""
    stage = walk.c.stage
    if Remedy.objects.filter(complaint=walk.c, stage_number=stage).exists():
        return
    upheld_ids = upheld_point_ids(walk.c)
    upheld = [p for p in Point.objects.filter(complaint=walk.c).order_by("number") if p.pk in upheld_ids]
    if not upheld:
        return
    rng = _story_rng(walk, stage)
    if stage > 1 and rng.random() < 0.5:
        return  # the first stage's remedies stand
    point = rng.choice(upheld)
    common = {"actor": walk.handler, "occurred_at": at}
    offered = []
    if rng.random() < 0.8:
        offered.append(
            offer_remedy(walk.c, remedy_type="apology", description=rng.choice(APOLOGIES), **common)
        )
    if rng.random() < 0.3:
        action = rng.choice(PUT_RIGHT)
        offered.append(
            offer_remedy(walk.c, remedy_type="action", description=action, point_id=point.pk, **common)
        )
    if rng.random() < 0.4:
        offered.append(_money(walk, point, rng, common))
    for remedy in offered:
        _answer(walk, remedy, at, rng)


def _money(walk: Any, point: Point, rng: random.Random, common: dict[str, Any]) -> Remedy:
    theme, _area = THEME_OF_TEMPLATE.get(walk.template.theme, ("other", ""))
    fit = RATE_FOR_THEME.get(theme)
    rate = rules_for(walk.c).policy.remedies.rate(fit[0]) if fit else None
    if fit is not None and rate is not None:
        units = rng.randint(fit[1], fit[2])
        try:
            found = suggestion(walk.c, rate.key, units)
        except InvalidInput:  # the rate's cap already reached on this complaint
            found = None
        if found is not None:
            return offer_remedy(
                walk.c,
                remedy_type="financial",
                description=found.working,
                amount=found.amount,
                purpose=rate.purpose.value,
                point_id=point.pk,
                rate_key=rate.key,
                rate_units=units,
                **common,
            )
    amount, purpose = rng.choice(OWN_AMOUNTS)
    return offer_remedy(
        walk.c,
        remedy_type="financial",
        description="For the time and trouble of having to complain",
        amount=amount,
        purpose=purpose,
        point_id=point.pk,
        **common,
    )


def _answer(walk: Any, remedy: Remedy, at: dt.datetime, rng: random.Random) -> None:
    """Left offered, declined, accepted, or (money) accepted then paid: each on a later day."""
    roll = rng.random()
    answered = _later(at, rng.randint(1, 10))
    if roll < 0.2 or answered is None:
        return
    common = {"remedy_id": remedy.pk, "actor": walk.handler, "occurred_at": answered}
    if roll < 0.35:
        decline_remedy(walk.c, **common)
        return
    accept_remedy(walk.c, **common)
    paid = _later(answered, rng.randint(2, 14))
    if remedy.remedy_type == RemedyType.FINANCIAL.value and roll > 0.45 and paid is not None:
        reference = rng.choice((f"BACS {rng.randint(100000, 999999)}", "Credited to the rent account"))
        pay_remedy(walk.c, **{**common, "occurred_at": paid}, payment_reference=reference)


def _story_rng(walk: Any, stage: int) -> random.Random:
    """The complaint's own random numbers for its remedies at a stage, the same for the same demo seed.

    Not seeded by the reference: it is new on every load, and what becomes of a remedy (accepted,
    declined, paid) is on the timeline, so a load with the same seed must draw the same; nor
    ``walk.rng``, which would change the stories the demo tells.
    """
    customer = walk.customer
    story = f"{customer.first_name} {customer.last_name}|{walk.c.summary}|{walk.c.description}|{stage}"
    return random.Random(story)  # noqa: S311 - repeatable made-up data, not security


def _later(at: dt.datetime, days: int) -> dt.datetime | None:
    """10:00 (London) ``days`` after ``at``, or now if that is later today; None for a day to come."""
    day = timezone.localtime(at).date() + dt.timedelta(days=days)
    if day > timezone.localdate():
        return None
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))), timezone.now())


# --- issue 12, lessons: learning actions in every state, from the complaints that share a theme ---

#: A lesson and the change it leads to, for the themes the demo's complaints are most often about.
LESSONS: dict[str, tuple[str, str, str]] = {
    "damp_and_mould": (
        "Damp and mould reports were closed after a phone call, without anyone visiting the home.",
        (
            "Every damp and mould report gets a survey visit within 10 working days, and a follow-up "
            "visit six weeks after the work."
        ),
        "procedure",
    ),
    "responsive_repairs": (
        "Repair appointments were cancelled without telling the customer, who took time off work.",
        "The repairs team phones or texts the customer the same day an appointment is moved.",
        "procedure",
    ),
    "heating_and_hot_water": (
        "Our gas contractor missed its 24-hour target for total loss of heating in cold weather.",
        "The Gasway contract gains a service credit for each missed 24-hour target, reviewed monthly.",
        "contract",
    ),
    "asb_handling": (
        "Customers reporting anti-social behaviour were not told what would happen next.",
        "Every ASB case gets an action plan agreed with the customer within 5 working days.",
        "procedure",
    ),
    "staff_conduct": (
        "Customers said staff were dismissive on the phone when they called about repeat problems.",
        "Customer service refresher training on repeat callers for every advisor.",
        "training",
    ),
    "rent_and_charges": (
        "Rent statements showed charges the customer had already paid, after a system change.",
        "A check of the payment import after each release of the housing system.",
        "system",
    ),
    "communication": (
        "Customers were not kept informed while we waited for contractors.",
        "A fortnightly update to every customer whose repair waits for a contractor.",
        "communication",
    ),
    "neighbourhood": (
        "Communal cleaning visits were skipped without anyone checking.",
        "Estate inspections sign off each cleaning visit, and missed visits are reported monthly.",
        "contract",
    ),
    "lettings": (
        "New tenants moved into homes with repairs outstanding from the void works.",
        "A void standard checklist signed off before the keys are handed over.",
        "policy",
    ),
    "adaptations": (
        "Adaptations were delayed while the occupational therapy referral waited in a shared inbox.",
        "A named officer owns the adaptations inbox and logs each referral on the day it arrives.",
        "procedure",
    ),
}
#: The states each landlord's learning actions show, in order (a handful: every state at least once).
LESSON_STATES = ("done", "overdue", "open", "done", "open")
EVIDENCE = (
    "Procedure updated (version 2) and briefed at the team meeting; the first month's checks are on file.",
    "Contract variation signed; the first monthly report is attached to the contract file.",
    "Training delivered to every advisor; attendance recorded in the learning system.",
)


def add_learning_actions(staff: Any, now: dt.datetime) -> None:
    """Per landlord, learning actions open and not yet due, overdue, and done with evidence, each
    linked to complaints that share its theme, owned by a senior manager or a team lead."""
    from django.db.models import Max  # imported here: this block is issue 12's "lessons"

    from putright.cases.models import Complaint

    themes = {t.key: t for t in Theme.objects.filter(key__in=LESSONS)}
    for short in ("FH", "SH", "VHT"):
        organisation = staff.organisations.get(short)
        if organisation is None:
            continue
        rng = random.Random(f"lessons-{short}")  # noqa: S311 - repeatable made-up data, not security
        _forget_demo_lessons(organisation)
        # A link is dated no earlier than the complaint's current stage began (the procedure's floor).
        floors = {
            pk: max(received, opened or received)
            for pk, received, opened in Complaint.objects.filter(organisation=organisation)
            .annotate(opened=Max("stages__opened_at"))
            .values_list("pk", "received_at", "opened")
        }
        by_theme: dict[str, list[int]] = {}
        for key, complaint_id in (
            PointLearning.objects.filter(
                point__complaint__organisation=organisation,
                point__number=1,  # the story's own theme (a second point's is drawn by reference)
                theme__key__in=LESSONS,
            )
            .order_by("point__complaint__received_at", "point__complaint_id")  # the story's order
            .values_list("theme__key", "point__complaint_id")
        ):
            if complaint_id not in by_theme.setdefault(key, []):
                by_theme[key].append(complaint_id)
        chosen = sorted(by_theme, key=lambda k: (-len(by_theme[k]), k))[: len(LESSON_STATES)]
        owners = _lesson_owners(staff, short)
        for state, key in zip(LESSON_STATES, chosen, strict=False):
            linked = sorted(by_theme[key], key=lambda pk: (floors[pk], pk))[:3]  # the longest-standing
            last = max(floors[pk] for pk in linked)
            _demo_lesson(organisation, key, themes[key], linked, state, last, owners, rng, now)


def _forget_demo_lessons(organisation: Organisation) -> None:
    """A reset loads the demo afresh: the demo's own lessons of the last load go with its complaints."""
    from putright.learning.models import LearningAction, LearningEvent

    lessons = [lesson for lesson, _change, _kind in LESSONS.values()]
    old = LearningAction.objects.filter(organisation=organisation, lesson__in=lessons)
    LearningEvent.objects.filter(action__in=old).delete()
    old.delete()


def _lesson_owners(staff: Any, short: str) -> list[Any]:
    from putright.accounts.models import Role
    from putright.cases.demo.organisations import GROUP, STAFF

    leads = [
        s.username for s in STAFF if s.organisation == short and s.lead and s.role != Role.CUSTOMER_SERVICES
    ]
    seniors = [s.username for s in STAFF if s.organisation == GROUP and s.role == Role.SENIOR_MANAGER]
    return [staff.users[name] for name in [*leads, *seniors] if name in staff.users]


def _demo_lesson(
    organisation: Organisation,
    key: str,
    theme: Theme,
    linked: list[int],
    state: str,
    last: dt.datetime,
    owners: list[Any],
    rng: random.Random,
    now: dt.datetime,
) -> None:
    from django.utils import timezone

    from putright.cases.models import Complaint
    from putright.learning.services import lessons

    lesson, change, kind = LESSONS[key]
    owner = rng.choice(owners)
    today = timezone.localdate(now)
    created = min(last + dt.timedelta(days=1), now - dt.timedelta(hours=1))
    created_on = timezone.localdate(created)
    if state == "overdue" and (today - created_on).days < 10:
        state = "open"  # too recent to have fallen due: the demo never dates a change in the future
    if state == "overdue":
        due = created_on + dt.timedelta(days=min(28, (today - created_on).days - 3))
    elif state == "done":
        due = created_on + dt.timedelta(days=rng.randint(20, 45))
    else:
        due = today + dt.timedelta(days=rng.randint(10, 60))
    action = lessons.create_learning_action(
        organisation,
        lesson=lesson,
        change=change,
        change_kind=kind,
        owner=owner,
        due_on=due,
        themes=[theme],
        complaints=list(Complaint.objects.filter(pk__in=linked).order_by("reference")),
        actor=owner,
        now=created,
    )
    if state == "done":
        done_on = min(today, created_on + dt.timedelta(days=rng.randint(7, 30)))
        at = min(now, timezone.make_aware(dt.datetime.combine(done_on, dt.time(15))))
        at = max(at, created + dt.timedelta(minutes=5))
        lessons.complete_learning_action(
            action,
            evidence=rng.choice(EVIDENCE),
            completed_on=timezone.localdate(at),
            actor=owner,
            now=at,
        )
