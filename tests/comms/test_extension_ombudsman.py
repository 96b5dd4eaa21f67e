"""An extension, at either stage, tells the customer they may go to the Housing Ombudsman now and how
(Code 6.5 and 6.16): in the PDF and in the email that carries it.

The journey is the standard one of tests/cases/conftest.py. Stage 1's response is due Mon 16 March
2026; stage 2 (escalated Fri 13 March) is due Tue 14 April 2026 (see test_letter_pdfs.py), and 10
working days more, skipping nothing, is Tue 28 April 2026.
"""

# ruff: noqa: F811

from __future__ import annotations

import datetime as dt

import pytest

from putright.cases.services import investigation
from putright.comms.letters import placeholders
from putright.comms.models import LetterKind, OutboundEmail
from tests.cases.helpers import at
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_text,
    send,
)

pytestmark = pytest.mark.django_db

OMBUDSMAN = [
    "You do not have to wait for our response to contact the Housing Ombudsman Service.",
    "If you are unhappy that we need more time, you can contact them now",
    "Write to: Housing Ombudsman Service, PO Box 152, Liverpool, L33 7WQ",
    "Phone: 0300 111 3000",
    "Email: info@housing-ombudsman.org.uk",
    "Website: www.housing-ombudsman.org.uk",
]


def assert_has(text: str, *expected: str) -> None:
    missing = [e for e in expected if e not in text]
    assert not missing, f"missing {missing} in:\n{text}"


def test_the_extension_letter_offers_every_ombudsman_placeholder():
    assert set(placeholders.OMBUDSMAN) <= set(placeholders.placeholders(LetterKind.EXTENSION))


def test_a_stage_1_extension_gives_the_ombudsman_in_the_pdf_and_the_email(journey, officer):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-10 12:00"):
        investigation.extend(
            complaint, new_due_on=dt.date(2026, 3, 30), reason="The roofer's report is late", actor=officer
        )
    letter = send(complaint, LetterKind.EXTENSION, officer, "Tue 2026-03-10 12:05")
    assert_has(pdf_text(letter), "by Monday 30 March 2026", *OMBUDSMAN)
    (email,) = OutboundEmail.objects.filter(letter=letter)
    assert_has(" ".join(email.body_text.split()), "by Monday 30 March 2026", *OMBUDSMAN)


def test_a_stage_2_extension_gives_the_ombudsman_too(journey, senior):
    complaint = journey.until("contacted2")
    with at("Mon 2026-04-13 12:00"):
        investigation.extend(
            complaint, new_due_on=dt.date(2026, 4, 28), reason="The surveyor is ill", actor=senior
        )
    text = pdf_text(send(complaint, LetterKind.EXTENSION, senior, "Mon 2026-04-13 12:05"))
    assert_has(text, "by Tuesday 14 April 2026 as we said", "by Tuesday 28 April 2026", *OMBUDSMAN)
