"""Version 2 of the templates whose shipped words changed, where version 1 is still as shipped.

Migration 0002 saved version 1 of every kind from the words of its day. When
putright's shipped words change (here: the stage 1 response no longer asks for
a reason for a review when the policy does not require one, Code 6.12), a
landlord who never edited a template should get the new words; one who did
keeps theirs. So, for each kind below, if its newest version is still the
unedited version 1 (no author, and the very body 0002 wrote, known by its
SHA-256), version 2 is saved with the words putright ships now.

A database made after this change gets the new words from 0002 already, so
its version 1 does not match and nothing is added.
"""

import hashlib

from django.db import migrations

from putright.comms.letters.default_words import default_words

#: The SHA-256 of each changed kind's body as migration 0002 shipped it (before this change).
OLD_BODIES = {
    "stage1_response": "9fae9c9c8fd31e505822ce1573f9097b60847f4d518ff7a05f9bfbbf851c069c",
}
NOTE = "Updated shipped words"


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def update_shipped_words(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    for kind, old_body in OLD_BODIES.items():
        newest = LetterTemplate.objects.filter(kind=kind).order_by("-version").first()
        if newest is None or newest.version != 1 or newest.created_by_id is not None:
            continue  # edited since (or never saved: current() will ship the new words itself)
        if _digest(newest.body) != old_body:
            continue  # not the words 0002 shipped
        subject, body = default_words(kind)
        if (subject, body) == (newest.subject, newest.body):
            continue
        LetterTemplate.objects.create(kind=kind, version=2, subject=subject, body=body, note=NOTE)


def remove_updated_words(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    LetterTemplate.objects.filter(
        kind__in=list(OLD_BODIES), version=2, note=NOTE, created_by__isnull=True, letters__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("comms", "0002_default_templates")]

    operations = [migrations.RunPython(update_shipped_words, remove_updated_words)]
