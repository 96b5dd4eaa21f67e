"""The routes that carry a token in their path are the ones the logs redact."""

from __future__ import annotations

import logging

from django.urls import reverse

from putright.operations.redaction import RedactSecretPaths, redact_path


def test_every_url_with_a_token_in_its_path_is_redacted():
    reset = reverse("web:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "abc-SECRET"})
    link = reverse("portal:link", kwargs={"token": "SECRET-link"})
    invitation = reverse("web:invitation", kwargs={"uidb64": "MQ", "token": "abc-SECRET"})

    assert redact_path(reset) == "/password-reset/MQ/[secret]/"
    assert redact_path(link) == "/your-complaint/link/[secret]/"
    assert redact_path(invitation) == "/invitation/MQ/[secret]/"
    assert redact_path("/invitation/MQ/set-password/") == "/invitation/MQ/set-password/"
    # Django's next step keeps the token in the session: nothing secret left to hide.
    assert redact_path("/password-reset/MQ/set-password/") == "/password-reset/MQ/set-password/"


def test_django_log_lines_lose_the_token():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/your-complaint/link/SECRET/",),
        None,
    )

    RedactSecretPaths().filter(record)

    assert record.getMessage() == "Not Found: /your-complaint/link/[secret]/"
