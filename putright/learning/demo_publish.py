"""The demo's "You said, we did": four published quarters for each landlord, one corrected once.

Called once every complaint is in (``learning.demo.after_load``). For each landlord, the
four quarters before the current one get two to four approved entries each, drafted by
one of its resolution officers and approved by a senior manager of the group (never
the same person), then published a fortnight after the quarter ended with the figures
the demo's cases give. The second-latest quarter is corrected once: an entry approved
after publication is added, as version 2, a week later. A landlord that has published
already (a second load) is left as it is: publications are never changed.

The words are plain and free of personal data: no names, addresses, numbers or references.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from putright.accounts.models import Role
from putright.learning.models import (
    Publication,
    Theme,
    YouSaidEntry,
)
from putright.learning.quarters import Quarter
from putright.learning.services.publishing import publish_quarter
from putright.learning.services.you_said import approve_entry, draft_entry

#: (theme key, "You said", "We did").
ENTRIES: tuple[tuple[str, str, str], ...] = (
    (
        "damp_and_mould",
        "Mould came back in homes a few weeks after it had been treated.",
        (
            "We now visit every treated home again after six weeks, and look for the cause, "
            "not only the mould."
        ),
    ),
    (
        "responsive_repairs",
        "Repair appointments were missed and nobody told you.",
        (
            "Our repairs team now texts you the day before and on the morning of the visit, "
            "and calls you if the operative is running late."
        ),
    ),
    (
        "communication",
        "It was hard to find out what was happening with your complaint.",
        (
            "Your complaint handler now calls you every week until we send our response, even"
            " when there is no news."
        ),
    ),
    (
        "heating_and_hot_water",
        "Boiler repairs took too long in cold weather.",
        (
            "Our gas contractor now keeps common boiler parts in every van, and we check its "
            "response times each month."
        ),
    ),
    (
        "asb_handling",
        "Reports of anti-social behaviour were not followed up.",
        ("Every report now has a named officer and an action plan agreed with you within five working days."),
    ),
    (
        "rent_and_charges",
        "Service charge letters were hard to understand.",
        (
            "We rewrote the letters with residents from our scrutiny panel, and added a "
            "breakdown of every charge."
        ),
    ),
    (
        "neighbourhood",
        "Communal areas were not cleaned as often as promised.",
        (
            "Cleaning schedules are now on the noticeboard in each block, and our estate "
            "officers check them monthly."
        ),
    ),
    (
        "complaint_handling",
        "Complaints were passed between teams before anyone took ownership.",
        "Every complaint now has one handler from the day we receive it to the day we close it.",
    ),
    (
        "contractors",
        "Contractors left work unfinished and did not come back.",
        "We now sign off every repair with you before the contractor is paid.",
    ),
    (
        "staff_conduct",
        "Some staff were not polite on the phone.",
        (
            "All our customer-facing teams have had refresher training, and we listen to a "
            "sample of calls each week."
        ),
    ),
    (
        "lettings",
        "New homes were not clean or ready when you moved in.",
        (
            "We now inspect every empty home against a lettable standard the day before the "
            "keys are handed over."
        ),
    ),
    (
        "adaptations",
        "Adaptations took months to be fitted after they were approved.",
        (
            "We agreed a new target with our adaptations contractor and report progress to "
            "residents every quarter."
        ),
    ),
)

#: The demo's landlords (cases.demo.organisations.LANDLORDS), without importing the demo's internals.
LANDLORDS = ("FH", "SH", "VHT")
CORRECTION = "An entry approved after the first publication has been added."


def publish_demo_quarters(staff: Any, now: dt.datetime) -> None:
    """Four published quarters per landlord, as described above."""
    seniors = staff.of(Role.SENIOR_MANAGER)
    themes = {t.key: t for t in Theme.objects.select_related("parent")}
    current = Quarter.containing(timezone.localdate(now))
    quarters = [current.previous()]
    for _ in range(3):
        quarters.append(quarters[-1].previous())
    for short in LANDLORDS:
        organisation = staff.organisations[short]
        if Publication.objects.filter(organisation=organisation).exists():
            continue
        drafters = staff.of(Role.RESOLUTION_OFFICER, short) or staff.of(Role.RESOLUTION_OFFICER)
        rng = random.Random(f"you-said-{short}")  # noqa: S311 - repeatable made-up data, not security
        for index, quarter in enumerate(reversed(quarters)):
            corrected = index == 2  # the second-latest quarter
            chosen = rng.sample(ENTRIES, rng.randint(3 if corrected else 2, 4))
            first, late = (chosen[:-1], chosen[-1:]) if corrected else (chosen, [])
            published_at = _at(quarter.end + dt.timedelta(days=14), now)
            approver = seniors[index % len(seniors)]
            for words in first:
                _approved(organisation, quarter, words, themes, rng.choice(drafters), approver, published_at)
            publish_quarter(organisation, quarter, approver, now=published_at)
            if late:
                corrected_at = _at(quarter.end + dt.timedelta(days=21), now)
                _approved(
                    organisation, quarter, late[0], themes, rng.choice(drafters), approver, corrected_at
                )
                publish_quarter(organisation, quarter, approver, CORRECTION, now=corrected_at)


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    """10:00 in London on the day, but never after the demo's now."""
    when = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())
    return min(when, now)


def _approved(
    organisation: Any,
    quarter: Quarter,
    words: tuple[str, str, str],
    themes: dict[str, Theme],
    drafter: Any,
    approver: Any,
    before: dt.datetime,
) -> YouSaidEntry:
    """An entry drafted three days before ``before`` and approved the day before, through the
    services a caseworker and a manager use, so the personal-data check reads every demo entry."""
    key, you_said, we_did = words
    drafted_at, approved_at = before - dt.timedelta(days=3), before - dt.timedelta(days=1)
    entry = draft_entry(
        organisation, quarter, you_said, we_did, themes.get(key), [], [], drafter, occurred_at=drafted_at
    )
    return approve_entry(entry, approver, occurred_at=approved_at)
