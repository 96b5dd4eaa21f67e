"""The next version of the extension letter, where its words are still as shipped: it now gives the
Housing Ombudsman's details and says the customer may contact it now (Code 6.5 and 6.16).

As in 0003: a landlord who never edited the template gets the new words as a
new version (the newest is the unedited one 0002 wrote, known by its SHA-256);
one who did keeps theirs. A database made after this change gets the new
words from 0002 already, so nothing is added.
"""

import hashlib

from django.db import migrations

from putright.comms.letters.default_words import default_words

#: The SHA-256 of the extension letter's body as migration 0002 shipped it before this change.
OLD_BODY = "e05943d695ffd4f17305b85c5d969679a9372d92c3a9ac09e301c4c7260cf422"
KIND = "extension"
NOTE = "Updated shipped words: the Housing Ombudsman's details"


def update_extension(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    newest = LetterTemplate.objects.filter(kind=KIND).order_by("-version").first()
    if newest is None or newest.version != 1 or newest.created_by_id is not None:
        return  # edited since (or never saved: current() ships the new words itself)
    if hashlib.sha256(newest.body.encode("utf-8")).hexdigest() != OLD_BODY:
        return
    subject, body = default_words(KIND)
    LetterTemplate.objects.create(kind=KIND, version=2, subject=subject, body=body, note=NOTE)


def remove_update(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    LetterTemplate.objects.filter(
        kind=KIND, version=2, note=NOTE, created_by__isnull=True, letters__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("comms", "0008_conduct_reminders")]

    operations = [migrations.RunPython(update_extension, remove_update)]
