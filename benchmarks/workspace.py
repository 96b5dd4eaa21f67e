"""How fast the workspace's pages are over a large database.

Fills a fresh database with N complaints (default 200,000) spread over
organisations, owners and states, each with its open deadlines, then
requests each main page of the workspace several times as a Resolution
Officer and prints the median time and the number of queries.

    PUTRIGHT_DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/workspace.py [N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench \
        .venv/bin/python benchmarks/workspace.py [N]

Create the PostgreSQL database first (createdb -h 127.0.0.1 -U postgres putright_bench);
it is emptied before filling (every table is flushed).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role, Team, User
from putright.bench.stories import reference as numbered_reference  # random ones could clash in a batch
from putright.cases.models import Complaint, Customer, Deadline
from putright.cases.policies import register_current_policy
from putright.procedure.states import OPEN, State

BATCH = 5_000
STATES = [State.RECEIVED, State.STAGE1, State.STAGE1_RESPONDED, State.STAGE2, State.CLOSED, State.CLOSED]
WORDS = [
    "leak",
    "roof",
    "damp",
    "mould",
    "boiler",
    "heating",
    "repair",
    "window",
    "door",
    "noise",
    "rent",
    "charge",
    "fence",
    "garden",
]


def fill(count: int) -> User:
    random.seed(2026)
    group = Organisation.objects.create(name="Bench Group", short_name="BG", kind=OrganisationKind.GROUP)
    orgs = [
        Organisation.objects.create(
            name=f"Bench Landlord {n}", short_name=f"BL{n}", kind=OrganisationKind.LANDLORD, parent=group
        )
        for n in range(4)
    ]
    teams = [Team.objects.create(name=f"Team {n}", organisation=org) for n, org in enumerate(orgs)]
    officers = []
    for n in range(40):
        user = User.objects.create_user(
            username=f"officer{n}",
            password="bench-password-1",
            role=Role.RESOLUTION_OFFICER,
            team=teams[n % 4],
        )
        user.organisations.add(group)
        officers.append(user)
    policy = register_current_policy()
    now = timezone.now()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(
                    organisation=orgs[(made + i) % 4],
                    first_name=f"Resident{made + i}",
                    last_name=random.choice(["Smith", "Jones", "Patel", "Okafor", "Evans"]),
                    postcode=f"NR{(made + i) % 30} {(made + i) % 9}AB",
                )
                for i in range(size)
            )
            complaints = []
            for i, customer in enumerate(customers):
                state = random.choice(STATES)
                received = now - dt.timedelta(days=random.randint(0, 700), minutes=random.randint(0, 600))
                owner = None if state == State.RECEIVED else random.choice(officers)
                complaints.append(
                    Complaint(
                        reference=numbered_reference(made + i),
                        organisation=customer.organisation,
                        customer=customer,
                        policy=policy,
                        channel="phone",
                        received_at=received,
                        category="service_failure",
                        summary=" ".join(random.sample(WORDS, 3)),
                        description="Bench complaint " + " ".join(random.sample(WORDS, 6)),
                        state=state.value,
                        stage=0 if state == State.RECEIVED else (2 if state == State.STAGE2 else 1),
                        owner=owner,
                        team=owner.team if owner else None,
                    )
                )
            for c in complaints:
                if State(c.state) in OPEN and c.state != State.RECEIVED:
                    c.next_due_at, c.next_due_name = c.received_at + dt.timedelta(days=14), "stage1.response"
            complaints = Complaint.objects.bulk_create(complaints)
            Deadline.objects.bulk_create(
                Deadline(
                    complaint=c,
                    name="stage1.response",
                    clock_started_at=c.received_at,
                    due_at=c.received_at + dt.timedelta(days=14),
                    original_due_at=c.received_at + dt.timedelta(days=14),
                )
                for c in complaints
                if State(c.state) in OPEN and c.state != State.RECEIVED
            )
        made += size
        print(f"  {made:,} complaints", end="\r", flush=True)
    print()
    return officers[0]


def measure(client: Client, path: str, repeats: int = 7) -> tuple[float, int, int]:
    timings = []
    queries = 0
    status = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return statistics.median(timings), queries, status


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"Filling {connection.vendor} with {count:,} complaints…")
    started = time.perf_counter()
    officer = fill(count)
    print(f"Filled in {time.perf_counter() - started:.0f} s.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(officer)
    sample = Complaint.objects.filter(owner=officer).values_list("reference", flat=True).first()
    pages = [
        ("my work", "/work/"),
        ("all complaints", "/work/complaints/"),
        ("complaints, page 50", "/work/complaints/?page=50"),
        ("search 'damp mould'", "/work/complaints/?q=damp+mould"),
        ("overdue filter", "/work/complaints/?overdue=yes"),
        ("team", "/work/team/"),
        ("a case", f"/work/complaints/{sample}/"),
    ]
    print(f"{'page':<24}{'median ms':>10}{'queries':>9}{'status':>8}")
    for name, path in pages:
        median, queries, status = measure(client, path)
        print(f"{name:<24}{median:>10.1f}{queries:>9}{status:>8}")


if __name__ == "__main__":
    main()
