"""Documents made for the board and the Ombudsman, kept as they were made."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class DocumentKind(models.TextChoices):
    ANNUAL = "annual", "Annual complaints performance and service improvement report"
    BOARD = "board", "Quarterly board report"


class ReportDocument(models.Model):
    """A report as made: its PDF and the figures it was made from, never regenerated.

    The figures change as cases change (a late response recorded, an outcome corrected);
    what the board was shown on a date does not, so the document is kept, not rebuilt.
    """

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Blank for the whole group.",
    )
    period_key = models.CharField(max_length=30, help_text='"2025-26" or "2026-Q2".')
    period_start = models.DateField()
    period_end = models.DateField(help_text="The first day after the period.")
    title = models.CharField(max_length=200)
    figures = models.JSONField(encoder=DjangoJSONEncoder, help_text="The figures it was made from.")
    pdf = models.BinaryField(editable=False)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-made_at"]
        indexes = [models.Index(fields=["kind", "-made_at"], name="report_document_kind_made")]

    def __str__(self) -> str:
        return f"{self.title} ({self.made_at:%Y-%m-%d %H:%M})"

    @property
    def filename(self) -> str:
        scope = self.organisation.short_name if self.organisation else "group"
        return f"putright-{self.kind}-{self.period_key}-{scope}-{self.made_at:%Y%m%d-%H%M}.pdf".lower()


# issue 13, tsm: the landlord's own words in the annual report, kept per year and organisation.


class CodeEvidence(models.Model):
    """The landlord's evidence that it meets one provision of the Code, for one reporting year.

    Written by whoever prepares the annual self-assessment; shown beside the policy check's
    verdict. Blank ``organisation`` is the whole group.
    """

    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it begins.")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provision = models.CharField(max_length=60, help_text="The Code point's key, e.g. stage1.response.")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation", "provision"],
                condition=models.Q(organisation__isnull=False),
                name="code_evidence_unique",
            ),
            models.UniqueConstraint(
                fields=["year", "provision"],
                condition=models.Q(organisation__isnull=True),
                name="code_evidence_group_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.provision}"


class GoverningBodyResponse(models.Model):
    """The governing body's response to the year's annual report (the Code, section 9)."""

    year = models.PositiveSmallIntegerField(help_text="The reporting year, by the year it begins.")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="governing_response_unique",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(organisation__isnull=True),
                name="governing_response_group_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Governing body's response, {self.year}"
