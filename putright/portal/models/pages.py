"""The public pages a landlord writes: the privacy notice, the accessibility statement, the cookies page."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from putright.design.plain import refuse_markup


class PageKind(models.TextChoices):
    PRIVACY = "privacy", "Privacy notice"
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    COOKIES = "cookies", "Cookies"


class PublicPage(models.Model):
    """One page's title and words, in plain text (``design.plain``): no HTML is stored or shown."""

    kind = models.CharField(max_length=20, choices=PageKind.choices, unique=True, editable=False)
    title = models.CharField(max_length=120)
    body = models.TextField(
        validators=[refuse_markup],
        help_text='Plain text. Leave a blank line between paragraphs; start a heading with "## " '
        'and each item of a list with "- ".',
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title
