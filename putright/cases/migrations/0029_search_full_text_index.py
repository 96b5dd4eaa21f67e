"""issue 16, search: the full-text index of every complaint's words (cases.search_index),
built for the complaints already written in one statement, and kept current by triggers."""

from django.db import migrations

from putright.cases import search_index


def install(apps, schema_editor):
    search_index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("cases", "0028_home_work_indexes")]

    operations = [migrations.RunPython(install, uninstall)]
