"""The forms to record, review and withdraw a disclosed vulnerability (issue 15, vuln)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from putright.cases.models import CONSENT_SCOPE, DisclosedVia, VulnerabilityKind
from putright.web.forms.base import DateField, GovukForm, Radios, text_area


def _future() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=3650)


class RecordVulnerabilityForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of vulnerability?",
        choices=VulnerabilityKind.choices,
        widget=Radios,
        error_messages={"required": "Choose what kind of vulnerability it is"},
    )
    detail = forms.CharField(
        label="What did the customer tell us?",
        help_text="In their words, only what the people handling their complaint need to know.",
        widget=text_area(4),
        error_messages={"required": "Enter what the customer told us"},
    )
    support_needed = forms.CharField(
        label="What support does it need from us?",
        help_text="For example: call after 10am, a support worker at meetings, letters in large print.",
        widget=text_area(3),
        required=False,
    )
    disclosed_on = DateField(subject="The date they told us")
    disclosed_via = forms.ChoiceField(
        label="How did they tell us?",
        choices=DisclosedVia.choices,
        widget=Radios,
        error_messages={"required": "Choose how the customer told us"},
    )
    consent = forms.ChoiceField(
        label=f"Has the customer agreed to this being {CONSENT_SCOPE}?",
        help_text=(
            "Nothing is kept without their agreement. They can withdraw it at any time: what they "
            "told us is then removed, and only that a vulnerability of this kind was held is kept."
        ),
        choices=[("yes", "Yes, they agreed"), ("no", "No, or not asked")],
        widget=Radios,
        error_messages={"required": "Say whether the customer agreed to it being recorded"},
    )
    consent_how = forms.CharField(
        label="How did they agree?",
        help_text="For example: said yes on the phone call of 3 December.",
        required=False,
        max_length=200,
    )
    consent_given_on = DateField(subject="The date they agreed")
    review_on = DateField(
        subject="The review date", latest=_future, help_text="When we check with them again."
    )

    def consent_given_at(self) -> dt.datetime | None:
        """When consent was given: now if today, else midday of the day given (London time)."""
        day: dt.date | None = self.cleaned_data.get("consent_given_on")
        if day is None:
            return None
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


class ReviewVulnerabilityForm(GovukForm):
    review_note = forms.CharField(
        label="What did the review find?",
        help_text="Whether it still applies and whether the support is right.",
        widget=text_area(4),
        error_messages={"required": "Enter what the review found"},
    )
    support_needed = forms.CharField(
        label="What support does it need from us now?", widget=text_area(3), required=False
    )
    next_review_on = DateField(subject="The next review date", latest=_future)


class WithdrawConsentForm(GovukForm):
    confirm = forms.ChoiceField(
        label="Has the customer withdrawn their consent?",
        help_text="What they told us and the support it needed are removed for good.",
        choices=[("yes", "Yes, remove what they told us")],
        widget=Radios,
        error_messages={"required": "Confirm the customer withdrew their consent"},
    )
