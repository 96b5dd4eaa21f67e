"""How long "My work" and the team page take over a database already seeded (issue 16, home).

Requests the home page and the team page through Django's test client, as a Senior Manager of
the group (who sees every case) and as a Resolution Officer of the busiest team, and prints
for each the median and p95 milliseconds over ``--runs`` requests after one warm-up and the
number of queries per request. The team page is also read for the busiest team as the Senior
Manager (whose own team, the senior managers, has few cases of its own).

    export PUTRIGHT_DATA_DIR=$(mktemp -d)
    .venv/bin/putright migrate && .venv/bin/putright bench seed --complaints 100000
    .venv/bin/python benchmarks/home_team.py [--runs 20]

    createdb -h 127.0.0.1 -U postgres bench_home
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_home
    .venv/bin/putright migrate && .venv/bin/putright bench seed --complaints 100000
    .venv/bin/python benchmarks/home_team.py

Nothing is written to the database but the sessions of the signed-in users.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
django.setup()

from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import OrganisationKind, Role, User
from putright.cases.models import Complaint
from putright.procedure.states import OPEN

#: The demo's Head of Housing Services, whom ``putright bench seed`` creates.
DEMO_MANAGER = "rachel.turner"


def senior_manager() -> User:
    managers = User.objects.filter(
        role=Role.SENIOR_MANAGER, is_active=True, organisations__kind=OrganisationKind.GROUP
    )
    found = managers.filter(username=DEMO_MANAGER).first() or managers.order_by("username").first()
    if found is None:
        raise SystemExit("No Senior Manager of a group: seed the database with `putright bench seed` first.")
    return found


def busiest_officer() -> tuple[User, int]:
    """The Resolution Officer with the most open cases, and the team with the most open cases."""
    officer = (
        User.objects.filter(role=Role.RESOLUTION_OFFICER, is_active=True, team__isnull=False)
        .annotate(n=Count("complaints", filter=Q(complaints__state__in=OPEN)))
        .order_by("-n", "username")
        .first()
    )
    if officer is None:
        raise SystemExit("No Resolution Officer in a team: seed the database first.")
    team = (
        Complaint.objects.filter(state__in=OPEN, owner__team__isnull=False)
        .values("owner__team")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return officer, team["owner__team"] if team else officer.team_id


def measure(client: Client, url: str, runs: int) -> tuple[float, float, float, int, int]:
    """Median and p95 milliseconds over ``runs`` after one warm-up, the median milliseconds of the
    database alone (each query of a request run again and read to the end), queries per request,
    status."""
    client.get(url)
    timings, database, queries, status = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
        database.append(_database_ms([q["sql"] for q in captured]))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, statistics.median(database), queries, status


def _database_ms(statements: list[str]) -> float:
    """How long the reads take again, each fetched to the end (SQLite works as rows are fetched)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            if sql.lstrip().upper().startswith("SELECT"):
                cursor.execute(sql)
                cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="requests measured per URL (default 20)")
    options = parser.parse_args()
    senior = senior_manager()
    officer, busiest = busiest_officer()
    pages = [
        (senior, "home", "/work/"),
        (senior, "team (own)", "/work/team/"),
        (senior, "team (busiest)", f"/work/team/?team={busiest}"),
        (officer, "home", "/work/"),
        (officer, "team (own)", "/work/team/"),
    ]
    count = Complaint.objects.count()
    print(f"{count:,} complaints on {connection.vendor}, {options.runs} runs after a warm-up")
    print(f"{'who':<40}{'page':<16}{'median ms':>10}{'p95 ms':>9}{'db ms':>8}{'queries':>9}  status")
    for user, name, url in pages:
        client = Client()
        client.force_login(user)
        median, p95, database, queries, status = measure(client, url, options.runs)
        who = f"{user.username} ({user.get_role_display()})"
        print(f"{who:<40}{name:<16}{median:>10.1f}{p95:>9.1f}{database:>8.1f}{queries:>9}  {status}")


if __name__ == "__main__":
    main()
