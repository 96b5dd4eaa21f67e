"""An administrator's edit of an organisation's letterhead: contact details and logo."""

from __future__ import annotations

from django import forms

from putright.accounts.contact import MAX_LOGO_BYTES
from putright.accounts.email_addresses import EmailAddressField
from putright.web.forms.base import GovukForm, text_area


class LetterheadForm(GovukForm):
    """The organisation's own details; a blank one prints its group's."""

    address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        widget=text_area(4),
        error_messages={"max_length": "The address must be 500 characters or fewer"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
        error_messages={"max_length": "The phone number must be 40 characters or fewer"},
    )
    email = EmailAddressField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    website = forms.CharField(
        label="Website",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={"max_length": "The website must be 200 characters or fewer"},
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text=f"A PNG or JPEG picture, up to {MAX_LOGO_BYTES // 1024} KB. It is printed at the top of "
        "every letter. Leave empty to keep the logo there is now.",
        error_messages={"empty": "The file you chose is empty"},
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    def logo_upload(self) -> tuple[str, bytes] | None:
        """The chosen logo's name and bytes, read no further than one byte past the limit."""
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return upload.name, upload.read(MAX_LOGO_BYTES + 1)
