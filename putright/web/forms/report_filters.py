"""issue 13, dash: the complaint list's filters behind the reports dashboard's figures.

The list's filter form inherits these fields; each value reaches the selector as the
``ComplaintFilters`` field of the same name (cases.selectors.report_filters).
"""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.models import StockType, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Channel
from putright.cases.models.complaints import EXCLUSION_CHOICES
from putright.cases.models.stages import OUTCOME_CHOICES
from putright.cases.selectors.report_filters import EXTENSION_FILTERS, MET_DEADLINES, MET_FILTERS
from putright.learning.models import ServiceArea
from putright.web.forms.base import GovukForm

YES_NO = [("", "Either"), ("yes", "Yes"), ("no", "No")]
STAGES = [("1", "Stage 1"), ("2", "Stage 2"), ("3", "Appeal")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _number(value: str) -> int | None:
    return int(value) if value else None


class ReportFilterFields(GovukForm):
    """The filters a dashboard figure links with: a bad value is an error on its field."""

    channel = forms.ChoiceField(
        label="How it came", required=False, choices=[("", "Any way"), *Channel.choices]
    )
    stage_reached = forms.ChoiceField(
        label="Reached at least", required=False, choices=[("", "Any stage"), *STAGES]
    )
    exclusion_reason = forms.ChoiceField(
        label="Not accepted because", required=False, choices=[("", "Any reason"), *EXCLUSION_CHOICES]
    )
    stock_type = forms.ChoiceField(
        label="Stock type",
        required=False,
        choices=[("", "Any"), *StockType.choices, ("none", "Not about a home we own")],
    )
    final_response = forms.ChoiceField(label="Final response given", required=False, choices=YES_NO)
    outcome = forms.ChoiceField(
        label="A point found", required=False, choices=[("", "Any outcome"), *OUTCOME_CHOICES]
    )
    outcome_stage = forms.ChoiceField(label="At", required=False, choices=[("", "Any stage"), *STAGES])
    service_area = forms.ChoiceField(label="Service area of a point", required=False)
    has_remedy = forms.ChoiceField(label="A remedy offered", required=False, choices=YES_NO)
    extended = forms.ChoiceField(
        label="Extended", required=False, choices=[("", "Either"), *EXTENSION_FILTERS.items()]
    )
    acknowledged = forms.ChoiceField(
        label="Acknowledged at", required=False, choices=[("", "Any"), ("1", "Stage 1"), ("2", "Stage 2")]
    )
    met_deadline = forms.ChoiceField(
        label="Deadline met", required=False, choices=[("", "Any"), *MET_DEADLINES.items()]
    )
    met = forms.ChoiceField(
        label="Met", required=False, choices=[("", "On time or late"), *MET_FILTERS.items()]
    )
    repeat = forms.BooleanField(
        label="The customer made another complaint received in the same dates", required=False
    )

    def report_choices(self, user: User) -> None:
        """The service areas of the user's organisations (one query)."""
        visible = visible_organisation_ids(user)
        areas = ServiceArea.objects.select_related("organisation").order_by("organisation__name", "name")
        if visible is not None:
            areas = areas.filter(organisation_id__in=visible)
        field = self.fields["service_area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Any service area"),
            *((str(a.pk), f"{a.name} ({a.organisation.short_name})") for a in areas),
        ]

    def report_filters(self) -> dict[str, Any]:
        """The valid form's values, as ``ComplaintFilters`` keyword arguments."""
        data = self.cleaned_data
        return {
            "channel": data["channel"] or None,
            "stage_reached": _number(data["stage_reached"]),
            "exclusion_reason": data["exclusion_reason"] or None,
            "stock_type": data["stock_type"] or None,
            "final_response": _yes_no(data["final_response"]),
            "outcome": data["outcome"] or None,
            "outcome_stage": _number(data["outcome_stage"]),
            "service_area": _number(data["service_area"]),
            "has_remedy": _yes_no(data["has_remedy"]),
            "extended": data["extended"] or None,
            "acknowledged": _number(data["acknowledged"]),
            "met_deadline": data["met_deadline"] or None,
            "met": data["met"] or None,
            "repeat": bool(data["repeat"]),
        }

    #: The fields, for the list's "figures" section (open when one is set).
    REPORT_FIELDS = (
        "channel",
        "stage_reached",
        "exclusion_reason",
        "stock_type",
        "final_response",
        "outcome",
        "outcome_stage",
        "service_area",
        "has_remedy",
        "extended",
        "acknowledged",
        "met_deadline",
        "met",
        "repeat",
    )

    def report_fields_set(self) -> bool:
        return any(self.data.get(name) for name in self.REPORT_FIELDS) if self.is_bound else False
