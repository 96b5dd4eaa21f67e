"""The forms of signing in and of the account, in the Design System's markup.

Django's own authentication forms do the work (checking passwords, sending
reset links, validating new passwords); these classes only give them the
GOV.UK labels, hints and error messages.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from putright.accounts.oidc import provider
from putright.web.forms.base import GovukForm

NEW_PASSWORD_RULES = "At least 12 characters. Not a common password, not all numbers and not like your name."  # noqa: S105 (words for people, not a password)


def _plain(field: forms.Field, **attrs: str) -> None:
    """No autofocus (the Design System advises against it) and no spelling checks on secrets."""
    field.widget.attrs.pop("autofocus", None)
    field.widget.attrs.update({"spellcheck": "false", **attrs})


class SignInForm(auth_forms.AuthenticationForm, GovukForm):
    """Username and password. A wrong pair is reported without saying which was wrong."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been closed. Ask an administrator if you need it again.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["password"].label = "Password"
        _plain(self.fields["username"], autocapitalize="none")
        _plain(self.fields["password"])

    def confirm_login_allowed(self, user: Any) -> None:
        """While staff sign in with their organisation's account, a password is only the local
        administrators' way in (PUTRIGHT_OIDC_PASSWORD_SIGN_IN); issue 14, oidc."""
        super().confirm_login_allowed(user)
        administrator = user.is_superuser or user.role == "administrator"
        if not administrator and not provider.passwords_for_everyone():
            raise ValidationError(
                f"Sign in with {settings.PUTRIGHT_OIDC_PROVIDER_NAME} instead: passwords are only for "
                "administrators here.",
                code="organisation_account",
            )

    def clean(self) -> dict[str, Any]:
        """Show a wrong username or password beside the password box, where the user will retype."""
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                raise
            self.add_error("password", error)
            return self.cleaned_data


class ChangePasswordForm(auth_forms.PasswordChangeForm, GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not correct. Enter it again.",
        }
        _plain(self.fields["old_password"])
        _new_password_fields(self)


class ResetPasswordForm(auth_forms.PasswordResetForm, GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The address your account is registered with at work."
        email.error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.org",
        )
        _plain(email, autocapitalize="none")


class NewPasswordForm(auth_forms.SetPasswordForm, GovukForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


def _new_password_fields(form: forms.Form) -> None:
    """The two boxes for a new password, with a hint in words instead of Django's list."""
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label, first.help_text = "New password", NEW_PASSWORD_RULES
    second.label, second.help_text = "Confirm new password", ""
    first.error_messages["required"] = "Enter a new password"
    second.error_messages["required"] = "Enter the new password again"
    form.error_messages = {  # type: ignore[attr-defined]
        **form.error_messages,  # type: ignore[attr-defined]
        "password_mismatch": "The two new passwords do not match. Enter the same password twice.",
    }
    _plain(first)
    _plain(second)


class CodeForm(GovukForm):
    """The 6-digit code from an authenticator app; spaces are forgiven, as apps show them."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits the app shows now, for example 123456.",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("Enter the 6-digit code from your authenticator app, using numbers only")
        return code
