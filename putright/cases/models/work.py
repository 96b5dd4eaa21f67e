"""The work on a case: contacts, evidence, actions and flagged concerns."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from putright.procedure.states import ConcernKind


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "Text message"
    VIDEO = "video", "Video call"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "We contacted the customer"
    INBOUND = "inbound", "The customer contacted us"


class Contact(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="contacts")
    stage_number = models.PositiveSmallIntegerField()
    occurred_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.OUTBOUND)
    summary = models.TextField()
    # reports (issue 13): a contact made to acknowledge the complaint at its stage
    acknowledges = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} contact at {self.occurred_at:%Y-%m-%d %H:%M}"


class EvidenceRequest(models.Model):
    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, related_name="evidence_requests"
    )
    stage_number = models.PositiveSmallIntegerField()
    occurred_at = models.DateTimeField()
    description = models.TextField(help_text="What we asked the customer for.")
    respond_by = models.DateField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["occurred_at"]

    def __str__(self) -> str:
        return f"Evidence requested: {self.description[:60]}"


class Action(models.Model):
    """Something agreed to put things right; a complaint closes only when all are done."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="actions")
    stage_number = models.PositiveSmallIntegerField()
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    due_on = models.DateField()
    agreed_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"], condition=models.Q(completed_at__isnull=True), name="action_open_due"
            ),
            # issue 16, home: "Actions due" reads a person's open actions, and the open actions of
            # their cases, from these alone, not from every open action.
            # issue 16, pgscale: with the case and the id, so that counting a person's open
            # actions reads this index alone (PostgreSQL); without them, PostgreSQL preferred
            # to read every open action by its case's index than this one and a table page each.
            models.Index(
                fields=["owner", "due_on"],
                include=["complaint", "id"],
                condition=models.Q(completed_at__isnull=True),
                name="action_open_owner_due_cover",
            ),
            models.Index(
                fields=["complaint"],
                include=["id"],
                condition=models.Q(completed_at__isnull=True),
                name="action_open_complaint_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class ConcernStatus(models.TextChoices):
    FLAGGED = "flagged", "Flagged"
    REFERRED = "referred", "Referred"
    CLOSED = "closed", "Closed"


class Concern(models.Model):
    """A safeguarding or health and safety concern raised during a complaint."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="concerns")
    kind = models.CharField(
        max_length=20, choices=[(k.value, k.value.replace("_", " ").capitalize()) for k in ConcernKind]
    )
    description = models.TextField()
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.FLAGGED)
    referred_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    # conduct: when the lead owes the referral's outcome (set at referral; reminded until closed)
    outcome_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} concern ({self.get_status_display()})"
