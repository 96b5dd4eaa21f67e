"""The form for logging a complaint taken by phone, letter, email or in person.

One form, so that one error summary lists everything to fix: the customer
(an existing one chosen by search, or a new one with their contact
preferences and reasonable adjustments), someone acting for them, and the
complaint itself. Every message says what to do, in the Design System's
words ("Enter the date the complaint was received"). The services check
again; what they refuse is put back beside the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import timezone

from putright.accounts.email_addresses import EmailAddressField
from putright.accounts.models import Organisation
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    AdjustmentKind,
    Channel,
    ContactPreference,
    Customer,
    RepresentativeKind,
    Tenure,
)
from putright.cases.services.steps import CLOCK_SKEW
from putright.procedure.policy import Choice
from putright.procedure.wording import long_date
from putright.web.forms.base import Checkboxes, DateField, DateTimeInput, GovukForm, Radios, text_area

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
NO_REPRESENTATIVE, NEW_REPRESENTATIVE = "none", "new"

#: What to ask about each adjustment, and whether the detail is needed to act on it.
ADJUSTMENT_DETAILS: dict[str, tuple[str, bool]] = {
    AdjustmentKind.LARGE_PRINT: ("Print size or format", False),
    AdjustmentKind.OTHER_LANGUAGE: ("Which language", True),
    AdjustmentKind.PREFERRED_TIME: ("Which days or times", True),
    AdjustmentKind.BSL_INTERPRETER: ("Details", False),
    AdjustmentKind.EASY_READ: ("Details", False),
    AdjustmentKind.OTHER: ("What the customer needs", True),
}

#: Where a service's refusal is shown: its field name, as this form calls it.
SERVICE_FIELDS = {
    "name": "first_name",
    "contact": "email",
    "consent_how": "consent_how",
}
CONSENT_NEEDED = (
    "Enter when the customer gave consent: a representative can act for them only with their consent"
)


def _text(label: str, required_message: str = "", *, max_length: int = 200, **extra: Any) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, required=bool(required_message), max_length=max_length, error_messages=messages, **extra
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


class LogComplaintForm(GovukForm):
    token = forms.CharField(widget=forms.HiddenInput)
    customer = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # A new customer (removed when an existing one is chosen).
    title = _text("Title", max_length=20, widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    first_name = _text("First name", "Enter the customer's first name", max_length=100)
    last_name = _text("Last name", "Enter the customer's last name", max_length=100)
    address = forms.CharField(label="Address", required=False, widget=text_area(3))
    postcode = _text(
        "Postcode", max_length=10, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    email = EmailAddressField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = _text(
        "Phone number", max_length=40, widget=forms.TextInput(attrs={"class": "govuk-input--width-20"})
    )
    tenure = forms.ChoiceField(
        label="Tenure",
        choices=Tenure.choices,
        initial=Tenure.TENANT,
        error_messages={"required": "Choose the customer's tenure"},
    )
    tenancy_reference = _text(
        "Tenancy reference", max_length=40, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    preferred_contact = forms.ChoiceField(
        label="How does the customer prefer to be contacted?",
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=Radios(attrs={"small": True}),
        error_messages={"required": "Choose how the customer prefers to be contacted"},
    )
    preferred_contact_time = _text(
        "When is best to contact them?", max_length=120, help_text="For example, weekday mornings"
    )
    adjustments = forms.MultipleChoiceField(
        label="Reasonable adjustments",
        help_text="What we do differently so the customer can use the procedure. Select all that apply.",
        choices=AdjustmentKind.choices,
        required=False,
        widget=Checkboxes,
    )

    # Someone acting for the customer.
    representative = forms.ChoiceField(
        label="Is someone acting for the customer?",
        widget=Radios(attrs={"small": True}),
        initial=NO_REPRESENTATIVE,
        error_messages={"required": "Choose whether someone is acting for the customer"},
    )
    rep_name = _text("Their name", max_length=200)
    rep_kind = forms.ChoiceField(
        label="Who are they?",
        choices=[("", "Choose who they are"), *RepresentativeKind.choices],
        required=False,
    )
    rep_role = _text("Their role", help_text="For example, MP for North Norfolk, or daughter")
    rep_email = EmailAddressField(
        label="Their email address",
        required=False,
        error_messages={"invalid": "Enter the representative's email address in the correct format"},
    )
    rep_phone = _text(
        "Their phone number", max_length=40, widget=forms.TextInput(attrs={"class": "govuk-input--width-20"})
    )
    consent_given_at = forms.DateTimeField(
        label="When did the customer give consent?",
        help_text="A representative acts for the customer only with their consent.",
        required=False,
        widget=DateTimeInput,
        input_formats=DATETIME_FORMATS,
        error_messages={"invalid": "Enter the date and time consent was given, like 2026-03-02 10:00"},
    )
    consent_how = _text(
        "How was consent given?", help_text="For example, signed consent form, or by phone to me"
    )

    # The complaint.
    organisation = forms.TypedChoiceField(
        label="Which organisation is the complaint about?",
        coerce=int,
        widget=Radios(attrs={"small": True}),
        error_messages={"required": "Choose the organisation the complaint is about"},
    )
    channel = forms.ChoiceField(
        label="How was the complaint made?",
        choices=Channel.choices,
        widget=Radios(attrs={"small": True}),
        error_messages={"required": "Choose how the complaint was made"},
    )
    received_at = forms.DateTimeField(
        label="When was it received?",
        help_text="The deadlines are counted from this time. For a letter, the day it arrived.",
        widget=DateTimeInput,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": "Enter the date the complaint was received",
            "invalid": "Enter the date and time the complaint was received, like 2026-03-02 10:00",
        },
    )
    # Dates that may be years ago: day, month and year boxes, not the browser's date picker.
    matter_date = DateField(
        label="When did the matter happen?",
        subject="The date the matter happened",
        help_text="Used to check the time limit for complaints.",
        required=False,
    )
    became_aware_on = DateField(
        label="When did the customer become aware of it?",
        subject="The date the customer became aware",
        help_text="Only if later than the matter itself.",
        required=False,
    )
    category = forms.ChoiceField(
        label="What is the complaint about?",
        widget=Radios(attrs={"small": True}),
        error_messages={"required": "Choose what the complaint is about"},
    )
    summary = _text(
        "Summary", "Enter a one-line summary of the complaint", help_text="One line, for lists and letters"
    )
    description = forms.CharField(
        label="What went wrong?",
        help_text="In the customer's words, as far as possible.",
        widget=text_area(6),
        error_messages={"required": "Enter what went wrong"},
    )
    points = forms.CharField(
        label="Points of complaint",
        help_text="One point per line: each gets its own outcome. Leave blank for one point, the summary.",
        required=False,
        widget=text_area(5),
    )
    desired_outcome = forms.CharField(
        label="What does the customer want us to do to put it right?", required=False, widget=text_area(4)
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        reasons: tuple[Choice, ...],
        customer: Customer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.chosen, self.organisations = customer, organisations
        self._add_detail_fields()
        orgs = self.fields["organisation"]
        assert isinstance(orgs, forms.ChoiceField)
        orgs.choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            orgs.initial = organisations[0].pk
        elif customer is not None and any(o.pk == customer.organisation_id for o in organisations):
            orgs.initial = customer.organisation_id
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c.key, c.text) for c in reasons]
        self._representative_choices(customer)
        if customer is not None:
            for name in self.new_customer_fields():
                del self.fields[name]
            self.fields["customer"].initial = customer.pk
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def _add_detail_fields(self) -> None:
        for kind, (label, _needed) in ADJUSTMENT_DETAILS.items():
            self.fields[f"adjustment_{kind}"] = _text(label, max_length=300)

    def _representative_choices(self, customer: Customer | None) -> None:
        choices = [(NO_REPRESENTATIVE, "No, the customer is complaining for themselves")]
        for rep in customer.representatives.all() if customer else ():
            consent = (
                f"consent given on {long_date(timezone.localtime(rep.consent_given_at).date())}"
                if rep.has_consent and rep.consent_given_at
                else "no consent recorded"
            )
            choices.append((str(rep.pk), f"{rep.name}, {rep.get_kind_display()} ({consent})"))
        choices.append((NEW_REPRESENTATIVE, "Yes, someone else: enter their details below"))
        field = self.fields["representative"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @staticmethod
    def new_customer_fields() -> list[str]:
        return [
            "title",
            "first_name",
            "last_name",
            "address",
            "postcode",
            "email",
            "phone",
            "tenure",
            "tenancy_reference",
            "preferred_contact",
            "preferred_contact_time",
            "adjustments",
            *(f"adjustment_{kind}" for kind in ADJUSTMENT_DETAILS),
        ]

    def adjustment_options(self) -> list[tuple[BoundWidget, forms.BoundField]]:
        """Each adjustment's checkbox with the box for its detail, revealed when it is ticked."""
        details = {kind: self[f"adjustment_{kind}"] for kind in ADJUSTMENT_DETAILS}
        return [(option, details[option.data["value"]]) for option in self["adjustments"]]

    # Cleaning: each rule names the field to fix.

    def clean_received_at(self) -> dt.datetime | None:
        value = _aware(self.cleaned_data.get("received_at"))
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("The date received cannot be in the future")
        return value

    def clean_consent_given_at(self) -> dt.datetime | None:
        value = _aware(self.cleaned_data.get("consent_given_at"))
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            raise forms.ValidationError("The date consent was given cannot be in the future")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.chosen is None:
            self._check_new_customer(cleaned)
        if cleaned.get("representative") == NEW_REPRESENTATIVE:
            self._check_new_representative(cleaned)
        elif cleaned.get("rep_name", "").strip() and "representative" not in self.errors:
            self.add_error(
                "representative",
                f"Choose “Yes, someone else” if {cleaned['rep_name'].strip()} is acting for the customer, "
                "or clear their details",
            )
        self._check_dates(cleaned)
        return cleaned

    def _check_new_customer(self, cleaned: dict[str, Any]) -> None:
        email, phone, address = (cleaned.get(n, "").strip() for n in ("email", "phone", "address"))
        if "email" not in self.errors and not (email or phone or address):
            self.add_error(
                "email",
                "Enter at least one way to reach the customer: an email address, phone number or address",
            )
        needs = {
            ContactPreference.EMAIL: (
                "email",
                email,
                "Enter the customer's email address: they prefer email",
            ),
            ContactPreference.PHONE: (
                "phone",
                phone,
                "Enter the customer's phone number: they prefer phone calls",
            ),
            ContactPreference.TEXT: (
                "phone",
                phone,
                "Enter the customer's mobile number: they prefer text messages",
            ),
            ContactPreference.LETTER: (
                "address",
                address,
                "Enter the customer's address: they prefer letters",
            ),
        }
        preference = cleaned.get("preferred_contact")
        if preference in needs and (email or phone or address):
            field, given, message = needs[ContactPreference(preference)]
            if not given and field not in self.errors:
                self.add_error(field, message)
        for kind in cleaned.get("adjustments", []):
            label, needed = ADJUSTMENT_DETAILS[kind]
            if needed and not cleaned.get(f"adjustment_{kind}", "").strip():
                self.add_error(
                    f"adjustment_{kind}", f"Enter {label.lower()}: {AdjustmentKind(kind).label.lower()}"
                )

    def _check_new_representative(self, cleaned: dict[str, Any]) -> None:
        if not cleaned.get("rep_name", "").strip():
            self.add_error("rep_name", "Enter the representative's name")
        if not cleaned.get("rep_kind"):
            self.add_error("rep_kind", "Choose who the representative is")
        if cleaned.get("consent_given_at") and not cleaned.get("consent_how", "").strip():
            self.add_error("consent_how", "Enter how the customer gave consent")

    def _check_dates(self, cleaned: dict[str, Any]) -> None:
        received = cleaned.get("received_at")
        matter, aware = cleaned.get("matter_date"), cleaned.get("became_aware_on")
        received_on = timezone.localtime(received).date() if received else None
        if received_on and matter and matter > received_on:
            self.add_error("matter_date", "The date of the matter cannot be after the complaint was received")
        if received_on and aware and aware > received_on:
            self.add_error(
                "became_aware_on",
                "The date the customer became aware cannot be after the complaint was received",
            )
        if matter and aware and aware < matter and "became_aware_on" not in self.errors:
            self.add_error(
                "became_aware_on", "The date the customer became aware cannot be before the matter happened"
            )

    # What the services are given.

    def point_lines(self) -> list[str]:
        """The points, one a line; blank lines ignored."""
        return [line.strip() for line in self.cleaned_data.get("points", "").splitlines() if line.strip()]

    def chosen_adjustments(self) -> list[tuple[str, str]]:
        return [
            (kind, self.cleaned_data.get(f"adjustment_{kind}", ""))
            for kind in self.cleaned_data["adjustments"]
        ]

    def refuse_from_service(self, error: InvalidInput) -> None:
        """Put a service's refusal beside the field it concerns, worded as a sentence."""
        field, message = self._where(error)
        self.add_error(field, message)

    def _where(self, error: InvalidInput) -> tuple[str | None, str]:
        if error.field == "representative":
            if self.cleaned_data.get("representative") == NEW_REPRESENTATIVE:
                return "consent_given_at", CONSENT_NEEDED
            return (
                "representative",
                "The customer's consent for this representative is not recorded: add them again with it",
            )
        field = SERVICE_FIELDS.get(error.field, error.field)
        if field in self.fields:
            return field, error.detail[:1].upper() + error.detail[1:]
        return None, error.message
