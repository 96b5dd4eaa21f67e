"""Addresses of workspace pages for emails the worker sends, where there is no request to ask."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse

#: Where the email settings page lives if its URL name is not there yet.
EMAIL_SETTINGS_PATH = "/account/emails/"


def absolute(path: str) -> str:
    return settings.PUTRIGHT_BASE_URL + path


def case_url(reference: str) -> str:
    """The case page in the workspace (a sweep makes thousands: ``reverse`` once, then fill in)."""
    return absolute(_case_path().replace(_SLOT, reference))


_SLOT = "PR-SLOT"


@cache
def _case_path() -> str:
    return reverse("web:case", args=[_SLOT])


def email_settings_url() -> str:
    """The page where staff turn the daily digest off."""
    try:
        return absolute(reverse("web:email-settings"))
    except NoReverseMatch:
        return absolute(EMAIL_SETTINGS_PATH)
