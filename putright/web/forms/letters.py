"""The forms of letters: a caseworker's edit of a draft, and an administrator's edit of a template.

Both carry what the page was made from in hidden fields (the template
version, or the letter page's one-time token and the case's version) so that
what the service is asked to do is exactly what the person saw.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from putright.cases.errors import InvalidInput
from putright.web.forms.base import GovukForm, text_area


def sentence(text: str) -> str:
    """A service's reason as the Design System writes an error: a sentence with a capital letter."""
    return text[:1].upper() + text[1:]


#: The letters' subject lines, as the model keeps them.
SUBJECT_LENGTH = 200
NOTE_LENGTH = 300


def new_token() -> str:
    """A letter form's one-time token: the letter sent with it is stored under it, once."""
    return uuid.uuid4().hex


#: What a hidden field's error says, at the top of the page: nobody can correct a hidden input.
HIDDEN_ERRORS = {
    "template_id": "This page did not say which template the letter came from. "
    "Check the letter, then send it",
    "token": "This page had lost its one-time key. Check the letter, then send it",
    "version": "This page did not say which version of the complaint it was made from. "
    "Check the letter and its dates, then send it",
}


class LetterForm(GovukForm):
    """The draft as the caseworker leaves it: the words to send, the template they came from, the
    one-time token that makes sending it happen once, and the case's version its dates were read at."""

    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_LENGTH,
        error_messages={
            "required": "Enter the subject of the letter",
            "max_length": f"The subject must be {SUBJECT_LENGTH} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Letter",
        help_text="Change anything you need to. Leave a blank line between paragraphs.",
        widget=text_area(rows=24),
        strip=False,
        error_messages={"required": "Enter the words of the letter"},
    )
    template_id = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(
        widget=forms.HiddenInput, validators=[RegexValidator(r"^[0-9a-f]{32}$")], max_length=32
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].widget.attrs["spellcheck"] = "true"
        self.fields["body"].widget.attrs["spellcheck"] = "true"

    def full_clean(self) -> None:
        """As any form; then an error of a hidden field is the page's (there is no input to link to)."""
        super().full_clean()
        if not self.is_bound:
            return
        for name, message in HIDDEN_ERRORS.items():
            if name in self.errors:
                del self.errors[name]
                self.add_error(None, message)

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Enter the words of the letter")
        return body.strip("\n")

    def refuse(self, error: InvalidInput) -> None:
        """A refusal beside its field; one of the template or the recipient is the page's."""
        field = error.field if error.field in ("subject", "body") else None
        self.add_error(field, sentence(error.detail))


PREVIEW = "preview"
SAVE = "save"


class TemplateForm(GovukForm):
    """A template's words, the case to preview them on, and the note that goes with a new version."""

    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_LENGTH,
        error_messages={
            "required": "Enter the subject of the letter",
            "max_length": f"The subject must be {SUBJECT_LENGTH} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Letter",
        help_text="Use the placeholders listed beside the editor, written like {{ reference }}. "
        "Leave a blank line between paragraphs.",
        widget=text_area(rows=28),
        strip=False,
        error_messages={"required": "Enter the words of the letter"},
    )
    reference = forms.CharField(
        label="Complaint to preview it on",
        help_text="A complaint reference, for example FG-2026-000123.",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    note = forms.CharField(
        label="What changed, and why",
        help_text="Kept with the new version, so that anyone can see why the words changed.",
        max_length=NOTE_LENGTH,
        widget=text_area(rows=3),
        error_messages={
            "required": "Say what changed in this version, and why",
            "max_length": f"The note must be {NOTE_LENGTH} characters or fewer",
        },
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput)

    @property
    def saving(self) -> bool:
        """The button pressed (its name is ``action``); a post without one (Enter in a field) previews."""
        return self.is_bound and self.data.get("action") == SAVE

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError("Enter the words of the letter")
        return body.strip("\n")

    def clean(self) -> dict[str, Any] | None:
        """The note is asked for when saving; a preview goes without it (the label does not say
        "optional", as saving needs it)."""
        if not self.saving:
            self.errors.pop("note", None)
            self.cleaned_data.setdefault("note", "")
        return super().clean()

    def refuse(self, error: InvalidInput) -> None:
        """A refusal beside its field; a stale edit is the page's (a hidden version is not for correcting)."""
        field = error.field if error.field in ("subject", "body", "reference", "note") else None
        self.add_error(field, sentence(error.detail))
