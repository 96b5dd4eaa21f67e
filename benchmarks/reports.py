"""How long the reports take over a database already seeded (issue 13).

Requests each reports page and endpoint, and the workspace's home, list and a case page
for comparison, through Django's test client as someone who sees every organisation (a
Senior Manager of the group), and prints for each the median and p95 milliseconds over
``--runs`` requests after one warm-up, the number of queries per request and the status.
A URL that answers 404 is reported as "not built" (its branch is not merged yet).

Fill the database first with ``putright bench seed`` (it refuses one that has complaints):

    export PUTRIGHT_DATA_DIR=$(mktemp -d)
    .venv/bin/putright migrate && .venv/bin/putright bench seed --complaints 10000
    .venv/bin/python benchmarks/reports.py [--runs 10] [--user rachel.turner]

    createdb -h 127.0.0.1 -U postgres putright_bench_100k
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench_100k
    .venv/bin/putright migrate && .venv/bin/putright bench seed --complaints 100000
    .venv/bin/python benchmarks/reports.py

Nothing is written to the database but the session of the signed-in user.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import OrganisationKind, Role, User
from putright.cases.models import Complaint

#: (name, URL): the reports of issue 13, then workspace pages to compare with. ``{case}`` is
#: the reference of a recent stage 2 complaint.
PAGES = [
    ("dashboard, year 2025-26", "/work/reports/?period=2025-26"),
    ("dashboard, quarter 2026-Q2", "/work/reports/?period=2026-Q2"),
    ("TSM report 2025-26", "/work/reports/tsm/?year=2025-26"),
    ("API TSM 2025-26", "/api/v1/reports/tsm?year=2025-26"),
    ("API dashboard 2025-26", "/api/v1/reports/dashboard?period=2025-26"),
    ("home", "/work/"),
    ("complaints list", "/work/complaints/"),
    ("a case", "/work/complaints/{case}/"),
]


#: The demo's Head of Housing Services, whom ``putright bench seed`` creates.
DEMO_MANAGER = "rachel.turner"


def group_viewer(username: str | None) -> User:
    """The named user, or a Senior Manager whose organisations include a group (so sees every case)."""
    if username:
        return User.objects.get(username=username)
    managers = User.objects.filter(
        role=Role.SENIOR_MANAGER, is_active=True, organisations__kind=OrganisationKind.GROUP
    )
    found = managers.filter(username=DEMO_MANAGER).first() or managers.order_by("username").first()
    if found is None:
        raise SystemExit("No Senior Manager of a group: seed the database with `putright bench seed` first.")
    return found


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int, int]:
    """Median and p95 milliseconds over ``runs`` after one warm-up, queries per request, status."""
    client.get(url)
    timings, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
        if status == 404:
            break
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="requests measured per URL (default 10)")
    parser.add_argument("--user", help="username to request as (default: a Senior Manager of the group)")
    options = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a page not built yet is a 404, said once
    user = group_viewer(options.user)
    client = Client()
    client.force_login(user)
    case = (
        Complaint.objects.filter(stage=2).order_by("-received_at").values_list("reference", flat=True).first()
    )
    count = Complaint.objects.count()
    print(
        f"{count:,} complaints on {connection.vendor}, as {user.username} ({user.get_role_display()}), "
        f"{options.runs} runs after a warm-up"
    )
    print(f"{'page':<30}{'median ms':>10}{'p95 ms':>9}{'queries':>9}  status")
    for name, url in PAGES:
        median, p95, queries, status = measure(client, url.format(case=case), options.runs)
        if status == 404:
            print(f"{name:<30}{'':>10}{'':>9}{'':>9}  not built")
        else:
            print(f"{name:<30}{median:>10.1f}{p95:>9.1f}{queries:>9}  {status}")


if __name__ == "__main__":
    main()
