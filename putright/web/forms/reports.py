"""The reports dashboard's choice of period and organisation, read from the query string."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.learning.quarters import Quarter
from putright.reports import periods
from putright.reports.periods import Period
from putright.web.forms.base import DateInput, GovukForm

CUSTOM = "custom"
#: How many quarters before this one the choice offers by name.
PAST_QUARTERS = 4


def period_choices(today: dt.date) -> list[tuple[str, str]]:
    """This and last quarter, this and last reporting year, the quarters before, and any dates."""
    now = Quarter.containing(today)
    this_year = periods.year_containing(today)
    last_year = periods.reporting_year(this_year.start.year - 1)
    choices = [
        (now.key, f"This quarter ({now.label})"),
        (now.previous().key, f"Last quarter ({now.previous().label})"),
        (this_year.key, f"This reporting year ({this_year.label})"),
        (last_year.key, f"Last reporting year ({last_year.label})"),
    ]
    earlier = now.previous()
    for _ in range(PAST_QUARTERS - 1):
        earlier = earlier.previous()
        choices.append((earlier.key, earlier.label))
    return [*choices, (CUSTOM, "Dates of your choice")]


class ReportsForm(GovukForm):
    """A bad value (a period that is not one, a last day before the first, an organisation the
    user cannot see) is an error on its field; nothing is counted until all are right."""

    period = forms.CharField(label="Period", required=False, widget=forms.Select)
    first_day = forms.DateField(
        label="From", required=False, widget=DateInput, help_text="For example, 2026-04-01"
    )
    last_day = forms.DateField(
        label="To", required=False, widget=DateInput, help_text="For example, 2026-06-30"
    )
    organisation = forms.ChoiceField(label="Organisation", required=False)

    def __init__(self, *args: Any, user: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        choices = period_choices(today)
        self.fields["period"].widget.choices = choices
        self.fields["period"].initial = choices[0][0]
        visible = visible_organisation_ids(user)
        organisations = Organisation.objects.order_by("name")
        if visible is not None:
            organisations = organisations.filter(pk__in=visible)
        self.organisations = {o.short_name: o for o in organisations}
        everyone = "All the organisations you can see" if visible is not None else "The whole group"
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", everyone),
            *((o.short_name, f"{o.name} and those below it") for o in self.organisations.values()),
        ]

    def clean_period(self) -> str:
        key: str = (self.cleaned_data.get("period") or "").strip() or period_choices(self.today)[0][0]
        if key != CUSTOM:
            try:
                periods.parse(key)
            except ValueError as bad:
                raise forms.ValidationError(
                    "Choose a period: a quarter (2026-Q1), a reporting year (2025-26) or dates of your choice"
                ) from bad
        return key

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if data.get("period") == CUSTOM:
            first, last = data.get("first_day"), data.get("last_day")
            if first is None and "first_day" not in self.errors:
                self.add_error("first_day", "Enter the first day of the period")
            if last is None and "last_day" not in self.errors:
                self.add_error("last_day", "Enter the last day of the period")
            if first and last and last < first:
                self.add_error("last_day", "The last day must be the same as or after the first day")
        return data

    def chosen_period(self) -> Period:
        """The valid form's period."""
        data = self.cleaned_data
        if data["period"] == CUSTOM:
            return periods.days(data["first_day"], data["last_day"])
        return periods.parse(data["period"])

    def chosen_organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data["organisation"]) or None

    def query(self) -> dict[str, str]:
        """The valid form's values as a query string's, to repeat in the page's links."""
        data = self.cleaned_data
        values = {"period": data["period"], "organisation": data["organisation"] or ""}
        if data["period"] == CUSTOM:
            values |= {"first_day": data["first_day"].isoformat(), "last_day": data["last_day"].isoformat()}
        return {k: v for k, v in values.items() if v}
