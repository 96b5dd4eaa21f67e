"""``putright demo``: load made-up but believable data to try putright with.

``putright demo [--complaints N] [--seed S]`` loads the demo into an empty
database; ``--if-empty`` loads it only when there are no complaints yet (for a
start-up script) and ``--reset`` deletes every complaint and customer first.
Either way it ends with the logins. It refuses to run in production.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, F
from django.utils import timezone

from putright.accounts.models import Role, User
from putright.cases import demo
from putright.cases.models import Action, Complaint, Concern, Customer, Deadline, Extension, TimelineEvent
from putright.procedure.states import State

PASSWORD_VARIABLE = "PUTRIGHT_DEMO_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Load demo data: the Flagship Group, its companies and staff in every role, customers, and "
        "complaints in every state of the procedure, made through the real services. Every demo account "
        f"has one password: ${PASSWORD_VARIABLE}, or {demo.DEFAULT_PASSWORD!r}. Refuses to run in production."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--complaints", type=int, default=300, help="how many complaints (default 300)")
        parser.add_argument("--seed", type=int, default=2026, help="seed for repeatable data (default 2026)")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--if-empty", action="store_true", help="load only if there are no complaints yet")
        when.add_argument(
            "--reset", action="store_true", help="delete every complaint and customer first, then load"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "putright demo refuses to run in production (PUTRIGHT_ENV=production): it makes up "
                "complaints and staff accounts that share a published password."
            )
        if options["complaints"] < 1:
            raise CommandError("--complaints must be at least 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date: run `putright migrate` first.")
        password = os.environ.get(PASSWORD_VARIABLE) or demo.DEFAULT_PASSWORD
        existing = Complaint.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"Demo data not loaded: there are already {existing} complaints.\n")
            self._logins(password, loaded_now=False)
            return
        if existing and not options["reset"]:
            raise CommandError(
                f"There are already {existing} complaints. Use --reset to delete them (and every customer) "
                "and load the demo, or --if-empty to leave them as they are."
            )
        with transaction.atomic():  # a failed load leaves the old data in place
            if options["reset"]:
                deleted = demo.reset()
                self.stdout.write(f"Deleted {deleted} complaints, their timelines and every customer.")
            self.stdout.write(f"Loading {options['complaints']} demo complaints (seed {options['seed']})…")
            started = time.monotonic()
            demo.load(complaints=options["complaints"], seed=options["seed"], password=password)
        self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s.\n")
        self._summary()
        self._logins(password, loaded_now=True)

    def _summary(self) -> None:
        by_state = dict(Complaint.objects.values_list("state").annotate(n=Count("pk")).order_by())
        reasons = Counter(
            Complaint.objects.filter(state=State.NOT_ACCEPTED).values_list("exclusion_reason", flat=True)
        )
        width = max(len(s.label) for s in State)
        lines = ["Complaints by state:"]
        for state in State:
            lines.append(f"  {state.label:<{width}}  {by_state.get(state.value, 0):>5}")
            if state is State.NOT_ACCEPTED and reasons:
                detail = ", ".join(f"{r.replace('_', ' ')} {n}" for r, n in sorted(reasons.items()))
                lines[-1] += f"  ({detail})"
        lines.append(f"  {'Total':<{width}}  {sum(by_state.values()):>5}")
        now = timezone.now()
        overdue = Deadline.objects.filter(met_at=None, cancelled_at=None, due_at__lt=now).count()
        open_actions = Action.objects.filter(completed_at=None)
        late_actions = open_actions.filter(due_on__lt=timezone.localdate()).count()
        lines += [
            "",
            f"Customers: {Customer.objects.count()}; timeline events: {TimelineEvent.objects.count()}.",
            (
                f"Deadlines missed: {_missed(now)}, of which {overdue} still open; "
                f"extensions: {Extension.objects.count()}."
            ),
            (
                f"Actions open: {open_actions.count()} ({late_actions} overdue); "
                f"concerns flagged: {Concern.objects.count()}."
            ),
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _logins(self, password: str, *, loaded_now: bool) -> None:
        users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in demo.STAFF])}
        if not users:
            self.stdout.write("There are no demo accounts in this database.")
            return
        # Every demo account was given the same hash; check the password against it once (slow by design)
        # without the upgrade-on-login that check_password on a user would save.
        stored = users["admin"].password if "admin" in users else ""
        demo_hash = stored if stored and (loaded_now or check_password(password, stored)) else None
        rows = [("Username", "Role", "Password", "Job title")]
        for member in demo.STAFF:
            user = users.get(member.username)
            if user is None:
                continue
            shown = password if demo_hash and user.password == demo_hash else "(changed since loading)"
            rows.append((user.username, Role(user.role).label, shown, user.job_title))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(
            "Demo logins for the workspace at /work/ (admin is a superuser: it sets up a code from an "
            "authenticator app at first sign-in, then may use the Django admin at /admin/):"
        )
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
            )


def _missed(now: dt.datetime) -> int:
    """Deadlines met late, and those still open past their date."""
    late = Deadline.objects.filter(met_at__gt=F("due_at")).count()
    return late + Deadline.objects.filter(met_at=None, cancelled_at=None, due_at__lt=now).count()
