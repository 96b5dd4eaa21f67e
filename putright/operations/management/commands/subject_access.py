"""``putright subject_access``: a customer's subject access export, as a zip (issue 15, sar).

The same export as the staff page (/work/subject-access/), for an operator answering a request
from the command line. The customer is named by id, email or a complaint reference; the actor
(``--actor USERNAME``) is the member of staff the case timelines name as having made it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from putright.accounts.models import User
from putright.reports.subject_access import CustomerNotFound, customer_for, make_export


class Command(BaseCommand):
    help = (
        "Write everything held about one customer to a zip (README.txt, customer.json, a summary "
        "per complaint, letters, emails, files), redacted, and record the export on each case."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--email", help="the customer's email address")
        who.add_argument("--reference", help="one of the customer's complaint references")
        who.add_argument("--customer-id", type=int, help="the customer's id")
        parser.add_argument("--out", required=True, type=Path, help="the zip file to write")
        parser.add_argument("--actor", help="the username of the member of staff making the export")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["actor"])
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists already; choose a new file")
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent} is not a folder")
        try:
            customer = customer_for(
                None,
                customer_id=options["customer_id"],
                email=options["email"],
                reference=options["reference"],
            )
        except CustomerNotFound as refused:
            raise CommandError(str(refused)) from refused
        partial = out.with_name(out.name + ".part")
        try:
            with partial.open("wb") as file:
                export = make_export(customer, file, actor=actor)
            partial.rename(out)
        finally:
            partial.unlink(missing_ok=True)
        redactions = sum(r["count"] for r in export.document["redactions"])
        self.stdout.write(
            f"Wrote {out}: {customer.full_name}, {len(export.complaints)} complaints, "
            f"{len(export.files)} letters, emails and files, {redactions} redactions. "
            "The export is recorded on each case's timeline."
        )


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as missing:
        raise CommandError(f"no active member of staff with the username {username!r}") from missing
