"""The form that corrects a complaint's stock type (issue 13, tsm)."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.models import StockType
from putright.web.forms.base import Radios
from putright.web.forms.case import CaseStepForm

NONE = "none"  # a radio needs a value: "none" stands for the blank stock type


class StockTypeForm(CaseStepForm):
    ask_when = False

    stock_type = forms.ChoiceField(
        label="Which stock is the home this complaint is about?",
        help_text="The regulator's measures count complaints per 1,000 homes of each stock type.",
        choices=[*StockType.choices, (NONE, "Not a home we own")],
        widget=Radios,
        error_messages={"required": "Choose the stock type of the home"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stock_type"].initial = self.complaint.stock_type or NONE

    def clean_stock_type(self) -> str:
        value: str = self.cleaned_data["stock_type"]
        return "" if value == NONE else value
