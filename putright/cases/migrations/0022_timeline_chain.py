"""issue 15, audit: each timeline event carries its text digest and its hash in its case's chain.

The columns come with a database default (""), so the old version's inserts keep
working while this runs; the backfill then chains every existing event, case by case
in recorded order, reading in keyset pages of 5,000 (the (complaint, id) index added
here) and writing each page with one executemany. An event the old version writes
while this runs is left unchained, and ``putright audit verify`` names it.
"""

from django.db import migrations, models
from django.db.models import Q

from putright.procedure import chain

PAGE = 5000

# On PostgreSQL the database refuses every change of a timeline row (0003). It now lets
# through two, each leaving every other column as it was: giving a row written before the
# chain its digest and hash (this backfill), and replacing one event's text in a
# transaction that names that event (putright.cases.services.redaction sets
# putright.redact_event with SET LOCAL). A change through either still shows in the chain
# unless it is the chain's own (the redaction writes its own chained event).
CHAINED = """
CREATE OR REPLACE FUNCTION putright_timeline_is_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
        AND (NEW.complaint_id, NEW.kind, NEW.stage_number, NEW.occurred_at, NEW.recorded_at,
             NEW.actor_id, NEW.actor_label)
            IS NOT DISTINCT FROM
            (OLD.complaint_id, OLD.kind, OLD.stage_number, OLD.occurred_at, OLD.recorded_at,
             OLD.actor_id, OLD.actor_label)
    THEN
        IF OLD.hash = '' AND NEW.summary = OLD.summary AND NEW.data = OLD.data THEN
            RETURN NEW;
        END IF;
        IF current_setting('putright.redact_event', true) = OLD.id::text
            AND NEW.hash = OLD.hash AND NEW.text_digest = OLD.text_digest THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'timeline events are never changed or deleted; record a new event instead';
END;
$$ LANGUAGE plpgsql;
"""

UNCHAINED = """
CREATE OR REPLACE FUNCTION putright_timeline_is_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline events are never changed or deleted; record a new event instead';
END;
$$ LANGUAGE plpgsql;
"""


def let_the_chain_through(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAINED)


def refuse_every_change(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNCHAINED)


def chain_existing_events(apps, schema_editor):
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    connection = schema_editor.connection
    table = connection.ops.quote_name(TimelineEvent._meta.db_table)
    events = TimelineEvent.objects.using(connection.alias).order_by("complaint_id", "id")
    fields = ("id", "complaint_id", "kind", "stage_number", "occurred_at", "actor_id", "actor_label", "summary", "data")
    after, head, head_of = None, chain.GENESIS, None
    while True:
        page = events if after is None else events.filter(Q(complaint_id__gt=after[0]) | Q(complaint_id=after[0], id__gt=after[1]))
        rows = list(page.values_list(*fields)[:PAGE])
        if not rows:
            return
        updates = []
        for pk, complaint, kind, stage, occurred_at, actor, label, summary, data in rows:
            if complaint != head_of:
                head, head_of = chain.GENESIS, complaint
            text = chain.text_digest(summary, data)
            content = chain.content(
                complaint=complaint, kind=kind, stage=stage, occurred_at=occurred_at, actor=actor, actor_label=label, text=text
            )
            head = chain.event_hash(head, content)
            updates.append((text, head, pk))
        with connection.cursor() as cursor:
            # The model's own table name; the values go as parameters.
            update = f"UPDATE {table} SET text_digest = %s, hash = %s WHERE id = %s"  # nosec B608 # noqa: S608
            cursor.executemany(update, updates)
        after = rows[-1][1], rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_merge_subject_access_and_report_indexes")]

    operations = [
        migrations.AddField(
            model_name="timelineevent",
            name="text_digest",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="timelineevent",
            name="hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="timelineevent",
            name="kind",
            field=models.PositiveSmallIntegerField(choices=[(100, 'Complaint logged'), (110, 'Accepted at stage 1'), (111, 'Resolved informally'), (112, 'Not accepted'), (120, 'Imported from another system'), (200, 'Contact recorded'), (201, 'Evidence requested'), (202, 'Evidence added'), (210, 'Response date extended'), (220, 'Response given'), (230, 'Action agreed'), (231, 'Action completed'), (240, 'Closed'), (300, 'Escalated to stage 2'), (310, 'Appeal requested'), (311, 'Appeal refused'), (312, 'Appeal meeting arranged'), (313, 'Appeal decided'), (314, 'Final response sent'), (400, 'Withdrawn by the customer'), (410, 'Reassigned'), (420, 'New matter raised as a new complaint'), (421, 'New matter signposted'), (422, 'Raised during another complaint'), (500, 'Concern flagged'), (501, 'Concern referred'), (502, 'Concern closed'), (510, 'Restriction recorded'), (511, 'Restriction reviewed'), (512, 'Restriction renewed'), (513, 'Restriction ended'), (520, 'Decided not to investigate'), (600, 'Letter sent'), (601, 'Letter posted'), (610, 'Email could not be delivered'), (620, 'Deadline reminder sent'), (250, 'Point of complaint added'), (251, 'Point of complaint reworded'), (252, 'Point of complaint split'), (430, 'Summary changed'), (602, 'Information sent by the customer'), (440, 'Internal note added'), (700, 'Theme or root cause recorded'), (710, 'Remedy offered'), (711, 'Remedy accepted'), (712, 'Remedy declined'), (713, 'Remedy paid'), (720, 'Linked to a learning action'), (721, 'A linked learning action was completed'), (203, 'Acknowledged'), (431, 'Stock type corrected'), (450, 'Subject access export made'), (451, 'Text removed')]),
        ),
        migrations.AddIndex(
            model_name="timelineevent",
            index=models.Index(fields=["complaint", "id"], name="timeline_complaint_chain"),
        ),
        migrations.RunPython(let_the_chain_through, refuse_every_change),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop, elidable=True),
    ]
