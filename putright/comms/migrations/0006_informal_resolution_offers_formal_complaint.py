"""The informal resolution letter says how to ask for a formal complaint (the Code, 5.2).

Where a policy keeps informal resolution, the customer must not be left at a
"stage 0": the letter now says plainly that they can still make a formal
complaint and how to ask for one. As in migration 0003, a template still as
0002 shipped it gets the new words as version 2; an edited one keeps its words.
"""

import importlib

from django.db import migrations

_shipped = importlib.import_module("putright.comms.migrations.0003_update_shipped_words")

#: The SHA-256 of the informal resolution letter's body as migration 0002 shipped it.
OLD_BODIES = {
    "informal_resolution": "8cd1016ff2b9f1856a43452f39f75828d4e7ecc504a40c2b14a4f47607bf927d",
}


def update_shipped_words(apps, schema_editor):
    _shipped.update_shipped_words(apps, schema_editor, OLD_BODIES)


def remove_updated_words(apps, schema_editor):
    _shipped.remove_updated_words(apps, schema_editor, OLD_BODIES)


class Migration(migrations.Migration):
    dependencies = [("comms", "0005_actionreminder")]

    operations = [migrations.RunPython(update_shipped_words, remove_updated_words)]
