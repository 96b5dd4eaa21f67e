"""One email address, checked the same way on every way in (issue 15, inputsec).

A customer's, a representative's or a member of staff's address is used as a
mail header. Django's ``EmailValidator`` alone accepts a quoted local part, so
``"a,b"@example.org`` passes, and some callers never checked at all: a comma
list, a newline followed by ``Bcc:``, or ``not-an-email`` was stored and that
person's emails then failed quietly. Every way in (the API's schemas, the
staff and public forms, the import, the landlord file, OpenID Connect claims
and the services beneath them) asks here, so they cannot disagree.
"""

from __future__ import annotations

from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from pydantic import AfterValidator

#: Characters that make one field more than one address, or a header more than one header.
NOT_IN_ONE_ADDRESS = frozenset(",;<>\"'\r\n\t \x00")
MESSAGE = "enter one email address, like name@example.org"

_django = EmailValidator(message=MESSAGE)


def email_problem(value: str) -> str | None:
    """Why ``value`` is not one plain email address, or None when it is."""
    if any(c in NOT_IN_ONE_ADDRESS for c in value) or value.count("@") != 1:
        return MESSAGE
    try:
        _django(value)
    except ValidationError:
        return MESSAGE
    return None


def validate_email_address(value: str) -> None:
    """A Django validator (forms and model fields): raises ValidationError naming the problem."""
    problem = email_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid")


def clean_email_address(value: str, *, blank: bool = True) -> str:
    """The address trimmed and lower-cased; "" stays "" when ``blank``. Raises ValueError otherwise."""
    value = (value or "").strip()
    if not value and blank:
        return ""
    problem = email_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value.lower()


def _schema_address(value: str) -> str:
    return clean_email_address(value)


#: An optional email address in an API schema: a bad one is a 422 naming the field.
EmailAddress = Annotated[str, AfterValidator(_schema_address)]


class EmailAddressField(forms.EmailField):
    """A form's email field that refuses what ``email_problem`` refuses (a comma list, a quoted name)."""

    default_validators = [validate_email_address]
