"""What putright sends and when: letter templates, letters, the email outbox, reminders.

Letter templates are versioned: an edit is a new row, never a change to an old
one, so every letter can say which version it was made from. The outbox holds
every email from the transaction that caused it until the worker has handed it
to the mail server. Reminders and digests are recorded once each, so a sweep
that runs twice, or after a pause, sends each exactly once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LetterKind(models.TextChoices):
    """The points of the procedure at which we write to the customer."""

    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    CONTACT_RECORD = "contact_record", "Record of our contact"
    EVIDENCE_REQUEST = "evidence_request", "Request for evidence"
    EXTENSION = "extension", "Extension of the response date"
    NOT_ACCEPTED = "not_accepted", "Complaint not accepted"
    INFORMAL_RESOLUTION = "informal_resolution", "Informal resolution confirmed"
    STAGE1_RESPONSE = "stage1_response", "Stage 1 response"
    STAGE2_RESPONSE = "stage2_response", "Stage 2 response"
    APPEAL_INVITATION = "appeal_invitation", "Appeal meeting invitation"
    APPEAL_REFUSAL = "appeal_refusal", "Appeal refused"
    APPEAL_DECISION = "appeal_decision", "Appeal decision (final response)"
    DESIGNATED_PERSON = "designated_person", "Designated person acknowledgement"
    # conduct: unacceptable behaviour (procedure section 8, Code 5.14-5.15)
    RESTRICTION = "restriction", "Restriction on contact"
    NOT_INVESTIGATED = "not_investigated", "Decision not to investigate"


class LetterTemplate(models.Model):
    """One version of the words for one kind of letter. Never changed: an edit is a new version."""

    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    version = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text with {{ placeholders }}; paragraphs split by a blank line.")
    note = models.CharField(max_length=300, blank=True, help_text="What changed in this version, and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="letter_template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class LetterStatus(models.TextChoices):
    EMAILED = "emailed", "Sent by email"
    TO_POST = "to_post", "Waiting to be posted"
    POSTED = "posted", "Posted"


class Letter(models.Model):
    """A letter as sent: the words, who to, the PDF, and the template version it came from."""

    complaint = models.ForeignKey("cases.Complaint", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="letters")
    stage_number = models.PositiveSmallIntegerField()
    recipient_name = models.CharField(max_length=300)
    recipient_address = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Where it was emailed; blank when it goes by post only.")
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="The words as sent, after the caseworker's edits.")
    large_print = models.BooleanField(default=False)
    pdf = models.FileField(upload_to="letters/%Y/%m/")
    status = models.CharField(max_length=10, choices=LetterStatus.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="The one-time key of the form it was sent from: sent again, nothing more is sent.",
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["complaint", "sent_at"], name="letter_complaint_sent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.complaint_id} at {self.sent_at:%Y-%m-%d %H:%M}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Could not be sent"


class OutboundEmail(models.Model):
    """One email in the outbox: written with the step that causes it, delivered by the worker."""

    complaint = models.ForeignKey(
        "cases.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="emails"
    )
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="emails")
    purpose = models.CharField(max_length=30, help_text="letter, reminder, digest, link, account, ...")
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(
        max_length=300, unique=True, help_text="Fixed when queued: a retry is the same message."
    )
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="outbox_due",
            ),
            models.Index(fields=["complaint", "status"], name="outbox_complaint_status"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {', '.join(self.to)} ({self.status})"


class OutboundAttachment(models.Model):
    """A file sent with an email, kept in the database so it commits with the message."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    def __str__(self) -> str:
        return self.filename


class ReminderLevel(models.TextChoices):
    SOON = "soon", "Due soon"
    TODAY = "today", "Due today"
    MISSED = "missed", "Missed"


class Reminder(models.Model):
    """A deadline reminder, sent once per deadline, level and due date (an extension starts afresh)."""

    deadline = models.ForeignKey("cases.Deadline", on_delete=models.CASCADE, related_name="reminders")
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(max_length=10, choices=ReminderLevel.choices)
    due_at = models.DateTimeField(help_text="The deadline's date when the reminder was sent.")
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="Who was told (user ids).")

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "level", "due_at"], name="reminder_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} reminder for deadline {self.deadline_id}"


class ActionReminder(models.Model):
    """An agreed action's reminder, sent once per kind, action and due date (a new date starts afresh).

    More than one kind of reminder may be about an action (overdue, a follow-up on
    the day), so the kind is part of the key: one kind's reminder never hides another's.
    """

    action = models.ForeignKey("cases.Action", on_delete=models.CASCADE, related_name="reminders")
    complaint = models.ForeignKey(
        "cases.Complaint", on_delete=models.CASCADE, related_name="action_reminders"
    )
    due_on = models.DateField(help_text="The action's date when the reminder was sent.")
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="Who was told (user ids).")
    kind = models.CharField(
        max_length=40, default="action", help_text="The reminder kind that sent it (its name)."
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "action", "due_on"], name="action_reminder_once_per_kind_and_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for action {self.action_id} due {self.due_on}"


class DigestSent(models.Model):
    """A daily digest, recorded so that each person gets at most one a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.day}"


class Job(models.Model):
    """A scheduled job and its lease: only one worker runs it at a time, and none misses its turn."""

    name = models.CharField(max_length=40, primary_key=True)
    next_run_at = models.DateTimeField()
    leased_by = models.CharField(max_length=100, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


# conduct: reminders of a restriction's review date and of a referred concern's outcome


class RestrictionReminder(models.Model):
    """A restriction's review reminder: once per restriction and review date (a new date starts afresh)."""

    restriction = models.ForeignKey("cases.Restriction", on_delete=models.CASCADE, related_name="reminders")
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(help_text="The review date the reminder was for.")
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="Who was told (user ids).")

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["restriction", "due_on"], name="restriction_reminder_once_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"Review reminder for restriction {self.restriction_id} due {self.due_on}"


class ConcernReminder(models.Model):
    """A referred concern's reminder: at most one a day, from its outcome's "due soon" until it is closed."""

    concern = models.ForeignKey("cases.Concern", on_delete=models.CASCADE, related_name="reminders")
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day (on the case's calendar) the reminder was sent.")
    level = models.CharField(max_length=10, choices=ReminderLevel.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, help_text="Who was told (user ids).")

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "day"], name="concern_reminder_once_a_day")]

    def __str__(self) -> str:
        return f"Reminder for concern {self.concern_id} on {self.day}"
