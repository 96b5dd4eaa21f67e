"""Approved "You said, we did" entries made directly (drafting and approval are another part's)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from putright.learning.models import EntryStatus, Theme, YouSaidEntry
from putright.learning.quarters import Quarter


def approved_entry(
    org, quarter: Quarter, *, drafted_by, approved_by, you_said, we_did, theme="damp_and_mould"
):
    now = timezone.now()
    return YouSaidEntry.objects.create(
        organisation=org,
        quarter_start=quarter.start,
        you_said=you_said,
        we_did=we_did,
        theme=Theme.objects.get(key=theme) if theme else None,
        status=EntryStatus.APPROVED,
        drafted_by=drafted_by,
        drafted_at=now - dt.timedelta(days=2),
        approved_by=approved_by,
        approved_at=now - dt.timedelta(days=1),
    )


def draft_entry(org, quarter: Quarter, *, drafted_by, you_said="A draft", we_did="Not yet"):
    return YouSaidEntry.objects.create(
        organisation=org,
        quarter_start=quarter.start,
        you_said=you_said,
        we_did=we_did,
        status=EntryStatus.DRAFT,
        drafted_by=drafted_by,
        drafted_at=timezone.now(),
    )
