"""Migration 0006 gives an unedited extension template the new words (with the Ombudsman) as version 2,
and leaves a landlord's own words alone."""

from __future__ import annotations

import hashlib
from importlib import import_module

import pytest
from django.apps import apps

from putright.comms.letters.default_words import default_words
from putright.comms.models import LetterKind, LetterTemplate

pytestmark = pytest.mark.django_db

migration = import_module("putright.comms.migrations.0009_extension_gives_the_ombudsman")


def shipped_before() -> tuple[str, str]:
    """The extension's words as 0002 shipped them: today's, without the Ombudsman section."""
    subject, body = default_words(LetterKind.EXTENSION)
    return subject, body.split("\n\nThe Housing Ombudsman\n")[0] + "\n"


def test_the_old_words_are_recognised():
    assert hashlib.sha256(shipped_before()[1].encode()).hexdigest() == migration.OLD_BODY


def test_unedited_words_get_the_ombudsman_as_version_2():
    LetterTemplate.objects.filter(kind=LetterKind.EXTENSION).delete()
    subject, old = shipped_before()
    LetterTemplate.objects.create(kind=LetterKind.EXTENSION, version=1, subject=subject, body=old)
    migration.update_extension(apps, None)
    newest = LetterTemplate.objects.filter(kind=LetterKind.EXTENSION).order_by("-version").first()
    assert newest.version == 2
    assert "contact them now" in newest.body and "{{ ombudsman_phone }}" in newest.body


def test_a_landlords_own_words_are_kept(officer):
    LetterTemplate.objects.filter(kind=LetterKind.EXTENSION).delete()
    subject, old = shipped_before()
    LetterTemplate.objects.create(
        kind=LetterKind.EXTENSION, version=1, subject=subject, body=old, created_by=officer
    )
    migration.update_extension(apps, None)
    assert LetterTemplate.objects.filter(kind=LetterKind.EXTENSION).count() == 1
