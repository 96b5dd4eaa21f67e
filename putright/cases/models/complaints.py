"""The complaint, its points, and the policy it was opened under."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from putright.accounts.models import StockType
from putright.cases.models.copied import ComplaintCopy
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import OPEN, State


class PolicyRecord(models.Model):
    """The exact text of a policy version, kept so a policy change never rewrites the past."""

    name = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    approved_on = models.DateField()
    digest = models.CharField(max_length=64)
    text = models.TextField()
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="policy_version_unique")]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    SOCIAL_MEDIA = "social_media", "Social media"
    REPRESENTATIVE = "representative", "Through a representative"


STATE_CHOICES = [(s.value, s.label) for s in State]
EXCLUSION_CHOICES = [(r.value, r.value.replace("_", " ").capitalize()) for r in ExclusionReason]


class Complaint(models.Model):
    reference = models.CharField(max_length=12, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="complaints"
    )
    customer = models.ForeignKey("cases.Customer", on_delete=models.PROTECT, related_name="complaints")
    representative = models.ForeignKey(
        "cases.Representative", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    policy = models.ForeignKey(PolicyRecord, on_delete=models.PROTECT, related_name="complaints")

    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(help_text="When the complaint reached us, however it came.")
    matter_date = models.DateField(null=True, blank=True, help_text="When the matter happened.")
    became_aware_on = models.DateField(
        null=True, blank=True, help_text="When the customer became aware of it, if later."
    )
    category = models.CharField(max_length=40, help_text="The policy's reason to complain.")
    summary = models.CharField(max_length=200)
    description = models.TextField(help_text="What went wrong, in the customer's words.")
    desired_outcome = models.TextField(blank=True, help_text="What the customer wants to put it right.")
    # reports (issue 13): the regulator counts complaints per 1,000 homes of each stock type.
    stock_type = models.CharField(
        max_length=4,
        choices=StockType.choices,
        blank=True,
        help_text="The stock type of the home it is about, from the customer's tenure at intake; "
        "blank when it is not about a home we own.",
    )

    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=State.RECEIVED.value)
    stage = models.PositiveSmallIntegerField(
        default=0, help_text="Highest stage reached: 0 triage, 3 appeal."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )

    exclusion_reason = models.CharField(max_length=40, choices=EXCLUSION_CHOICES, blank=True)
    triage_note = models.TextField(blank=True)
    signposted_to = models.CharField(max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="new_matters"
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )

    #: The nearest open deadline, kept up to date by every step (``case_step``), so
    #: that lists can sort and filter by it with an index at any size.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_due_name = models.CharField(max_length=40, blank=True, editable=False)

    final_response_at = models.DateTimeField(null=True, blank=True)
    ombudsman_direct_from = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The one-time key of the form that logged it, so a second submission finds it.",
    )

    # issue 14, importer: a complaint brought in from the landlord's old system keeps that
    # system's name and its reference there, beside putright's own reference. The database
    # default lets the version before this one go on logging complaints while it migrates.
    source_system = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="The system it was imported from, if any.",
    )
    source_reference = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text="Its reference in the system it was imported from.",
    )

    # issue 15, retention: a case under legal hold is never anonymised, however old (a claim, an
    # Ombudsman investigation, a court order); once anonymised, the person is gone and the
    # figures stay (putright/cases/services/anonymisation.py). Database defaults, so the
    # version before this one can go on writing complaints while it migrates.
    legal_hold_since = models.DateTimeField(null=True, blank=True)
    legal_hold_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    anonymised_at = models.DateTimeField(null=True, blank=True)

    #: Bumped by every step: a step made on a stale copy of the case is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organisation", "state"], name="complaint_org_state"),
            # issue 16, home: with the organisation, so that a person's open cases in the
            # organisations someone may see are read from this index alone (it replaces
            # (owner, state), which it serves too). With the id (on PostgreSQL, which covers an
            # index with columns it does not sort by) so that "Actions due" reads a person's cases'
            # ids from it alone, not from a table page for each case they ever owned.
            models.Index(
                fields=["owner", "state", "organisation"], include=["id"], name="complaint_owner_state_org_id"
            ),
            models.Index(fields=["state", "received_at"], name="complaint_state_received"),
            models.Index(fields=["customer"], name="complaint_customer"),
            models.Index(fields=["next_due_at"], name="complaint_next_due"),
            # issue 16, search: the default order whole (ties by id), so a page of a search that
            # matches many reads the first complaints in order instead of sorting every match.
            models.Index(fields=["next_due_at", "id"], name="complaint_next_due_id"),
            models.Index(fields=["organisation", "next_due_at"], name="complaint_org_next_due"),
            models.Index(fields=["owner", "next_due_at"], name="complaint_owner_next_due"),
            # issue 16, pgscale: "My work" lists my open cases in this order. By the index above,
            # PostgreSQL read every case I ever owned that has a deadline (8,000 for a Senior
            # Manager at 1,000,000 complaints, 55 ms) to find the open ones and sort them; this one
            # holds only open cases, already in the page's order.
            models.Index(
                fields=["owner", "next_due_at", "received_at", "id"],
                condition=models.Q(state__in=sorted(state.value for state in OPEN)),
                name="complaint_open_owner_due",
            ),
            models.Index(fields=["team", "next_due_at"], name="complaint_team_next_due"),
            # issue 16, home: a team's open cases (its own, beside its members' by owner and
            # state), so that the home page's queue and the team page count one team's open
            # cases, not every open case they may see; with the organisation, so that PostgreSQL
            # does not also read the organisation's index to narrow them.
            models.Index(fields=["team", "state", "organisation"], name="complaint_team_state_org"),
            # issue 16, teamcount: a team's open cases counted from indexes alone, as two halves (the
            # team's own, then its members' not already counted), each with every column the
            # counts read: the owner they are grouped by, the deadline and the policy that say
            # overdue or soon, and the organisation of the reader's scope and of the calendar.
            # By the two above, PostgreSQL read 15,000-20,000 table pages at 1,000,000 complaints.
            models.Index(
                fields=["team", "organisation"],
                include=["owner", "next_due_at", "policy", "id"],
                condition=models.Q(state__in=sorted(state.value for state in OPEN)),
                name="complaint_open_team_cover",
            ),
            models.Index(
                fields=["owner", "organisation"],
                include=["team", "next_due_at", "policy", "id"],
                condition=models.Q(state__in=sorted(state.value for state in OPEN)),
                name="complaint_open_owner_cover",
            ),
            # issue 12, publish: the quarterly figures count complaints received per organisation.
            # issue 13, speed: with the columns the reports group and count the complaints by, and
            # the id the rest of a case joins on, so that reading a period's complaints reads this
            # index alone (a tenth of the pages of the table's rows, which carry the texts).
            models.Index(
                fields=[
                    "organisation",
                    "received_at",
                    "state",
                    "stage",
                    "final_response_at",
                    "customer",
                    "channel",
                    "category",
                    "exclusion_reason",
                    "id",
                ],
                name="complaint_org_received_all",
            ),
            # issue 16, dash: the TSM report's columns of the complaints of a year's stages (found by
            # the stages' ids, spread over every year), without reading the complaints' texts.
            models.Index(fields=["id", "organisation", "stock_type", "reference"], name="complaint_id_tsm"),
            # issue 13, tsm: the informal resolutions of a year, by when they were resolved.
            models.Index(fields=["state", "closed_at"], name="complaint_state_closed"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stage__lte=3), name="complaint_stage_at_most_3"),
            # issue 14, importer: one complaint per reference of the old system, so a re-run skips it.
            models.UniqueConstraint(
                fields=["source_system", "source_reference"],
                condition=~models.Q(source_reference=""),
                name="complaint_source_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.summary}"

    @property
    def current_state(self) -> State:
        return State(self.state)


class Point(ComplaintCopy):
    """One thing the customer complains about, each answered with its own outcome."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField()

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="point_number_unique")]
        # issue 16, dash: a period's points by their complaint's receipt (``copied``), with the
        # complaint the reports count, so that joining a period's outcomes and themes to their
        # points reads only the period's points, from this index alone.
        indexes = [
            models.Index(
                fields=["complaint_received_at", "complaint_organisation", "complaint", "id"],
                name="point_received",
            )
        ]

    def __str__(self) -> str:
        return f"Point {self.number}: {self.summary[:60]}"
