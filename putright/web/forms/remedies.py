"""Forms for putting things right: offer a remedy (with an amount suggested from our rates),
record the customer's answer, record the payment.

The rules (money has an amount and a purpose, an apology says what it is, a
date is not in the future nor before the move before) are the services' and
the state machine's; the forms ask for what each page needs and show the
services' refusals beside the field they name.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import Http404

from putright.learning.models import Remedy
from putright.learning.remedy_selectors import MAX_UNITS, rates_of
from putright.procedure.learning import RemedyPurpose, RemedyType, money
from putright.procedure.policy import CompensationRate
from putright.web.forms.base import DateField, Radios, StepForm, text_area

_MONEY_ONLY = "For a financial remedy only."


def rate_choice(rate: CompensationRate) -> str:
    """ "Each day without heating or hot water – £5.00 a day", with its cap if it has one."""
    article = "an" if rate.per.value[:1] in "aeiou" else "a"
    cap = f", at most £{money(rate.cap)} for one complaint" if rate.cap else ""
    return f"{rate.label} – £{money(rate.amount)} {article} {rate.per.value}{cap}"


class OfferRemedyForm(StepForm):
    ask_when = False

    remedy_type = forms.ChoiceField(
        label="What was offered?",
        choices=[(t.value, t.label) for t in RemedyType],
        widget=Radios,
        error_messages={"required": "Choose what was offered", "invalid_choice": "Choose what was offered"},
    )
    description = forms.CharField(
        label="Describe the remedy",
        widget=text_area(3),
        required=False,
        help_text="In the words the customer was given, for example “A written apology from the repairs "
        "manager” or “Replace the boiler by 20 March”. Optional for money.",
    )
    point = forms.TypedChoiceField(
        label="Which point does it answer?",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a point of this complaint"},
    )
    amount = forms.DecimalField(
        label="Amount, in pounds",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_MONEY_ONLY,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter the amount in pounds, for example 60 or 60.00",
            "min_value": "The amount must be more than £0",
            "max_decimal_places": "Enter the amount in pounds and pence, with no more than 2 decimal places",
            "max_digits": "The amount is too large",
            "max_whole_digits": "The amount is too large",
        },
    )
    purpose = forms.ChoiceField(
        label="What is the money for?",
        choices=[(p.value, p.label) for p in RemedyPurpose],
        widget=Radios(attrs={"small": True}),
        required=False,
        help_text=_MONEY_ONLY,
        error_messages={"invalid_choice": "Choose what the money is for"},
    )
    # "Suggest an amount from our rates": never saved on its own.
    rate = forms.ChoiceField(label="Our rate", required=False)
    units = forms.IntegerField(
        label="How many days, weeks or occasions?",
        required=False,
        min_value=1,
        max_value=MAX_UNITS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of days, weeks or occasions as a whole number",
            "min_value": "Enter at least 1",
            "max_value": f"Enter at most {MAX_UNITS}",
        },
    )
    offered_on = DateField(
        label="When was it offered?",
        subject="The date it was offered",
        required=False,
        help_text="Leave blank for today.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = list(self.complaint.points.all()) if self.complaint else []
        point = self.fields["point"]
        assert isinstance(point, forms.ChoiceField)
        point.choices = [("", "Not one point in particular")] + [
            (p.pk, f"Point {p.number}: {p.summary}") for p in points
        ]
        self.rates = rates_of(self.complaint) if self.complaint else ()
        rate = self.fields["rate"]
        assert isinstance(rate, forms.ChoiceField)
        rate.choices = [("", "Choose a rate"), *((r.key, rate_choice(r)) for r in self.rates)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("remedy_type")
        if kind == RemedyType.FINANCIAL.value:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount offered, in pounds")
            if not data.get("purpose") and "purpose" not in self.errors:
                self.add_error("purpose", "Choose what the money is for")
        elif kind:
            if data.get("amount") is not None:
                self.add_error("amount", "Only a financial remedy has an amount: choose “A financial remedy”")
            if not (data.get("description") or "").strip():
                self.add_error("description", "Describe what was offered to put things right")
        return data


class RemedyForm(StepForm):
    """A step on one of the case's remedies: the remedy is found on the case, or the page is 404."""

    ask_when = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = None
        if self.complaint is not None and self.item is not None:
            found = (
                Remedy.objects.filter(complaint_id=self.complaint.pk, pk=self.item)
                .select_related("point")
                .first()
            )
        if found is None:
            raise Http404("No such remedy on this complaint.")
        self.remedy: Remedy = found


class AnswerForm(RemedyForm):
    answer = forms.ChoiceField(
        label="What did the customer say?",
        choices=[("accepted", "They accepted it"), ("declined", "They declined it")],
        widget=Radios,
        error_messages={"required": "Choose whether the customer accepted or declined"},
    )
    answered_on = DateField(
        label="When did they answer?",
        subject="The date they answered",
        required=False,
        help_text="Leave blank for today.",
    )


class PaymentForm(RemedyForm):
    paid_on = DateField(
        label="When was it paid?",
        subject="The date it was paid",
        required=False,
        help_text="Leave blank for today.",
    )
    payment_reference = forms.CharField(
        label="Payment reference",
        max_length=100,
        help_text="The reference of the payment, or where it was credited (for example “Rent account”).",
        error_messages={
            "required": "Enter the payment reference",
            "max_length": "The payment reference must be 100 characters or fewer",
        },
    )
