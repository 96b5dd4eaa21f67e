"""The letters of unacceptable behaviour, made on real cases and read back from their PDFs: the
restriction (why, what, how to contact us meanwhile, the review date, and what it never stops) and
the decision not to investigate (why, the legal advice's date, and the Housing Ombudsman)."""

# ruff: noqa: F811

from __future__ import annotations

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.services import concerns, declining, restrictions
from putright.comms.letters import availability
from putright.comms.letters.letter_context import letter_context, load
from putright.comms.letters.suggestions import suggested_for
from putright.comms.models import LetterKind
from tests.cases.helpers import at, day
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_text,
    send,
)
from tests.comms.test_letter_pdfs import OMBUDSMAN, assert_has

K = LetterKind
pytestmark = pytest.mark.django_db


def restrict(complaint, senior, **extra):
    with at("Wed 2026-03-04 12:00"):
        return concerns.record_restriction(
            complaint,
            reason="Abusive calls to staff on 3 and 4 March",
            restrictions="Contact by email only",
            review_on=day("Thu 2026-06-04"),
            actor=senior,
            **extra,
        )


def test_the_restriction_letter_says_why_what_how_to_reach_us_and_when_it_is_reviewed(journey, senior):
    complaint = journey.until("contacted")
    restrict(complaint, senior, contact_meanwhile="Email Olivia Officer at complaints@victoryhousing.co.uk")

    assert K.RESTRICTION in suggested_for(load(complaint.pk))  # offered, so it is not forgotten
    text = pdf_text(send(complaint, K.RESTRICTION, senior, "Wed 2026-03-04 12:30"))

    assert_has(
        text,
        "Abusive calls to staff on 3 and 4 March",
        "What is restricted, from Wednesday 4 March 2026",
        "Contact by email only",
        "Email Olivia Officer at complaints@victoryhousing.co.uk",
        "never stops you reporting a repair, a hazard in your home, or a concern about someone's safety",
        "We will review this restriction on Thursday 4 June 2026",
        "We will still deal with your complaint",
    )


def test_without_a_named_contact_the_letter_names_the_handler(journey, senior, officer):
    complaint = journey.until("contacted")
    restrict(complaint, senior)
    values = letter_context(complaint, K.RESTRICTION)
    assert values["contact_meanwhile"].startswith(f"Please contact {officer.get_full_name()} by email to ")
    assert values["contact_meanwhile"].endswith(f"quoting your reference {complaint.reference}.")


def test_a_renewed_restriction_letter_gives_the_new_review_date_and_terms(journey, senior):
    complaint = journey.until("contacted")
    restriction = restrict(complaint, senior)
    with at("Thu 2026-06-04 10:00"):
        restrictions.renew_restriction(
            complaint,
            restriction,
            reason="Threatening emails on 20 and 27 May",
            review_on=day("Fri 2026-09-04"),
            restrictions="Letters only",
            actor=senior,
        )
    text = pdf_text(send(complaint, K.RESTRICTION, senior, "Thu 2026-06-04 10:30"))
    assert_has(text, "Letters only", "We will review this restriction on Friday 4 September 2026")


def test_no_restriction_letter_without_a_restriction_in_force(journey, senior):
    complaint = journey.until("contacted")
    restriction = restrict(complaint, senior)
    with at("Thu 2026-03-05 10:00"):
        restrictions.end_restriction(complaint, restriction, reason="Apology received", actor=senior)
    reason = availability.why_not(load(complaint.pk), K.RESTRICTION)
    assert reason == "no restriction is in force for this customer: record one first"
    with pytest.raises(InvalidInput):
        send(complaint, K.RESTRICTION, senior, "Thu 2026-03-05 10:30")


def test_the_decision_not_to_investigate_gives_the_reason_and_signposts_the_ombudsman(journey, senior):
    complaint = journey.until("contacted")
    assert availability.why_not(load(complaint.pk), K.NOT_INVESTIGATED) == (
        "no decision not to investigate has been recorded: record it first"
    )
    with at("Fri 2026-03-06 15:00"):
        declining.decline_to_investigate(
            complaint,
            reason="Threats to staff on 3 and 4 March, and 40 calls in one day",
            legal_advice="Our solicitor advised that we may decline",
            advice_on=day("Thu 2026-03-05"),
            actor=senior,
        )
    assert suggested_for(load(complaint.pk))[0] == K.NOT_INVESTIGATED

    text = pdf_text(send(complaint, K.NOT_INVESTIGATED, senior, "Fri 2026-03-06 15:30"))

    assert_has(
        text,
        "We have decided not to investigate your complaint any further",
        "We took legal advice on Thursday 5 March 2026",
        "Threats to staff on 3 and 4 March, and 40 calls in one day",
        "made on Friday 6 March 2026",
        "contact the Housing Ombudsman Service now",
        *OMBUDSMAN,
    )
    assert "Our solicitor advised" not in text  # the advice itself is privileged: only its date is said
