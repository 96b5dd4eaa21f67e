"""Load the default themes and root causes once; an administrator manages them afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from putright.learning.defaults import load_default_lists

    load_default_lists(apps.get_model("learning", "Theme"), apps.get_model("learning", "RootCause"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
