"""Version 1 of every letter template, from the words in ``putright/comms/defaults``."""

from django.db import migrations

from putright.comms.letters.default_words import default_words

#: The kinds as they were when this migration was written (a later kind brings its own migration).
KINDS = (
    "acknowledgement",
    "contact_record",
    "evidence_request",
    "extension",
    "not_accepted",
    "informal_resolution",
    "stage1_response",
    "stage2_response",
    "appeal_invitation",
    "appeal_refusal",
    "appeal_decision",
    "designated_person",
)


def create_defaults(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    for kind in KINDS:
        if LetterTemplate.objects.filter(kind=kind, version=1).exists():
            continue
        subject, body = default_words(kind)
        LetterTemplate.objects.create(
            kind=kind, version=1, subject=subject, body=body, note="The words putright ships with."
        )


def remove_unused_defaults(apps, schema_editor):
    LetterTemplate = apps.get_model("comms", "LetterTemplate")
    LetterTemplate.objects.filter(version=1, kind__in=KINDS, letters__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("comms", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_unused_defaults)]
