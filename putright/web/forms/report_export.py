"""The flat export's choices (issue 13, export): period, organisation, table and format."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.selectors.customers import visible_organisations
from putright.reports.export_scope import Scope, export_scope
from putright.reports.flat import TABLES
from putright.web.forms.base import GovukForm, Radios

FORMATS = [("csv", "CSV: one table"), ("xlsx", "Excel: a workbook, a sheet per table")]


class ExportForm(GovukForm):
    """Read from the query string; ``scope`` is what a valid form asks for."""

    period = forms.CharField(
        label="Period",
        required=False,
        max_length=30,
        help_text="The complaints received in a reporting year (2025-26), a quarter (2026-Q1) or "
        "days (2026-04-01..2026-05-15). Leave blank for every complaint.",
    )
    organisation = forms.ChoiceField(
        label="Organisation",
        required=False,
        help_text="With the organisations below it.",
        error_messages={"invalid_choice": "Choose an organisation you work for"},
    )
    table = forms.ChoiceField(
        label="Table",
        required=False,
        help_text="A workbook holds every table unless you choose one.",
        error_messages={"invalid_choice": "Choose one of the tables listed"},
    )
    format = forms.ChoiceField(label="Format", choices=FORMATS, required=False, widget=Radios)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope: Scope | None = None
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Every organisation you work for"),
            *((o.short_name, o.name) for o in visible_organisations(user)),
        ]
        self.fields["table"].choices = [  # type: ignore[attr-defined]
            ("", "Every table (a workbook only)"),
            *((name, f"{name}: {table.about}") for name, table in TABLES.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("format") == "csv" and not data.get("table"):
            self.add_error("table", "Choose a table: a CSV file holds one table")
        try:
            self.scope = export_scope(
                user=self.user, period=data.get("period"), organisation=data.get("organisation")
            )
        except InvalidInput as refused:
            self.refuse(refused)
        return data

    def query(self) -> dict[str, str]:
        """The filters as a download's query string takes them (blank ones left out)."""
        return {
            key: self.cleaned_data[key]
            for key in ("period", "organisation")
            if self.is_valid() and self.cleaned_data.get(key)
        }
