"""On PostgreSQL, the database itself refuses to change or delete a timeline event.

The model already refuses through the ORM; this closes the door to raw SQL and
to any other client of the database. (TRUNCATE, used only to wipe demo or test
data wholesale, is not a row change and is not blocked.) SQLite has no such
guard: there a test database is emptied row by row between tests.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION putright_timeline_is_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are never changed or deleted; record a new event instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_timelineevent_immutable
    BEFORE UPDATE OR DELETE ON cases_timelineevent
    FOR EACH ROW EXECUTE FUNCTION putright_timeline_is_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_timelineevent_immutable ON cases_timelineevent;
DROP FUNCTION IF EXISTS putright_timeline_is_immutable();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_attachments")]

    operations = [migrations.RunPython(create, drop)]
