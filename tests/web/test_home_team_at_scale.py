"""issue 16, home: "My work" and the team page cost the same however many complaints there are.

Over a database filled by ``putright bench seed`` (the demo's group, its staff and complaints
in every state over five years), as the group's Senior Manager, who sees every case, and as
the Resolution Officer with the most open cases: the same number of queries for a few hundred
complaints as for four times as many; and on PostgreSQL, no query of either page reads the
whole complaints table (``EXPLAIN (FORMAT JSON)`` of each, after ANALYZE).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, User
from putright.bench.seeding import seed
from putright.cases.bulk import vacuum_and_analyse
from putright.cases.models import Complaint
from putright.cases.selectors.workload import MY_CASES_SHOWN
from putright.procedure.states import OPEN
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db

NOW = "Mon 2026-06-15 12:00"
SEEDED_AT = dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC)
MANAGER = "rachel.turner"  # a Senior Manager of the group: sees every organisation's cases


def busiest_officer() -> User:
    officer = (
        User.objects.filter(role=Role.RESOLUTION_OFFICER, team__isnull=False)
        .annotate(n=Count("complaints", filter=Q(complaints__state__in=OPEN)))
        .order_by("-n", "username")
        .first()
    )
    assert officer is not None
    return officer


def pages(officer: User) -> list[tuple[str, str]]:
    """(username, URL): home and team as the manager, the manager on the officer's team, the officer."""
    return [
        (MANAGER, "/work/"),
        (MANAGER, "/work/team/"),
        (MANAGER, f"/work/team/?team={officer.team_id}"),
        (officer.username, "/work/"),
        (officer.username, "/work/team/"),
    ]


def captured(client, username: str, url: str) -> list[str]:
    """The SQL of each query the page reads, as the user."""
    with at(NOW):
        client.force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as queries:
            reply = client.get(url)
    assert reply.status_code == 200, (username, url)
    return [q["sql"] for q in queries]


def test_the_same_number_of_queries_for_few_complaints_or_four_times_as_many(client):
    seed(150, seed=1, now=SEEDED_AT, batch=150)
    officer = busiest_officer()
    few = {(who, url): len(captured(client, who, url)) for who, url in pages(officer)}
    seed(450, seed=2, now=SEEDED_AT, batch=450)
    assert Complaint.objects.count() == 600
    many = {(who, url): len(captured(client, who, url)) for who, url in pages(officer)}
    assert many == few
    assert max(many.values()) <= 20


def plan_nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's")
def test_no_query_of_either_page_reads_every_complaint_on_postgresql(client):
    """With enough rows that PostgreSQL weighs its indexes (and statistics fresh), every query of
    both pages that reads complaints reads them through an index."""
    seed(3000, seed=3, now=SEEDED_AT)
    vacuum_and_analyse()
    officer = busiest_officer()
    scanned = []
    for who, url in pages(officer):
        for sql in captured(client, who, url):
            if "cases_complaint" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                found = cursor.fetchone()[0]
            plan = json.loads(found) if isinstance(found, str) else found  # psycopg reads json itself
            for node in plan_nodes(plan[0]["Plan"]):
                if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "cases_complaint":
                    scanned.append((who, url, sql))
    assert not scanned, scanned


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's")
def test_actions_due_are_read_by_their_owner_and_by_my_cases_not_from_every_open_action(client):
    """issue 16, pgscale: "Actions due" looks up my open actions and my cases' open actions in their
    indexes. Given my cases as a sub-query, PostgreSQL read every open action of every case and
    joined them to mine by a hash (0.1-0.3 s at 1,000,000 complaints)."""
    seed(3000, seed=4, now=SEEDED_AT)
    vacuum_and_analyse()
    whole = []
    for who in (MANAGER, busiest_officer().username):
        for sql in captured(client, who, "/work/"):
            if "cases_action" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                found = cursor.fetchone()[0]
            plan = json.loads(found) if isinstance(found, str) else found
            for node in plan_nodes(plan[0]["Plan"]):
                scan = node["Node Type"] in ("Seq Scan", "Index Scan", "Index Only Scan")
                if scan and node.get("Relation Name") == "cases_action" and "Index Cond" not in node:
                    whole.append((who, node["Node Type"], node.get("Index Name"), sql))
    assert not whole, whole


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's")
def test_my_open_cases_are_read_in_the_pages_order_from_an_index_of_open_cases(client):
    """issue 16, pgscale: "My work" reads my open cases from an index that holds only open cases in
    the page's order; by (owner, next deadline) PostgreSQL read every case I ever owned that has
    a deadline and sorted the open ones (55 ms for a Senior Manager at 1,000,000 complaints)."""
    seed(3000, seed=5, now=SEEDED_AT)
    vacuum_and_analyse()
    manager = User.objects.get(username=MANAGER)
    mine = f'"cases_complaint"."owner_id" = {manager.pk}'
    listed = [
        sql
        for sql in captured(client, MANAGER, "/work/")
        if mine in sql
        and 'ORDER BY "cases_complaint"."next_due_at"' in sql
        and sql.endswith(f"LIMIT {MY_CASES_SHOWN}")
    ]  # my cases, the first MY_CASES_SHOWN (workload.my_cases)
    assert len(listed) == 1
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {listed[0]}")
        found = cursor.fetchone()[0]
    plan = json.loads(found) if isinstance(found, str) else found
    # Either index of open cases alone: at 3,000 complaints the planner may take the team counts'
    # covering index (0033) and sort my few open cases; at 1,000,000 it reads
    # complaint_open_owner_due in the page's order (0.6 ms, EXPLAIN ANALYZE on the bench's database).
    used = {node.get("Index Name") for node in plan_nodes(plan[0]["Plan"])}
    assert used & {"complaint_open_owner_due", "complaint_open_owner_cover"}, used
