"""``putright deadlines START``: every deadline of the policy as if each clock started at START.

For the member of staff asked "when will I hear back?".
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.procedure import loader
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import listing, parse_start, policy_deadlines
from putright.procedure.policy import Nation


class Command(BaseCommand):
    help = "Print every deadline of the policy as if each of its clocks started at START."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "start",
            metavar="START",
            help="ISO 8601 date-time, e.g. 2026-12-23T16:30 (London time) or 2026-12-23T16:30:00+00:00",
        )
        parser.add_argument("--policy", help="policy file or built-in name (default: the policy in force)")
        parser.add_argument(
            "--nation",
            choices=[n.value for n in Nation],
            help="whose bank holidays count (default: the policy's)",
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = loader.load(options["policy"] or settings.PUTRIGHT_POLICY)
        except loader.PolicyError as error:
            problems = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(f"{error.source} is not a valid policy:\n{problems}", returncode=2) from None
        policy = loaded.policy
        nation = Nation(options["nation"]) if options["nation"] else None
        calendar = WorkingCalendar.from_rules(policy.calendar, nation=nation)
        try:
            start = parse_start(options["start"], calendar)
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        deadlines = policy_deadlines(policy, calendar, start)
        if options["json"]:
            body = {
                "start": start.isoformat(),
                "policy": {"name": policy.name, "version": policy.version},
                "nation": calendar.nation.value,
                "deadlines": listing(policy, calendar, start),
            }
            self.stdout.write(json.dumps(body, indent=2))
            return
        self.stdout.write(f"{policy.name}, version {policy.version}; {calendar.nation.value} bank holidays")
        self.stdout.write(f"Each clock started at {start:%A %d %B %Y %H:%M %Z}")
        self.stdout.write("")
        width = max(len(d.name) for d in deadlines)
        for d in deadlines:
            local = calendar.local(d.due_at)
            self.stdout.write(f"{d.name.ljust(width)}  {local:%a %d %b %Y %H:%M}  {d.rule}")
