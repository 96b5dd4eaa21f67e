"""A start-up check that the chosen email provider has what it needs, before any email waits on it.

Settings can see that PUTRIGHT_EMAIL_PROVIDER names one of django-anymail's
providers, but only the provider's backend knows which of its settings it
needs (a Postmark server token, a Mailgun key and domain...). Building the
backend once at start-up (``putright check``, the worker, the server) turns a
missing credential into a refusal to start, not a pile of failed emails.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection


@register()
def email_provider_is_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.PUTRIGHT_DELIVERY_BACKEND
    if not backend.startswith("anymail."):
        return []  # SMTP and Graph are checked by settings; files need nothing
    try:
        get_connection(backend, fail_silently=False)
    except (ImproperlyConfigured, ImportError) as error:
        return [
            Error(
                f"PUTRIGHT_EMAIL_PROVIDER={settings.PUTRIGHT_EMAIL_PROVIDER} cannot send: {error}",
                hint="Set the provider's ANYMAIL_* variables named in django-anymail's docs "
                "(see docs/going-live/mail.md).",
                id="putright.mail.E001",
            )
        ]
    return []
