"""What complaints teach: themes and causes on each point, remedies, lessons, "You said, we did".

The reference lists (themes, service areas, root causes) are managed by an
administrator and never deleted once used: a retired entry stays on the cases
that carry it, and a merged theme points to the one it became, so a report over
past years reads the same tomorrow. Everything a person changes here is written
through ``learning.services``, one transaction with its audit row (the case's
timeline for what belongs to a case, ``LearningEvent`` for the rest).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from putright.cases.models.copied import ComplaintCopy
from putright.procedure.learning import RemedyPurpose, RemedyStatus, RemedyType

REMEDY_TYPE_CHOICES = [(t.value, t.label) for t in RemedyType]
REMEDY_PURPOSE_CHOICES = [(p.value, p.label) for p in RemedyPurpose]
REMEDY_STATUS_CHOICES = [(s.value, s.label) for s in RemedyStatus]


class Retirable(models.Model):
    """A managed list entry: offered while current, kept (and shown) on old records once retired."""

    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the pickers.")
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_current(self) -> bool:
        return self.retired_at is None


class Theme(Retirable):
    """What a point of complaint was about: a two-level taxonomy (repairs, then damp and mould)."""

    key = models.SlugField(max_length=60, unique=True, help_text="Stable name for exports and the API.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    #: Set when an administrator merged this theme into another: old cases keep pointing here,
    #: and reports count them under the theme it became.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="theme_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="top_theme_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "Repairs: damp and mould": a sub-theme says its parent (read with select_related)."""
        if self.parent is None:
            return self.name
        return f"{self.parent.name}: {self.name[:1].lower()}{self.name[1:]}"


class ServiceAreaKind(models.TextChoices):
    DEPARTMENT = "department", "Department"
    CONTRACTOR = "contractor", "Contractor"


class ServiceArea(Retirable):
    """The department or contractor responsible for what a point is about, per organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="service_areas"
    )
    kind = models.CharField(
        max_length=20, choices=ServiceAreaKind.choices, default=ServiceAreaKind.DEPARTMENT
    )

    class Meta:
        ordering = ["organisation", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_area_unique_in_org")
        ]

    def __str__(self) -> str:
        return self.name


class RootCause(Retirable):
    """Why an upheld point went wrong, from a managed list (process not followed, ...)."""

    key = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="root_cause_name_unique")]

    def __str__(self) -> str:
        return self.name


class PointLearning(ComplaintCopy):
    """One point's theme, service area and root cause: set from triage on, each change on the timeline."""

    point = models.OneToOneField("cases.Point", on_delete=models.CASCADE, related_name="learning")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    root_cause_note = models.TextField(blank=True, help_text="What went wrong, in a sentence or two.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["theme"], name="point_learning_theme"),
            models.Index(fields=["service_area"], name="point_learning_area"),
            models.Index(fields=["root_cause"], name="point_learning_cause"),
            # issue 16, dash: a period's themes and areas by their complaint's receipt (``copied``).
            models.Index(
                fields=["complaint_received_at", "complaint_organisation", "theme", "service_area", "point"],
                name="point_learning_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Learning on point {self.point_id}"


class Remedy(ComplaintCopy):
    """What was offered to put things right at a stage, and (for money) what became of it."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="remedies")
    stage_number = models.PositiveSmallIntegerField()
    point = models.ForeignKey(
        "cases.Point", null=True, blank=True, on_delete=models.SET_NULL, related_name="remedies"
    )
    remedy_type = models.CharField(max_length=20, choices=REMEDY_TYPE_CHOICES)
    description = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    purpose = models.CharField(max_length=40, choices=REMEDY_PURPOSE_CHOICES, blank=True)
    #: The policy rate the amount was suggested from (its key, and how many days or occasions),
    #: kept so the working can be shown again; blank when the amount was the caseworker's own.
    rate_key = models.CharField(max_length=60, blank=True)
    rate_units = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=REMEDY_STATUS_CHOICES, default=RemedyStatus.OFFERED.value
    )
    offered_on = models.DateField()
    accepted_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["complaint", "offered_on", "pk"]
        indexes = [
            models.Index(fields=["complaint", "stage_number"], name="remedy_complaint_stage"),
            models.Index(fields=["status", "offered_on"], name="remedy_status_offered"),
            # issue 16, dash: a period's remedies by their complaint's receipt (``copied``).
            models.Index(fields=["complaint_received_at", "complaint_organisation"], name="remedy_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(remedy_type=RemedyType.FINANCIAL.value, amount__gt=0)
                | (~models.Q(remedy_type=RemedyType.FINANCIAL.value) & models.Q(amount__isnull=True)),
                name="remedy_money_has_an_amount",
            )
        ]

    def __str__(self) -> str:
        if self.amount is not None:
            return f"£{self.amount} ({self.get_purpose_display().lower()})"
        return self.get_remedy_type_display()

    @property
    def current_status(self) -> RemedyStatus:
        return RemedyStatus(self.status)

    @property
    def last_moved_on(self) -> dt.date:
        """The date of its latest move: a later move cannot be dated before it."""
        dates = [d for d in (self.offered_on, self.accepted_on, self.declined_on, self.paid_on) if d]
        return max(dates)


class ChangeKind(models.TextChoices):
    """What a lesson changes, beyond the one customer."""

    POLICY = "policy", "A policy"
    PROCEDURE = "procedure", "A procedure or process"
    TRAINING = "training", "Training"
    SYSTEM = "system", "A system"
    CONTRACT = "contract", "A contract"
    COMMUNICATION = "communication", "How we communicate"
    OTHER = "other", "Something else"


class LearningAction(models.Model):
    """A lesson (what went wrong for more than one customer) and the change made because of it.

    Not the actions agreed with a customer to put their complaint right (``cases.Action``):
    a learning action changes the service, is owned by someone, is due, and is done only
    with evidence of the change.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="learning_actions"
    )
    lesson = models.TextField(help_text="What went wrong, for more than this one customer.")
    change = models.TextField(help_text="The change to make.")
    change_kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_actions",
    )
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.TextField(blank=True, help_text="What shows the change was made.")
    complaints: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "cases.Complaint", through="LearningActionLink", related_name="learning_actions", blank=True
    )
    themes = models.ManyToManyField(Theme, related_name="learning_actions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: Bumped by every change: a change made on a stale copy is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(completed_at__isnull=True),
                name="learning_action_open_due",
            ),
            models.Index(fields=["organisation", "due_on"], name="learning_action_org_due"),
            models.Index(fields=["owner", "due_on"], name="learning_action_owner_due"),
        ]

    def __str__(self) -> str:
        return self.lesson[:80]

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class LearningActionLink(models.Model):
    """A complaint behind a learning action: linked by someone, on a date, on the case's timeline."""

    action = models.ForeignKey(LearningAction, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="learning_links")
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "complaint"], name="learning_link_unique")]
        indexes = [models.Index(fields=["complaint"], name="learning_link_complaint")]

    def __str__(self) -> str:
        return f"Learning action {self.action_id} and complaint {self.complaint_id}"


class LearningActionReminder(models.Model):
    """One overdue reminder per learning action and due date (the sweep's dedupe key)."""

    action = models.ForeignKey(LearningAction, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "due_on"], name="learning_reminder_once_per_due")
        ]

    def __str__(self) -> str:
        return f"Reminder for learning action {self.action_id}, due {self.due_on}"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class YouSaidEntry(models.Model):
    """One "You said, we did" entry: the concern in plain words and the change made.

    Drafted by staff, approved by a manager who did not draft it, and published with its
    quarter. Editing an approved entry returns it to draft: what is published is always
    what someone approved.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="you_said_entries"
    )
    quarter_start = models.DateField(help_text="First day of the reporting quarter.")
    you_said = models.TextField()
    we_did = models.TextField()
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    learning_actions = models.ManyToManyField(LearningAction, related_name="you_said_entries", blank=True)
    complaints = models.ManyToManyField("cases.Complaint", related_name="you_said_entries", blank=True)
    status = models.CharField(max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="you_said_drafted"
    )
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="you_said_approved",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter_start", "pk"]
        verbose_name_plural = "you said, we did entries"
        indexes = [
            models.Index(fields=["organisation", "quarter_start", "status"], name="you_said_org_quarter")
        ]

    def __str__(self) -> str:
        return self.you_said[:80]


class Publication(models.Model):
    """A quarter of "You said, we did" as published: a correction is a new version, never an edit.

    The figures are computed from the cases when the manager publishes (never typed in),
    and kept with the entries as published, so the public page shows what was approved.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="publications"
    )
    quarter_start = models.DateField()
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField(encoder=DjangoJSONEncoder)
    entries = models.JSONField(encoder=DjangoJSONEncoder, help_text="Each entry's words as published.")
    correction_note = models.TextField(blank=True, help_text="What a new version corrects.")

    class Meta:
        ordering = ["organisation", "-quarter_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter_start", "version"], name="publication_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "-quarter_start", "-version"], name="publication_latest")
        ]

    def __str__(self) -> str:
        return f"{self.quarter_start:%Y-%m} version {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("A published quarter is never changed: publish a new version.")
        super().save(*args, **kwargs)


class LearningEventKind(models.IntegerChoices):
    # 100s: the lists
    LIST_CHANGED = 100, "Reference list changed"
    THEMES_MERGED = 101, "Themes merged"
    # 200s: learning actions
    ACTION_CREATED = 200, "Learning action created"
    ACTION_CHANGED = 201, "Learning action changed"
    ACTION_COMPLETED = 202, "Learning action completed"
    ACTION_REMINDED = 203, "Learning action reminder sent"
    # 300s: "You said, we did"
    ENTRY_DRAFTED = 300, "Entry drafted"
    ENTRY_EDITED = 301, "Entry edited"
    ENTRY_APPROVED = 302, "Entry approved"
    ENTRY_REFUSED = 303, "Entry refused by the personal data check"
    ENTRY_WITHDRAWN = 304, "Entry withdrawn"
    QUARTER_PUBLISHED = 310, "Quarter published"


class LearningEvent(models.Model):
    """The audit trail of learning outside a case (lists, lessons, publication): append-only."""

    kind = models.PositiveSmallIntegerField(choices=LearningEventKind.choices)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    action = models.ForeignKey(
        LearningAction, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    entry = models.ForeignKey(
        YouSaidEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Learning events are never changed; record a new event instead.")
        super().save(*args, **kwargs)
