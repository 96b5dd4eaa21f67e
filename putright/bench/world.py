"""What every generated complaint refers to: the demo's organisations and staff, a few hundred more
staff in teams, homes per landlord, stock type and year, the policy, and the learning lists.

Made through the ORM (a few hundred rows), and again without harm: ``--append`` finds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from putright.accounts.models import HomesCount, Organisation, Role, StockType, Team, User
from putright.cases.demo.organisations import LANDLORDS, ensure_staff
from putright.cases.demo.people import LAST_NAMES, MEN, WOMEN
from putright.cases.policies import register_current_policy
from putright.learning.demo import service_areas
from putright.learning.models import RootCause, Theme

#: Each landlord's share of the complaints, its resolution teams and how many officers and
#: front-line advisors the bench adds to each (a few hundred staff in all).
SHARE = {"FH": 0.62, "SH": 0.16, "VHT": 0.22}
RESOLUTION_TEAMS = ("North", "South", "East", "West")
OFFICERS = {"FH": 120, "SH": 40, "VHT": 50}
ADVISORS = {"FH": 30, "SH": 12, "VHT": 15}
SENIOR_MANAGERS = 12
#: Of a landlord's homes, the share that is low-cost home ownership (the rest rental).
LCHO_SHARE = 0.11
#: Homes grew this much a year, so earlier years had fewer.
GROWTH = 0.015
USERNAME_PREFIX = "bench."


@dataclass
class Landlord:
    id: int
    short_name: str
    share: float
    officers: list[tuple[int, int]]  # (user id, team id)
    advisors: list[tuple[int, int]]
    areas: dict[str, int]  # service area name -> id
    customers: list[tuple[int, str, str]] = field(default_factory=list)  # (id, tenure, name), grown as we go


@dataclass
class World:
    policy_id: int
    landlords: list[Landlord]
    senior_managers: list[int]
    panel: list[int]
    themes: dict[str, int]
    causes: dict[str, int]
    labels: dict[int, str]  # staff id -> name, for the timeline


def build_world(password: str, today: dt.date, years: int) -> World:
    """The organisations, staff, homes and lists, created when missing."""
    staff = ensure_staff(password)
    hashed = staff.users["admin"].password  # the demo's accounts' hash: hashing again takes a second
    landlords = []
    for short in LANDLORDS:
        org = staff.organisations[short]
        officers, advisors = _landlord_staff(org, hashed)
        areas = {name: area.pk for name, area in service_areas(org).items()}
        landlords.append(Landlord(org.pk, short, SHARE[short], officers, advisors, areas))
        _homes(org, today, years)
    group = staff.organisations["FG"]
    seniors = [u.pk for u in staff.of(Role.SENIOR_MANAGER)]
    seniors += _users(
        group,
        Team.objects.get(organisation=group, name="Senior Managers"),
        "senior",
        SENIOR_MANAGERS,
        Role.SENIOR_MANAGER,
        hashed,
    )
    return World(
        policy_id=register_current_policy().pk,
        landlords=landlords,
        senior_managers=seniors,
        panel=[u.pk for members in staff.panel.values() for u in members],
        themes=dict(Theme.objects.filter(retired_at=None).values_list("key", "pk")),
        causes=dict(RootCause.objects.filter(retired_at=None).values_list("key", "pk")),
        labels={
            u.pk: str(u)
            for u in User.objects.filter(is_staff=True).only("first_name", "last_name", "username")
        },
    )


def _landlord_staff(org: Organisation, hashed: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    officers: list[tuple[int, int]] = []
    short = org.short_name.lower()
    per_team = OFFICERS[org.short_name] // len(RESOLUTION_TEAMS)
    for name in RESOLUTION_TEAMS:
        team, _ = Team.objects.get_or_create(organisation=org, name=f"Resolution team {name}")
        ids = _users(org, team, f"{short}.{name.lower()}", per_team, Role.RESOLUTION_OFFICER, hashed)
        if team.lead_id is None:
            team.lead_id = ids[0]
            team.save(update_fields=["lead"])
        officers += [(uid, team.pk) for uid in ids]
    front, _ = Team.objects.get_or_create(organisation=org, name="Customer Services")
    ids = _users(org, front, f"{short}.advisor", ADVISORS[org.short_name], Role.CUSTOMER_SERVICES, hashed)
    return officers, [(uid, front.pk) for uid in ids]


def _users(org: Organisation, team: Team, stem: str, count: int, role: Role, hashed: str) -> list[int]:
    """``count`` staff named ``bench.STEM.NNN`` in ``team``, seeing ``org``'s complaints."""
    names = [f"{USERNAME_PREFIX}{stem}.{n:03d}" for n in range(1, count + 1)]
    found = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    made = User.objects.bulk_create(
        User(
            username=name,
            first_name=(WOMEN + MEN)[n * 7 % len(WOMEN + MEN)],
            last_name=LAST_NAMES[n * 13 % len(LAST_NAMES)],
            email=f"{name}@example.com",
            role=role,
            team=team,
            is_staff=True,
            password=hashed,
            receives_daily_digest=False,
        )
        for n, name in enumerate(names)
        if name not in found
    )
    through = User.organisations.through
    through.objects.bulk_create(through(user_id=u.pk, organisation_id=org.pk) for u in made)
    return list(User.objects.filter(username__in=names).order_by("username").values_list("pk", flat=True))


def _homes(org: Organisation, today: dt.date, years: int) -> None:
    """Homes per stock type for every reporting year the complaints span, and the current one."""
    current = today.year if today.month >= 4 else today.year - 1
    for year in range(current - years, current + 1):
        total = round(org.homes * (1 - GROWTH) ** (current - year))
        lcho = round(total * LCHO_SHARE)
        for stock, homes in ((StockType.LCRA, total - lcho), (StockType.LCHO, lcho)):
            HomesCount.objects.update_or_create(
                organisation=org, stock_type=stock, year=year, defaults={"homes": homes}
            )
