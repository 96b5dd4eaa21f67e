"""``putright housekeeping``: forget what the public pages no longer need.

Drafts nobody has touched for the drafts' retention period go, with their files
(a half-written complaint holds a person's name, address and story), and
rate-limit attempts older than theirs go too: 30 and 2 days unless the landlord
set otherwise (issue 15, retention: ``putright retention --show``). The daily
``putright retention`` run does this and the rest; this command is kept for
those who run it by hand. Running it twice removes nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from putright.cases.services import retention
from putright.portal import drafts, limits


class Command(BaseCommand):
    help = (
        "Delete drafts not updated within their retention period (and their files) and rate-limit "
        "attempts older than theirs (30 and 2 days by default)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        gone, files = drafts.forget_stale(now)
        attempts = limits.forget_before(retention.period(retention.RecordType.RATE_LIMIT_ATTEMPTS).cut(now))
        self.stdout.write(f"Removed {gone} old draft(s) with {files} file(s).")
        self.stdout.write(f"Removed {attempts} old rate-limit attempt(s).")
