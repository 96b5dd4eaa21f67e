"""``putright erase CUSTOMER_ID --reason TEXT [--dry-run] [--actor USERNAME]`` (issue 15, anonymise).

The customer's right to erasure from the command line, through the same path as the staff page
(/work/customers/ID/erase): every complaint of the customer anonymised and the customer too,
refused (nothing changed, each open or held complaint named) while any is open or under legal
hold. ``--dry-run`` lists what would go and changes nothing.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from putright.accounts.models import User
from putright.cases.errors import CaseError
from putright.cases.models import Customer
from putright.cases.services.anonymisation import erase_customer, erasure_plan


class Command(BaseCommand):
    help = (
        "Erase a customer's personal data: anonymise each of their complaints and the customer "
        "(refused while any is open or under legal hold). --dry-run lists what would go."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("customer_id", type=int, help="the customer's id")
        parser.add_argument("--reason", required=True, help="why (the case timelines record it)")
        parser.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
        parser.add_argument("--actor", help="the username of the member of staff erasing")

    def handle(self, *args: Any, **options: Any) -> None:
        reason = options["reason"].strip()
        if not reason:
            raise CommandError("give a reason (--reason TEXT)")
        actor = _actor(options["actor"])
        customer = Customer.objects.filter(pk=options["customer_id"]).first()
        if customer is None:
            raise CommandError(f"No customer has the id {options['customer_id']}.")
        plan = erasure_plan(customer)
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was changed. Erasing customer {customer.pk} would remove:")
            self.stdout.write("- the customer's name, contact details, address and tenancy reference")
            for what, count in plan.counts.items():
                self.stdout.write(f"- {count} {what}")
            for case in plan.complaints:
                state = "already anonymised" if case.anonymised_at else "anonymised"
                self.stdout.write(f"  {case.reference}: {state}")
            for blocker in plan.blockers:
                self.stdout.write(f"Refused: {blocker}")
            return
        try:
            erase_customer(customer, actor=actor, reason=reason)
        except CaseError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            f"Erased customer {customer.pk}: {len(plan.complaints)} complaint(s) anonymised "
            f"({', '.join(c.reference for c in plan.complaints) or 'none'}), the figures kept."
        )


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist as missing:
        raise CommandError(f"no active member of staff with the username {username!r}") from missing
