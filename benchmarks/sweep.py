"""How fast the deadline sweep is over many open cases.

Fills a fresh database with N open complaints (default 20,000), each with a
stage 1 response deadline spread over the month around today, owned by 40
officers in four teams with leads, and one case in five with an open agreed
action dated over the same month (one in five of those given to nobody, so
the case's owner is told), then times the first sweep (a reminder for every
deadline missed, due today or due soon, and for every action overdue) and a
second one (nothing new), and prints seconds, deadline reminders, action
reminders, emails and queries.

    PUTRIGHT_DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/sweep.py [N]
    createdb -h 127.0.0.1 -U postgres putright_bench_sweep
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench_sweep \
        .venv/bin/python benchmarks/sweep.py [N]
    dropdb -h 127.0.0.1 -U postgres putright_bench_sweep

The database is emptied before filling (every table is flushed).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from workspace import numbered_reference  # also sets Django up

from putright.accounts.models import Organisation, OrganisationKind, Role, Team, User
from putright.cases.models import Action, Complaint, Customer, Deadline
from putright.cases.policies import register_current_policy
from putright.comms.models import ActionReminder, OutboundEmail, Reminder
from putright.comms.reminders.sweep import sweep
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.states import State

BATCH = 5_000
#: Deadlines fall from this many days ago to this many days ahead.
SPREAD_DAYS = 15
#: One case in this many has an open agreed action.
ACTION_EVERY = 5


def staff(org: Organisation) -> list[User]:
    teams = [Team.objects.create(name=f"Team {n}", organisation=org) for n in range(4)]
    officers = []
    for n in range(44):
        user = User.objects.create_user(
            username=f"officer{n}",
            email=f"officer{n}@example.org",
            first_name=f"Officer{n}",
            last_name="Bench",
            role=Role.RESOLUTION_OFFICER,
            team=teams[n % 4],
        )
        user.organisations.add(org)
        officers.append(user)
    for team, lead in zip(teams, officers[40:], strict=True):
        team.lead = lead
        team.save(update_fields=["lead"])
    return officers[:40]


def fill(count: int) -> None:
    random.seed(2027)
    org = Organisation.objects.create(name="Bench Landlord", short_name="BL", kind=OrganisationKind.LANDLORD)
    officers = staff(org)
    policy = register_current_policy()
    calendar = WorkingCalendar()
    today = calendar.local(timezone.now()).date()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(
                    organisation=org, first_name=f"Resident{made + i}", last_name="Smith", postcode="NR1 1AA"
                )
                for i in range(size)
            )
            complaints = []
            for i, customer in enumerate(customers):
                owner = random.choice(officers)
                due = calendar.end_of_day(
                    today + dt.timedelta(days=random.randint(-SPREAD_DAYS, SPREAD_DAYS))
                )
                complaints.append(
                    Complaint(
                        reference=numbered_reference(made + i),
                        organisation=org,
                        customer=customer,
                        policy=policy,
                        channel="phone",
                        received_at=due - dt.timedelta(days=14),
                        category="service_failure",
                        summary="Bench complaint",
                        description="Bench complaint",
                        state=State.STAGE1.value,
                        stage=1,
                        owner=owner,
                        team=owner.team,
                        next_due_at=due,
                        next_due_name="stage1.response",
                    )
                )
            complaints = Complaint.objects.bulk_create(complaints)
            Deadline.objects.bulk_create(
                Deadline(
                    complaint=c,
                    name="stage1.response",
                    clock_started_at=c.received_at,
                    due_at=c.next_due_at,
                    original_due_at=c.next_due_at,
                )
                for c in complaints
            )
            Action.objects.bulk_create(
                Action(
                    complaint=c,
                    stage_number=1,
                    description="Bench action",
                    owner=None if random.random() < 0.2 else random.choice(officers),
                    due_on=today + dt.timedelta(days=random.randint(-SPREAD_DAYS, SPREAD_DAYS)),
                    agreed_at=c.received_at,
                )
                for n, c in enumerate(complaints)
                if (made + n) % ACTION_EVERY == 0
            )
        made += size
        print(f"  {made:,} complaints", end="\r", flush=True)
    print()


def timed(label: str, now: dt.datetime) -> None:
    reminders, emails = Reminder.objects.count(), OutboundEmail.objects.count()
    action_reminders = ActionReminder.objects.count()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = sweep(now)
        seconds = time.perf_counter() - started
    print(
        f"{label:<14}{seconds:>9.2f}{Reminder.objects.count() - reminders:>11,}"
        f"{ActionReminder.objects.count() - action_reminders:>9,}"
        f"{OutboundEmail.objects.count() - emails:>9,}{len(captured):>9}   {result}"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    actions = count // ACTION_EVERY
    print(f"Filling {connection.vendor} with {count:,} open complaints and {actions:,} open actions…")
    started = time.perf_counter()
    fill(count)
    print(f"Filled in {time.perf_counter() - started:.0f} s.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # A working day at ten, so that every level is sent (no waiting for Monday).
    calendar = WorkingCalendar()
    day = calendar.local(timezone.now()).date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    now = dt.datetime.combine(day, dt.time(10), tzinfo=calendar.tz)
    print(f"{'sweep':<14}{'seconds':>9}{'reminders':>11}{'actions':>9}{'emails':>9}{'queries':>9}")
    timed("first", now)
    timed("second", now)


if __name__ == "__main__":
    main()
