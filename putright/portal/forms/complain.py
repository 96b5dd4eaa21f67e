"""The complaint form's questions, one a page, in the order they are asked.

Each page is a small ``GovukForm`` that knows its address (``slug``), its
heading, when it is asked at all (``applies``), how its saved answers read on
"Check your answers" (``rows``), and nothing else. Its answers are saved in
the draft as plain JSON (``forms.answers`` reads them). Every error says
what to do, in the Design System's words.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, ClassVar

from django import forms
from django.forms.boundfield import BoundWidget

from putright.accounts.email_addresses import EmailAddressField
from putright.cases.models import AdjustmentKind, ContactPreference, RepresentativeKind, Tenure
from putright.cases.services.customers import normalise_postcode
from putright.design.forms import Checkboxes, DateField, GovukBoundField, GovukForm, Radios, text_area
from putright.portal.forms.answers import SOMEONE_ELSE, Context
from putright.portal.forms.text import ACCEPT, PlainText
from putright.procedure.guards import SUMMARY_LIMIT
from putright.procedure.wording import long_date

Row = tuple[str, str]

WHAT_LIMIT, PUT_RIGHT_LIMIT, WHY_NOW_LIMIT = 5000, 2000, 1000
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")


def _text(
    label: str,
    required: str = "",
    *,
    limit: int = 100,
    counted: bool = False,
    subject: str = "",
    **extra: Any,
) -> forms.CharField:
    """A text answer; ``counted`` shows the character count instead of stopping typing at the limit.

    ``subject`` names the answer in the too-long message ("What went wrong must be ...").
    """
    called = subject or label.rstrip("?")
    messages = {"max_length": f"{called} must be {limit:,} characters or fewer"}
    if required:
        messages["required"] = required
    field = forms.CharField(
        label=label,
        required=bool(required),
        max_length=limit,
        error_messages=messages,
        validators=[PlainText(called, lines=counted)],
        **extra,
    )
    if counted:
        field.widget = text_area(8 if limit > 2000 else 5)
        field.char_limit = limit  # type: ignore[attr-defined]
        field.char_limit_text = f"{limit:,}"  # type: ignore[attr-defined]
    return field


class QuestionBoundField(GovukBoundField):
    """A counted text box says its limit, and lets the count (not the browser) stop a long answer."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if getattr(self.field, "char_limit", None):
            attrs.pop("maxlength", None)
            attrs["class"] += " govuk-js-character-count"
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{self.auto_id}-info {described}".strip()
        return attrs


class QuestionForm(GovukForm):
    """One page of the form, with the honeypot every page carries."""

    bound_field_class = QuestionBoundField
    slug: ClassVar[str] = ""
    #: The heading of a page of several answers (a page of one is headed by its label).
    title: ClassVar[str] = ""
    template_name_page: ClassVar[str] = "portal/complain/question.html"

    #: Left empty by people (they are told so); filled by robots that fill every box.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, context: Context, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context

    @staticmethod
    def applies(context: Context) -> bool:
        return True

    def heading(self) -> str:
        """The page's heading: the question (for one box, its label)."""
        return str(self.questions()[0].label) if len(self.questions()) == 1 else self.title

    def questions(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name != "website"]

    @property
    def trapped(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as JSON: dates as ISO text."""
        saved = {}
        for name, value in self.cleaned_data.items():
            if name != "website" and not isinstance(self.fields[name], forms.FileField):
                saved[name] = value.isoformat() if isinstance(value, dt.date) else value
        return saved

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        raise NotImplementedError


def _choice(label: str, choices: list[tuple[str, str]], required: str, **extra: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=Radios, error_messages={"required": required}, **extra
    )


WHO = [
    (Tenure.TENANT.value, "I am a tenant"),
    (Tenure.LEASEHOLDER.value, "I am a leaseholder"),
    (SOMEONE_ELSE, "I am complaining for a tenant or leaseholder, with their agreement"),
]
THEIR_TENURE = [(Tenure.TENANT.value, "A tenant"), (Tenure.LEASEHOLDER.value, "A leaseholder")]
HOW_KNOWN = [
    (RepresentativeKind.FAMILY_OR_FRIEND.value, "I am a family member or friend"),
    (RepresentativeKind.ADVOCATE.value, "I am an advocate or support worker"),
    (RepresentativeKind.DESIGNATED_PERSON.value, "I am their MP or local councillor"),
    (RepresentativeKind.SOLICITOR.value, "I am their solicitor"),
    (RepresentativeKind.OTHER.value, "Something else"),
]
PREFERENCES = [
    (ContactPreference.EMAIL.value, "Email"),
    (ContactPreference.PHONE.value, "Phone call"),
    (ContactPreference.TEXT.value, "Text message"),
    (ContactPreference.LETTER.value, "Letter"),
]
#: Each kind of help with the box that asks for its details (only where we need them to act).
HELP_DETAILS = {
    AdjustmentKind.OTHER_LANGUAGE.value: ("Which language?", "Enter the language you need"),
    AdjustmentKind.PREFERRED_TIME.value: ("Which days or times?", "Enter the days or times that suit you"),
    AdjustmentKind.OTHER.value: ("What help do you need?", "Enter the help you need"),
}


def _label(choices: list[tuple[str, str]], value: str) -> str:
    return dict(choices).get(value, value)


class WhoForm(QuestionForm):
    slug = "who"
    who = _choice(
        "Who is making the complaint?",
        WHO,
        "Choose who is making the complaint",
        help_text="You can complain for someone else if they agree, for example a family member.",
    )

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [("Who is complaining", _label(WHO, saved["who"]))]


class ForSomeoneForm(QuestionForm):
    slug = "for-someone"
    title = "Who are you complaining for?"
    # Not the visitor's own name: a browser must not fill in theirs.
    first_name = _text(
        "Their first name", "Enter their first name", widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_name = _text(
        "Their last name", "Enter their last name", widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    tenure = _choice(
        "Are they a tenant or a leaseholder?", THEIR_TENURE, "Choose if they are a tenant or a leaseholder"
    )
    kind = _choice("How do you know them?", HOW_KNOWN, "Choose how you know them")
    role = _text("Your relationship to them", help_text="For example, daughter, or MP for North Norfolk")
    consent = forms.BooleanField(
        label="They agree to me making this complaint for them",
        help_text="We can only deal with you about their complaint if they agree. We may check with them.",
        error_messages={"required": "Confirm that they agree to you making this complaint for them"},
    )

    @staticmethod
    def applies(context: Context) -> bool:
        return context.acting

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        known = _label(HOW_KNOWN, saved["kind"]) + (f" ({saved['role']})" if saved.get("role") else "")
        return [
            ("Complaining for", f"{saved['first_name']} {saved['last_name']}"),
            ("They are", _label(THEIR_TENURE, saved["tenure"])),
            ("How you know them", known),
            ("They agree", "Yes" if saved.get("consent") else "No"),
        ]


class NameForm(QuestionForm):
    slug = "name"
    title = "What is your name?"
    first_name = _text(
        "First name", "Enter your first name", widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = _text(
        "Last name", "Enter your last name", widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.context.acting:
            self.fields["first_name"].help_text = f"Your own name, not {self.context.their_name}’s"

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [("Your name", f"{saved['first_name']} {saved['last_name']}")]


class AddressForm(QuestionForm):
    slug = "address"
    title = "What is your address?"
    line_1 = _text(
        "Address line 1",
        "Enter the first line of the address",
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line_2 = _text("Address line 2", widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    town = _text(
        "Town or city",
        "Enter the town or city",
        widget=forms.TextInput(attrs={"autocomplete": "address-level2", "class": "govuk-!-width-two-thirds"}),
    )
    postcode = _text(
        "Postcode",
        "Enter the postcode",
        limit=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.context.acting:
            for name in ("line_1", "line_2", "town", "postcode"):
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def heading(self) -> str:
        return "What is the address of their home?" if self.context.acting else self.title

    def clean_postcode(self) -> str:
        typed = self.cleaned_data["postcode"]
        compact = "".join(typed.split()).upper()
        if not _POSTCODE.match(compact):
            raise forms.ValidationError("Enter a real postcode, like NR28 0NB")
        return normalise_postcode(compact)

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        lines = [saved["line_1"], saved.get("line_2", ""), saved["town"], saved["postcode"]]
        return [("Address" if not context.acting else "Their address", "\n".join(x for x in lines if x))]


class ContactForm(QuestionForm):
    slug = "contact"
    title = "How can we contact you?"
    email = EmailAddressField(
        label="Email address",
        required=False,
        help_text="We will send you a link to follow your complaint.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = _text(
        "Phone number",
        limit=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
        ),
    )
    preferred = _choice(
        "How would you like us to contact you?", PREFERENCES, "Choose how you would like us to contact you"
    )
    preferred_time = _text(
        "When is the best time to contact you?", limit=120, help_text="For example, weekday mornings"
    )

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        digits = re.sub(r"\D", "", phone)
        if phone and (not _PHONE.match(phone) or not 10 <= len(digits) <= 15):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, phone = cleaned.get("email", ""), cleaned.get("phone", "")
        if "email" in self.errors or "phone" in self.errors:
            return cleaned
        if not (email or phone):
            self.add_error("email", "Enter an email address or a phone number, so we can contact you")
            return cleaned
        preferred = cleaned.get("preferred")
        if preferred == ContactPreference.EMAIL and not email:
            self.add_error("email", "Enter your email address, or choose another way to be contacted")
        if preferred in (ContactPreference.PHONE, ContactPreference.TEXT) and not phone:
            self.add_error("phone", "Enter your phone number, or choose another way to be contacted")
        return cleaned

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        how = _label(PREFERENCES, saved["preferred"])
        return [
            ("Email address", saved.get("email") or "Not given"),
            ("Phone number", saved.get("phone") or "Not given"),
            ("Contact by", f"{how}, {saved['preferred_time']}" if saved.get("preferred_time") else how),
        ]


class HelpForm(QuestionForm):
    slug = "help"
    template_name_page = "portal/complain/help.html"
    kinds = forms.MultipleChoiceField(
        label="Do you need any help from us?",
        help_text="For example, letters in large print or someone who speaks your language. "
        "Select all that apply, or none.",
        choices=AdjustmentKind.choices,
        required=False,
        widget=Checkboxes,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, (label, _message) in HELP_DETAILS.items():
            self.fields[f"detail_{kind}"] = _text(label, limit=300)

    def questions(self) -> list[forms.BoundField]:
        return [self["kinds"]]

    def options(self) -> list[tuple[BoundWidget, forms.BoundField | None]]:
        """Each kind of help with the box for its details, shown when it is ticked."""
        return [
            (o, self[f"detail_{o.data['value']}"] if o.data["value"] in HELP_DETAILS else None)
            for o in self["kinds"]
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in cleaned.get("kinds", []):
            if kind in HELP_DETAILS and not cleaned.get(f"detail_{kind}", "").strip():
                self.add_error(f"detail_{kind}", HELP_DETAILS[kind][1])
        return cleaned

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [("Help you need", "\n".join(label for _kind, label in chosen_help(saved)) or "None")]


def chosen_help(saved: dict[str, Any]) -> list[tuple[str, str]]:
    """The kinds of help ticked, each with its details: (kind, "Another language: Polish")."""
    chosen = []
    for kind in saved.get("kinds", []):
        detail = saved.get(f"detail_{kind}", "").strip() if kind in HELP_DETAILS else ""
        label = AdjustmentKind(kind).label
        chosen.append((kind, f"{label}: {detail}" if detail else label))
    return chosen


class LandlordForm(QuestionForm):
    slug = "landlord"
    organisation = forms.TypedChoiceField(
        label="Who is your landlord?",
        coerce=int,
        widget=Radios,
        error_messages={"required": "Choose your landlord"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.name) for o in self.context.landlords]
        if self.context.acting:
            field.label, field.error_messages["required"] = "Who is their landlord?", "Choose their landlord"

    @staticmethod
    def applies(context: Context) -> bool:
        return len(context.landlords) > 1

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        names = {o.pk: o.name for o in context.landlords}
        return [("Landlord", names.get(saved["organisation"], "Not found: choose again"))]


class AboutForm(QuestionForm):
    slug = "about"
    category = forms.ChoiceField(
        label="What is your complaint about?",
        help_text="Choose the one that fits best.",
        widget=Radios,
        error_messages={"required": "Choose what your complaint is about"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.key, c.text) for c in self.context.reasons]

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        texts = {c.key: c.text for c in context.reasons}
        return [("What it is about", texts.get(saved["category"], saved["category"]))]


class WhatForm(QuestionForm):
    slug = "what-went-wrong"
    title = "Your complaint"
    #: The one line lists, headings and letters show (not the first words of the description).
    summary = _text(
        "In one line, what is your complaint about?",
        "Enter what your complaint is about in one line",
        limit=SUMMARY_LIMIT,
        subject="The one-line summary",
        help_text=f"For example, “Boiler repair delays”. We use it as the title of your complaint "
        f"in our letters and emails. Up to {SUMMARY_LIMIT} characters.",
    )
    description = _text(
        "What went wrong?",
        "Enter what went wrong",
        limit=WHAT_LIMIT,
        counted=True,
        subject="What went wrong",
        help_text="Tell us what happened, who was involved and how it has affected you.",
    )

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [
            ("Your complaint in one line", saved.get("summary", "")),
            ("What went wrong", saved["description"]),
        ]


class WhenForm(QuestionForm):
    """When it happened and, if later, when the customer found out: the time limit runs from the later."""

    slug = "when"
    title = "When did it happen?"
    matter_date = DateField(label="Date it happened", subject="The date it happened")
    became_aware_on = DateField(
        label="Date you found out about it",
        subject="The date you found out about it",
        required=False,
        help_text="Only if you found out about it later, for example on coming back from a stay in hospital.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = self.context.time_limit_months
        self.fields["matter_date"].help_text = (
            "If it has happened more than once, give the most recent date. "
            f"We usually look at complaints made within {months} months of the problem."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        happened, found_out = cleaned.get("matter_date"), cleaned.get("became_aware_on")
        if happened and found_out and found_out < happened:
            self.add_error(
                "became_aware_on",
                "The date you found out about it must be the same as or after the date it happened",
            )
        return cleaned

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        rows = [("When it happened", long_date(dt.date.fromisoformat(saved["matter_date"]), weekday=True))]
        if saved.get("became_aware_on"):
            found_out = long_date(dt.date.fromisoformat(saved["became_aware_on"]), weekday=True)
            rows.append(("When you found out about it", found_out))
        return rows


class WhyNowForm(QuestionForm):
    slug = "why-now"
    title = "Why are you complaining now?"
    template_name_page = "portal/complain/why_now.html"
    reason = _text(
        "Why did you not complain sooner?",
        "Tell us why you did not complain sooner",
        limit=WHY_NOW_LIMIT,
        counted=True,
        subject="Your reason",
        help_text="For example, you were ill, or you did not know about the problem until later.",
    )

    @staticmethod
    def applies(context: Context) -> bool:
        return context.late

    def heading(self) -> str:
        return self.title

    @property
    def happened_on(self) -> str:
        return long_date(dt.date.fromisoformat(self.context.answer("when", "matter_date")), weekday=True)

    @property
    def found_out_on(self) -> str:
        """When the customer found out about it ("" when they did not say)."""
        found_out = self.context.answer("when", "became_aware_on")
        return long_date(dt.date.fromisoformat(found_out), weekday=True) if found_out else ""

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [("Why you are complaining now", saved["reason"])]


class PutRightForm(QuestionForm):
    slug = "put-right"
    desired_outcome = _text(
        "What would you like us to do to put things right?",
        limit=PUT_RIGHT_LIMIT,
        counted=True,
        subject="What would put things right",
        help_text="If you are not sure, you can leave this empty.",
    )

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return [("What would put it right", saved.get("desired_outcome") or "Not given")]


class EvidenceForm(QuestionForm):
    slug = "evidence"
    title = "Do you have photos or documents to send us?"
    template_name_page = "portal/complain/evidence.html"
    file = forms.FileField(
        label="Upload a file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def heading(self) -> str:
        return self.title

    @classmethod
    def rows(cls, saved: dict[str, Any], context: Context) -> list[Row]:
        return []  # The files are listed from the draft itself.


class SendForm(QuestionForm):
    """Check your answers: nothing to answer but the honeypot."""

    slug = "check"


QUESTIONS: list[type[QuestionForm]] = [
    WhoForm,
    ForSomeoneForm,
    NameForm,
    AddressForm,
    ContactForm,
    HelpForm,
    LandlordForm,
    AboutForm,
    WhatForm,
    WhenForm,
    WhyNowForm,
    PutRightForm,
    EvidenceForm,
]
BY_SLUG = {q.slug: q for q in QUESTIONS}


def asked(context: Context) -> list[type[QuestionForm]]:
    """The questions this person is asked, in order (some depend on earlier answers)."""
    return [q for q in QUESTIONS if q.applies(context)]


def first_unanswered(context: Context) -> type[QuestionForm] | None:
    return next((q for q in asked(context) if q.slug not in context.answers), None)
