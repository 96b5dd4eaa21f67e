"""The stages of a complaint, their deadlines, extensions and responses."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from putright.cases.models.copied import ComplaintCopy
from putright.procedure.states import Outcome, ResponseMethod

OUTCOME_CHOICES = [(o.value, o.value.replace("_", " ").capitalize()) for o in Outcome]
METHOD_CHOICES = [(m.value, m.value.replace("_", " ").capitalize()) for m in ResponseMethod]


class AcknowledgedVia(models.TextChoices):
    LETTER = "letter", "Acknowledgement letter sent"
    CONTACT = "contact", "Contact recorded as acknowledging"
    RECORDED = "recorded", "Acknowledgement recorded"
    BACKFILLED = "backfilled", "First contact, before acknowledgements were recorded"


class Stage(ComplaintCopy):
    """Stage 1, the stage 2 review or the appeal (3) of one complaint."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(help_text="Acceptance, or the customer's request to escalate.")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    grounds = models.JSONField(default=list, blank=True, help_text="Stage 2 grounds or appeal criteria.")
    request_text = models.TextField(blank=True, help_text="The customer's reasons, in their words.")
    # reports (issue 13): the Code's clocks and the regulator's CH02 run from the acknowledgement,
    # the earliest of the acknowledgement letter sent, a contact recorded as acknowledging, or
    # one recorded through the API (``AcknowledgedVia``).
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_via = models.CharField(max_length=10, choices=AcknowledgedVia.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="stage_number_unique")]
        # issue 12, publish: the quarterly figures count the stage 2 reviews asked for in a quarter.
        indexes = [
            models.Index(fields=["number", "opened_at"], name="stage_number_opened"),
            # issue 13, tsm: CH02 reads the stages responded to in a reporting year.
            models.Index(fields=["number", "responded_at"], name="stage_number_responded"),
            # issue 16, dash: a period's stages by their complaint's receipt (``copied``).
            models.Index(
                fields=[
                    "complaint_received_at",
                    "complaint_organisation",
                    "number",
                    "id",
                    "complaint",
                    "opened_at",
                    "acknowledged_at",
                    "responded_at",
                ],
                name="stage_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.reference} stage {self.number}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "No longer applies"


class Deadline(ComplaintCopy):
    """A promise with a date: set once when its clock starts, moved only by a recorded event."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="deadlines")
    stage = models.ForeignKey(Stage, null=True, on_delete=models.CASCADE, related_name="deadlines")
    name = models.CharField(max_length=40)
    clock_started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    original_due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["complaint", "name"], name="deadline_name_unique")]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="deadline_open_due",
            ),
            # issue 13, speed: the response deadline as first set, for each stage (the reports'
            # "on time by the policy"), read from the index alone.
            models.Index(
                fields=["stage", "due_at", "original_due_at"],
                condition=models.Q(name__endswith=".response"),
                name="deadline_stage_response",
            ),
            # issue 16, dash: the deadlines met of a period's complaints (``copied``).
            models.Index(
                fields=[
                    "complaint_received_at",
                    "complaint_organisation",
                    "name",
                    "clock_started_at",
                    "met_at",
                    "due_at",
                    "id",
                ],
                condition=models.Q(met_at__isnull=False),
                name="deadline_received_met",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.reference} {self.name} due {self.due_at:%Y-%m-%d %H:%M}"

    def status(self, now: dt.datetime) -> DeadlineStatus:
        if self.cancelled_at:
            return DeadlineStatus.CANCELLED
        if self.met_at:
            return DeadlineStatus.MET if self.met_at <= self.due_at else DeadlineStatus.MISSED
        return DeadlineStatus.MISSED if now > self.due_at else DeadlineStatus.OPEN


class Extension(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="extensions")
    number = models.PositiveSmallIntegerField()
    occurred_at = models.DateTimeField()
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    reason = models.TextField(help_text="Explained to the customer with the new date.")
    good_reason = models.TextField(blank=True, help_text="Needed beyond the policy's limit.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [models.UniqueConstraint(fields=["stage", "number"], name="extension_number_unique")]
        indexes = [
            # issue 13, speed: the last extension agreed within the policy, for each stage (the
            # reports' "on time by the policy"), read from the index alone.
            models.Index(
                fields=["stage", "-number", "new_due_at"],
                condition=models.Q(good_reason=""),
                name="extension_within_latest",
            )
        ]

    def __str__(self) -> str:
        return f"Extension {self.number} to {self.new_due_at:%Y-%m-%d}"


class ResponseKind(models.TextChoices):
    RESPONSE = "response", "Response"
    APPEAL_DECISION = "appeal_decision", "Appeal decision"


class Response(ComplaintCopy):
    """Our answer at a stage, with an outcome for each point."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=20, choices=ResponseKind.choices, default=ResponseKind.RESPONSE)
    occurred_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=METHOD_CHOICES, blank=True)
    summary = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["occurred_at"]
        # issue 12, publish: the quarterly figures count the responses given in a quarter.
        indexes = [
            models.Index(fields=["occurred_at"], name="response_occurred"),
            # issue 16, dash: a period's responses by their complaint's receipt (``copied``).
            models.Index(
                fields=["complaint_received_at", "complaint_organisation", "stage", "id"],
                name="response_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at stage {self.stage.number}"


class PointOutcome(ComplaintCopy):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="outcomes")
    point = models.ForeignKey("cases.Point", on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["point__number"]
        constraints = [models.UniqueConstraint(fields=["response", "point"], name="outcome_per_point")]
        # issue 13, speed: whether a response upheld a point, from the index alone.
        indexes = [
            models.Index(fields=["response", "outcome"], name="outcome_response_outcome"),
            # issue 16, dash: a period's outcomes by their complaint's receipt (``copied``).
            models.Index(
                fields=[
                    "complaint_received_at",
                    "complaint_organisation",
                    "outcome",
                    "point",
                    "response",
                    "id",
                ],
                name="outcome_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Point {self.point.number}: {self.get_outcome_display()}"


class AppealHearing(models.Model):
    """The appeal meeting: agreed with the customer, heard by the panel."""

    stage = models.OneToOneField(Stage, on_delete=models.CASCADE, related_name="hearing")
    meeting_at = models.DateTimeField()
    location = models.CharField(max_length=300)
    agreed_with_customer_at = models.DateTimeField()
    panel = models.JSONField(default=dict, help_text="Panel role (board_member, resident, ...) to name.")
    companion_name = models.CharField(max_length=200, blank=True)
    companion_relationship = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Appeal meeting {self.meeting_at:%Y-%m-%d %H:%M}"
