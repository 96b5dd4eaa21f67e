"""The informal resolution letter stops promising to reopen the matter at stage 1.

The letter (migration 0006) told the customer to quote their reference and said
"we will then consider it at stage 1", but an informal resolution is final: a
formal complaint is a new complaint with a new reference. The new words say so,
and ask for the old reference only so the two can be linked.

As in 0003 and 0006, only a template nobody edited gets the new words: here the
newest version, whatever its number, saved by no one with the very body 0006
(or 0002, on a database made after 0006) shipped. It gets the next version.
"""

import hashlib

from django.db import migrations

from putright.comms.letters.default_words import default_words

KIND = "informal_resolution"
#: The SHA-256 of the letter's body as 0006 shipped it (and 0002 since).
OLD_BODY = "d8dea4c98667cfd92def3bb494e3c0880da1c2c4986d28cb996f6a313cf0ee82"
NOTE = "Updated shipped words"


def update_shipped_words(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    newest = LetterTemplate.objects.filter(kind=KIND).order_by("-version").first()
    if newest is None or newest.created_by_id is not None:
        return  # never saved (current() ships the new words itself), or edited by someone
    if hashlib.sha256(newest.body.encode("utf-8")).hexdigest() != OLD_BODY:
        return  # not the shipped words
    subject, body = default_words(KIND)
    LetterTemplate.objects.create(
        kind=KIND, version=newest.version + 1, subject=subject, body=body, note=NOTE
    )


def remove_updated_words(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    newest = LetterTemplate.objects.filter(kind=KIND).order_by("-version").first()
    if newest and newest.note == NOTE and newest.created_by_id is None and not newest.letters.exists():
        if newest.body == default_words(KIND)[1]:
            newest.delete()


class Migration(migrations.Migration):
    dependencies = [("comms", "0010_action_reminder_kind_in_key")]

    operations = [migrations.RunPython(update_shipped_words, remove_updated_words)]
