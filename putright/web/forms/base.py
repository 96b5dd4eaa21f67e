"""The base of every step's form (the Design System's markup comes from ``putright.design``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.design.forms import (
    Checkboxes,
    DateField,
    DateInput,
    DateTimeInput,
    GovukBoundField,
    GovukForm,
    GovukRenderer,
    Radios,
    text_area,
)

__all__ = [
    "Checkboxes",
    "DateField",
    "DateInput",
    "DateTimeInput",
    "GovukBoundField",
    "GovukForm",
    "GovukRenderer",
    "Radios",
    "StepForm",
    "text_area",
]


class StepForm(GovukForm):
    """Every step of the procedure: the version read (so a concurrent edit is never lost)
    and, optionally, when it really happened (a call this morning, typed in this afternoon)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_at = forms.DateTimeField(
        label="When did this happen?",
        help_text="Leave blank for now. Dates and deadlines follow the time it really happened.",
        required=False,
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    #: The fields after which ``occurred_at`` is shown; steps that never happen
    #: earlier than they are typed (an internal decision) leave it out.
    ask_when = True

    def __init__(
        self,
        *args: Any,
        complaint: Complaint | None = None,
        user: User | None = None,
        item: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.complaint, self.user, self.item = complaint, user, item
        if not self.ask_when:
            del self.fields["occurred_at"]
        else:
            self.order_fields([*(f for f in self.fields if f != "occurred_at"), "occurred_at"])

    def clean_occurred_at(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("occurred_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
