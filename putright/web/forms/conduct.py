"""Forms for unacceptable behaviour: reviewing, renewing and ending a restriction, and declining
to investigate a complaint (procedure section 8, Code 5.14-5.15)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404

from putright.cases.models import ReasonableAdjustment, Restriction
from putright.cases.services.restrictions import STILL_OPEN
from putright.web.forms.base import DateInput, text_area
from putright.web.forms.case import CaseStepForm


class RestrictionStepForm(CaseStepForm):
    """A step on one of the customer's restrictions in force: found for the case, or the page is 404."""

    ask_when = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = (
            Restriction.objects.filter(
                customer_id=self.complaint.customer_id, pk=self.item, ended_on__isnull=True
            ).first()
            if self.item is not None
            else None
        )
        if found is None:
            raise Http404("No such restriction in force for this customer.")
        self.restriction: Restriction = found

    still_open = STILL_OPEN

    @property
    def adjustments(self) -> list[ReasonableAdjustment]:
        return list(self.complaint.customer.adjustments.all())


def _review_date(label: str = "Next review date") -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput,
        help_text="When the restriction will be looked at again: it must be in the future.",
        error_messages={"required": "Give a date to review the restriction again"},
    )


class ReviewRestrictionForm(RestrictionStepForm):
    conclusion = forms.CharField(
        label="What did the review conclude?",
        widget=text_area(4),
        help_text="What has happened since the last review, and why the restriction stays as it is.",
        error_messages={"required": "Record what the review concluded"},
    )
    next_review_on = _review_date()


class RenewRestrictionForm(RestrictionStepForm):
    reason = forms.CharField(
        label="Why is the restriction renewed?",
        widget=text_area(4),
        help_text="The behaviour since the last review, with dates: the customer is told the reason.",
        error_messages={"required": "Give the reason for renewing the restriction"},
    )
    restrictions = forms.CharField(
        label="What is restricted from now on?",
        required=False,
        widget=text_area(3),
        help_text="Leave blank to keep the restriction as it is.",
    )
    review_on = _review_date("New review date")


class EndRestrictionForm(RestrictionStepForm):
    reason = forms.CharField(
        label="Why is the restriction ended?",
        widget=text_area(3),
        error_messages={"required": "Give the reason for ending the restriction"},
    )


class DeclineForm(CaseStepForm):
    reason = forms.CharField(
        label="Why will the complaint not be investigated?",
        widget=text_area(5),
        help_text="The threatening, abusive or unreasonably persistent behaviour, with dates. "
        "The customer is told it, with how to contact the Housing Ombudsman.",
        error_messages={"required": "Give the reason for not investigating the complaint"},
    )
    legal_advice = forms.CharField(
        label="What legal advice was given?",
        widget=text_area(3),
        help_text="The procedure says we seek legal advice before deciding not to investigate.",
        error_messages={"required": "Record the legal advice that was sought"},
    )
    advice_on = forms.DateField(
        label="When was the advice given?",
        widget=DateInput,
        error_messages={"required": "Give the date of the legal advice"},
    )
