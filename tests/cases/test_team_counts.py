"""issue 16, teamcount: a team's open cases counted by owner, from indexes alone on PostgreSQL.

The home page's team queue and the team page count "team = T OR owner among its members". Under
the OR PostgreSQL read each case's table page (15,000-20,000 pages at 1,000,000 complaints);
``workload.team_counts`` sums two halves instead, the team's own cases and its members' cases of
other teams or none. These tests hold it to the OR's figures on varied data (cases of the team
owned by outsiders and by no one, members' cases of other teams and of none, closed cases, a
reader who sees one organisation), and on PostgreSQL to a plan that reads no table page.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.models import Count, Q, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, Team, User
from putright.bench.seeding import seed
from putright.cases.bulk import vacuum_and_analyse
from putright.cases.models import Complaint
from putright.cases.selectors import workload
from putright.cases.selectors.complaints import complaints_for
from putright.procedure.states import OPEN

SEEDED_AT = dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
MANAGER = "rachel.turner"  # a Senior Manager of the group: sees every organisation's cases


def busiest() -> Team:
    """The team whose members own the most open cases."""
    team = (
        Team.objects.annotate(n=Count("members__complaints", filter=Q(members__complaints__state__in=OPEN)))
        .order_by("-n", "pk")
        .first()
    )
    assert team is not None
    return team


def varied() -> None:
    """Seeded cases, then some moved so that every branch of "team or member" is there."""
    seed(600, seed=6, now=SEEDED_AT, batch=600)
    first, second = busiest(), Team.objects.order_by("pk").first()
    assert second is not None and first != second
    members = list(User.objects.filter(team=first).order_by("pk").values_list("pk", flat=True))
    outsider = User.objects.exclude(team=first).exclude(team__isnull=True).order_by("pk").first()
    assert members and outsider is not None
    open_cases = Complaint.objects.filter(state__in=OPEN).order_by("pk")
    # Members' cases of another team, and of no team: counted once, by owner.
    mine = list(open_cases.filter(owner_id__in=members).values_list("pk", flat=True))
    Complaint.objects.filter(pk__in=mine[0::5]).update(team=second)
    Complaint.objects.filter(pk__in=mine[1::5]).update(team=None)
    # The team's cases owned by an outsider, and by no one: counted once, by team.
    others = list(open_cases.exclude(team=first).exclude(owner_id__in=members).values_list("pk", flat=True))
    Complaint.objects.filter(pk__in=others[0::7]).update(team=first)
    Complaint.objects.filter(pk__in=others[0::14]).update(team=first, owner=None)
    theirs = list(open_cases.filter(team=first).exclude(owner_id__in=members).values_list("pk", flat=True))
    ours = list(open_cases.filter(team=first, owner_id__in=members).values_list("pk", flat=True))
    Complaint.objects.filter(pk__in=ours[0::4]).update(owner=outsider)
    Complaint.objects.filter(pk__in=ours[1::4] + theirs[0::3]).update(owner=None)


def by_the_or(complaints, team: Team, members: list[int], when: workload.Horizon) -> dict:
    """The figures as they were read before: one query under the OR of ``of_team``."""
    counted = (
        workload.team_cases(complaints, team, members)
        .order_by()
        .values(who=Coalesce("owner_id", Value(0)))
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(next_due_at__lt=when.now)),
            soon=Count("pk", filter=when.soon()),
        )
    )
    return {row.pop("who") or None: row for row in counted}


def readers() -> list[User]:
    """A Senior Manager who sees every organisation, and a Resolution Officer who sees one."""
    officer = User.objects.filter(role=Role.RESOLUTION_OFFICER, team__isnull=False).order_by("pk").first()
    assert officer is not None
    return [User.objects.get(username=MANAGER), officer]


@pytest.mark.django_db
def test_the_two_halves_count_what_the_or_counted():
    varied()
    when = workload.horizon(NOW)
    compared = 0
    for reader in readers():
        complaints = complaints_for(reader)
        for team in Team.objects.order_by("pk"):
            members = workload.members_of(team)
            found = workload.team_counts(
                complaints,
                team,
                members,
                open=Count("pk"),
                overdue=Count("pk", filter=Q(next_due_at__lt=when.now)),
                soon=Count("pk", filter=when.soon()),
            )
            expected = by_the_or(complaints, team, members, when)
            assert found == expected, (reader.username, team.name)
            compared += sum(row["open"] for row in expected.values())
    assert compared > 100  # real figures, not empty teams
    # Both branches of the OR are there (the data is varied as intended).
    first = busiest()
    members = workload.members_of(first)
    assert Complaint.objects.filter(state__in=OPEN, owner_id__in=members).exclude(team=first).exists()
    assert Complaint.objects.filter(state__in=OPEN, team=first, owner__isnull=True).exists()


def plan_nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.django_db(transaction=True)  # so that VACUUM runs: index-only scans need its visibility map
@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's")
def test_the_team_counts_read_indexes_only_on_postgresql():
    seed(3000, seed=7, now=SEEDED_AT)
    vacuum_and_analyse()
    when = workload.horizon(NOW)
    manager = User.objects.get(username=MANAGER)
    assert manager.team_id is not None
    with CaptureQueriesContext(connection) as queries:
        workload.team_queue(complaints_for(manager), manager, when)
        workload.team_workload(complaints_for(manager), manager.team, when)
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "GROUP BY" in q["sql"]]
    assert len(counting) == 2  # the queue's counts and the team page's
    for sql in counting:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            found = cursor.fetchone()[0]
        plan = json.loads(found) if isinstance(found, str) else found
        scans = [
            node["Node Type"]
            for node in plan_nodes(plan[0]["Plan"])
            if node.get("Relation Name") == "cases_complaint"
        ]
        assert scans == ["Index Only Scan", "Index Only Scan"], (scans, sql)


@pytest.mark.django_db
def test_a_team_of_no_one_seen_by_no_one_counts_nothing():
    """An empty list of members, or a reader who may see no case, is no query error: no figures."""
    varied()
    team = busiest()
    assert (
        workload.team_counts(Complaint.objects.none(), team, workload.members_of(team), open=Count("pk"))
        == {}
    )
    found = workload.team_counts(Complaint.objects.all(), team, [], open=Count("pk"))
    assert (
        sum(row["open"] for row in found.values())
        == Complaint.objects.filter(state__in=OPEN, team=team).count()
    )
