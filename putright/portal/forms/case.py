"""The forms a customer fills in to find and follow their own case, and to take the next step."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.email_addresses import EmailAddressField
from putright.cases.models import RepresentativeKind
from putright.cases.services.evidence import allowed_types
from putright.design.forms import Checkboxes, GovukForm, Radios, text_area
from putright.design.sizes import upload_limit_words
from putright.portal.forms.text import ACCEPT, PlainText
from putright.procedure.policy import Policy


class FindForm(GovukForm):
    reference = forms.CharField(
        label="Your complaint reference",
        help_text="It starts with PR, for example PR-7K3M9Q. It is on our emails and letters.",
        max_length=20,
        error_messages={"required": "Enter your complaint reference"},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        error_messages={"required": "Enter your postcode"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    surname = forms.CharField(
        label="Your surname",
        help_text="Your last name, or family name.",
        max_length=100,
        error_messages={"required": "Enter your surname"},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )


class NewLinkForm(GovukForm):
    reference = FindForm.base_fields["reference"]
    email = EmailAddressField(
        label="Your email address",
        help_text="The email address you gave us with your complaint.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right form, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class CaseStepForm(GovukForm):
    """A step on the case: carries the version the customer saw, so a change since is never overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, policy: Policy, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy


class ReviewForm(CaseStepForm):
    grounds = forms.MultipleChoiceField(
        label="Why do you want a review?",
        help_text="Select all that apply.",
        widget=Checkboxes,
        error_messages={"required": "Select at least one reason why you want a review"},
    )
    explanation = forms.CharField(
        label="Tell us more",
        help_text="Say what you are unhappy about and what you would like us to do.",
        validators=[PlainText("What you told us", lines=True)],
        max_length=5000,
        required=False,
        widget=text_area(6),
    )

    def __init__(self, policy: Policy, *args: Any, **kwargs: Any) -> None:
        super().__init__(policy, *args, **kwargs)
        grounds = self.fields["grounds"]
        assert isinstance(grounds, forms.MultipleChoiceField)
        grounds.choices = [(g.key, g.text) for g in policy.stage2.grounds]
        grounds.required = policy.stage2.reasons_required


class AppealForm(CaseStepForm):
    criteria = forms.MultipleChoiceField(
        label="Why do you want to appeal?",
        help_text="Select all that apply. An appeal is heard when at least one of these is true.",
        widget=Checkboxes,
        error_messages={"required": "Select at least one reason why you want to appeal"},
    )
    explanation = forms.CharField(
        label="Tell us why",
        help_text="Say what happened. For example, which point we did not look at, or what was not done.",
        validators=[PlainText("Why you want to appeal", lines=True)],
        max_length=5000,
        error_messages={"required": "Tell us why you want to appeal"},
        widget=text_area(6),
    )

    def __init__(self, policy: Policy, *args: Any, **kwargs: Any) -> None:
        super().__init__(policy, *args, **kwargs)
        criteria = self.fields["criteria"]
        assert isinstance(criteria, forms.MultipleChoiceField)
        criteria.choices = [(c.key, c.text) for c in policy.appeal.criteria] if policy.appeal else []


class _OneOfTwo(forms.Field):
    """A box of a pair where one or the other must be given: neither is "(optional)" alone.

    Marked required (so the page does not call it optional) but never refused
    empty on its own: the form says what to do when both are empty.
    """

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            return
        super().validate(value)


class _InformationText(_OneOfTwo, forms.CharField):
    pass


class _InformationFile(_OneOfTwo, forms.FileField):
    pass


class InformationForm(CaseStepForm):
    use_required_attribute = False  # one of the two is needed, not both
    information = _InformationText(
        label="What do you want to tell us?",
        validators=[PlainText("What you want to tell us", lines=True)],
        max_length=10000,
        widget=text_area(6),
    )
    file = _InformationFile(label="Add a file", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"A {allowed_types()} file, up to {upload_limit_words()}."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("information") or "").strip() and not cleaned.get("file") and not self.errors:
            self.add_error("information", "Write something or choose a file to add")
        return cleaned


YES_NO = [("yes", "Yes"), ("no", "No")]


class WithdrawForm(CaseStepForm):
    confirm = forms.ChoiceField(
        label="Are you sure you want to withdraw your complaint?",
        help_text="We will stop looking into it.",
        choices=YES_NO,
        widget=Radios,
        error_messages={"required": "Select yes if you want to withdraw your complaint"},
    )
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        help_text="You do not have to tell us.",
        validators=[PlainText("Your reason", lines=True)],
        max_length=2000,
        required=False,
        widget=text_area(3),
    )


#: Who a customer can give consent for, in their words.
CONSENT_KINDS = [
    (RepresentativeKind.DESIGNATED_PERSON.value, "My MP, a local councillor or a tenant panel"),
    (RepresentativeKind.FAMILY_OR_FRIEND.value, "A family member or friend"),
    (RepresentativeKind.ADVOCATE.value, "An advocate or support worker"),
    (RepresentativeKind.SOLICITOR.value, "A solicitor"),
    (RepresentativeKind.OTHER.value, "Someone else"),
]


class ConsentForm(GovukForm):
    kind = forms.ChoiceField(
        label="Who do you want to act for you?",
        choices=CONSENT_KINDS,
        widget=Radios,
        error_messages={"required": "Select who you want to act for you"},
    )
    name = forms.CharField(
        label="Their full name",
        validators=[PlainText("Their name", lines=False)],
        max_length=200,
        error_messages={"required": "Enter the name of the person who will act for you"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.CharField(
        label="Their role",
        help_text="For example, MP for North Norfolk, or my daughter.",
        validators=[PlainText("Their role", lines=False)],
        max_length=200,
        required=False,
    )
    email = EmailAddressField(
        label="Their email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right form, like name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Their phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    agree = forms.MultipleChoiceField(
        label="Your consent",
        choices=[("yes", "I agree that this person can act for me on my complaint and see its details")],
        widget=Checkboxes,
        error_messages={"required": "Tick the box to give your consent"},
    )


class ConsentWithdrawForm(GovukForm):
    confirm = forms.ChoiceField(
        label="Do you want this person to stop acting for you?",
        choices=YES_NO,
        widget=Radios,
        error_messages={"required": "Select yes if this person should stop acting for you"},
    )

    def __init__(self, *args: Any, name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if name:
            self.fields["confirm"].label = f"Do you want {name} to stop acting for you?"
