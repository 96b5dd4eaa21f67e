"""Issue 15, inputsec: an acknowledgement the customer never had is said beside the deadlines.

The acknowledgement letter is emailed; when that email fails for good the customer has not been
told we have their complaint, so the case page says so in the Deadlines section, not only in the
list of undelivered emails at the top.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from putright.comms.email import delivery
from putright.comms.models import LetterKind
from tests.cases.helpers import at
from tests.web.comms_helpers import _closed_port, send
from tests.web.helpers import text
from tests.web.test_case_page import case_url, stage1_case

pytestmark = pytest.mark.django_db

WHEN = "Tue 2026-03-17 09:00"
LATER = "Tue 2026-03-17 14:00"

SERVER_DOWN = {
    "PUTRIGHT_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_USE_TLS": False,
    "EMAIL_USE_SSL": False,
    "EMAIL_TIMEOUT": 5,
    "PUTRIGHT_EMAIL_ATTEMPTS": 1,
}


def test_a_failed_acknowledgement_is_a_warning_beside_the_deadlines(client, log, officer):
    case = stage1_case(log, officer)
    with at(WHEN):
        letter = send(case, officer, LetterKind.ACKNOWLEDGEMENT)
        [email] = letter.emails.all()
        with override_settings(**SERVER_DOWN, EMAIL_PORT=_closed_port()):
            assert delivery.deliver_one(email.pk) == "failed"
    with at(LATER):
        client.force_login(officer)
        page = client.get(case_url(case))
    assert page.status_code == 200
    html = page.content.decode()
    assert "pr-failed-acknowledgement" in html
    shown = text(page, main_only=True)
    warning = "The acknowledgement could not be emailed to ada@example.org"
    assert warning in shown
    assert shown.index(warning) > shown.index("On this page")  # in the Deadlines section, not the top list


def test_a_delivered_acknowledgement_shows_no_such_warning(client, log, officer):
    case = stage1_case(log, officer)
    with at(WHEN):
        send(case, officer, LetterKind.ACKNOWLEDGEMENT)
    with at(LATER):
        client.force_login(officer)
        page = client.get(case_url(case))
    assert "could not be emailed" not in text(page, main_only=True)
