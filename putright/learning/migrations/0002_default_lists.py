"""Load the default themes and root causes once; an administrator manages them afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from putright.learning.defaults import ROOT_CAUSES, THEMES

    Theme = apps.get_model("learning", "Theme")
    RootCause = apps.get_model("learning", "RootCause")
    for position, (key, name, children) in enumerate(THEMES, start=1):
        parent, _ = Theme.objects.get_or_create(key=key, defaults={"name": name, "position": position})
        for child_position, (child_key, child_name) in enumerate(children, start=1):
            Theme.objects.get_or_create(
                key=child_key, defaults={"name": child_name, "parent": parent, "position": child_position}
            )
    for position, (key, name) in enumerate(ROOT_CAUSES, start=1):
        RootCause.objects.get_or_create(key=key, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
