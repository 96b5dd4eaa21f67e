"""The shipped words follow the policy: a review needs no reason under the Code (6.12), and the
templates still as shipped are brought up to date by migration 0003."""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import importlib

import pytest
from django.apps import apps

from putright.comms.letters.default_words import default_words
from putright.comms.letters.letter_context import letter_context
from putright.comms.letters.services import letters, templates
from putright.comms.models import LetterKind, LetterTemplate
from tests.cases.conftest import code_2024  # noqa: F401 (a fixture)
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_text,
    send,
)

K = LetterKind
pytestmark = pytest.mark.django_db

ASK_FOR_A_REASON = "Please tell us which of these reasons applies:"
NO_REASON_NEEDED = (
    "You do not have to give a reason, but if one of these applies, telling us helps the review:"
)


def test_under_the_flagship_procedure_the_stage_1_letter_asks_which_reason_applies(journey):
    complaint = journey.until("responded")
    assert letter_context(complaint, K.STAGE1_RESPONSE)["review_reasons_required"] == "yes"
    body = letters.draft(complaint, K.STAGE1_RESPONSE).body
    assert ASK_FOR_A_REASON in body
    assert NO_REASON_NEEDED not in body


@pytest.mark.usefixtures("code_2024")
def test_under_the_code_the_stage_1_letter_does_not_ask_for_a_reason(journey, officer):
    complaint = journey.until("responded")
    assert "Complaint Handling Code" in complaint.policy.name
    assert letter_context(complaint, K.STAGE1_RESPONSE)["review_reasons_required"] == ""
    text = pdf_text(send(complaint, K.STAGE1_RESPONSE, officer, "Thu 2026-03-12 15:30"))
    assert "Please tell us which" not in text
    assert NO_REASON_NEEDED in text
    # The grounds are still listed, as a help to the customer, not a condition.
    assert "(a) Your complaint has not been handled in line with the complaints policy" in text


# Migration 0003: version 2 for a template still as 0002 shipped it

_migration = importlib.import_module("putright.comms.migrations.0003_update_shipped_words")


def _old_stage1_body() -> str:
    """The stage 1 response's body as 0002 shipped it: one sentence, before the policy decided it."""
    _, body = default_words(K.STAGE1_RESPONSE)
    start = body.index("{% if review_reasons_required %}")
    end = body.index("{% endif %}", start) + len("{% endif %}")
    old = body[:start] + " " + ASK_FOR_A_REASON + body[end:]
    assert hashlib.sha256(old.encode()).hexdigest() == _migration.OLD_BODIES["stage1_response"]
    return old


def _only_version_1(body: str, **fields) -> LetterTemplate:
    LetterTemplate.objects.filter(kind=K.STAGE1_RESPONSE).delete()
    subject, _ = default_words(K.STAGE1_RESPONSE)
    return LetterTemplate.objects.create(
        kind=K.STAGE1_RESPONSE, version=1, subject=subject, body=body, **fields
    )


def test_a_template_still_as_shipped_gets_the_new_words_as_version_2():
    _only_version_1(_old_stage1_body(), note="The words putright ships with.")
    _migration.update_shipped_words(apps, None)
    newest = templates.current(K.STAGE1_RESPONSE)
    assert (newest.version, newest.note, newest.created_by) == (2, "Updated shipped words", None)
    assert (newest.subject, newest.body) == default_words(K.STAGE1_RESPONSE)
    assert "{% if review_reasons_required %}" in newest.body
    # Run again (or on a database made with the new words): nothing more is added.
    _migration.update_shipped_words(apps, None)
    assert LetterTemplate.objects.filter(kind=K.STAGE1_RESPONSE).count() == 2
    _migration.remove_updated_words(apps, None)
    assert list(LetterTemplate.objects.filter(kind=K.STAGE1_RESPONSE).values_list("version", flat=True)) == [
        1
    ]


def test_a_template_an_administrator_changed_keeps_their_words(senior):
    first = _only_version_1(_old_stage1_body())
    edited = templates.save_version(
        K.STAGE1_RESPONSE,
        subject=first.subject,
        body=first.body.replace("We have now looked into it", "We have looked into it carefully"),
        note="Our own words",
        based_on=1,
        actor=senior,
    )
    _migration.update_shipped_words(apps, None)
    assert templates.current(K.STAGE1_RESPONSE) == edited


def test_a_version_1_with_other_words_is_left_alone():
    _only_version_1(_old_stage1_body().replace("Dear", "Hello"))
    _migration.update_shipped_words(apps, None)
    assert LetterTemplate.objects.filter(kind=K.STAGE1_RESPONSE).count() == 1


def test_a_new_database_ships_the_new_words_as_version_1():
    template = templates.current(K.STAGE1_RESPONSE)
    assert template.version == 1
    assert (template.subject, template.body) == default_words(K.STAGE1_RESPONSE)


# Migration 0006: the informal resolution letter offers the formal complaint (Code 5.2)

_informal = importlib.import_module(
    "putright.comms.migrations.0006_informal_resolution_offers_formal_complaint"
)
OLD_INFORMAL_ENDING = (
    "If the problem is not sorted out, or it happens again, please contact us and quote your reference. "
    "You can then make a formal complaint. Call us on {{ landlord_phone }}{% if landlord_email %} or email "
    "{{ landlord_email }}{% endif %}.\n"
)


def test_the_informal_resolution_letter_as_shipped_gets_the_offer_of_a_formal_complaint():
    subject, body = default_words(K.INFORMAL_RESOLUTION)
    old = body[: body.index("If you are not happy with what we did")] + OLD_INFORMAL_ENDING
    assert hashlib.sha256(old.encode()).hexdigest() == _informal.OLD_BODIES["informal_resolution"]
    LetterTemplate.objects.filter(kind=K.INFORMAL_RESOLUTION).delete()
    LetterTemplate.objects.create(kind=K.INFORMAL_RESOLUTION, version=1, subject=subject, body=old)

    _informal.update_shipped_words(apps, None)

    newest = templates.current(K.INFORMAL_RESOLUTION)
    assert (newest.version, newest.body) == (2, body)
    assert "say that you want to make a formal complaint" in newest.body
    _informal.remove_updated_words(apps, None)
    assert templates.current(K.INFORMAL_RESOLUTION).version == 1


# Migration 0008: a formal complaint after an informal resolution is a new complaint

_new_complaint = importlib.import_module(
    "putright.comms.migrations.0011_informal_resolution_new_complaint_words"
)
WORDS_0006 = (
    "To ask for one, call us on {{ landlord_phone }}{% if landlord_email %}, email {{ landlord_email }}"
    "{% endif %} or write to us, quote your reference {{ reference }} and say that you want to make a "
    "formal complaint. We will then consider it at stage 1 and tell you when you will have our response.\n"
)


def _as_0006_shipped() -> str:
    body = default_words(K.INFORMAL_RESOLUTION)[1]
    old = body[: body.index("To make one, call us")] + WORDS_0006
    assert hashlib.sha256(old.encode()).hexdigest() == _new_complaint.OLD_BODY
    return old


def test_the_informal_resolution_letter_as_0006_shipped_it_stops_promising_stage_1():
    subject, body = default_words(K.INFORMAL_RESOLUTION)
    LetterTemplate.objects.filter(kind=K.INFORMAL_RESOLUTION).delete()
    LetterTemplate.objects.create(kind=K.INFORMAL_RESOLUTION, version=1, subject=subject, body="Older")
    LetterTemplate.objects.create(
        kind=K.INFORMAL_RESOLUTION, version=2, subject=subject, body=_as_0006_shipped()
    )

    _new_complaint.update_shipped_words(apps, None)

    newest = templates.current(K.INFORMAL_RESOLUTION)
    assert (newest.version, newest.body) == (3, body)
    assert "consider it at stage 1" not in newest.body
    assert "with a new reference of its own" in newest.body
    _new_complaint.remove_updated_words(apps, None)
    assert templates.current(K.INFORMAL_RESOLUTION).version == 2


def test_an_informal_resolution_letter_someone_edited_keeps_their_words(senior):
    subject, _ = default_words(K.INFORMAL_RESOLUTION)
    LetterTemplate.objects.filter(kind=K.INFORMAL_RESOLUTION).delete()
    LetterTemplate.objects.create(
        kind=K.INFORMAL_RESOLUTION, version=1, subject=subject, body=_as_0006_shipped()
    )
    edited = templates.save_version(
        K.INFORMAL_RESOLUTION,
        subject=subject,
        body=_as_0006_shipped().replace("Dear", "Hello"),
        note="Our own words",
        based_on=1,
        actor=senior,
    )
    _new_complaint.update_shipped_words(apps, None)
    assert templates.current(K.INFORMAL_RESOLUTION) == edited
