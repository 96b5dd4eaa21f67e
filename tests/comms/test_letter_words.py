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
