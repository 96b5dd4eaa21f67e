"""issue 15, chainhead: each case's chain head (its latest hash and number of events), stored.

The heads of the cases that already have events are filled by one INSERT ... SELECT (the
latest event of each case by id, and the count), not one query per case. With
PUTRIGHT_AUDIT_KEY set, they are then signed in pages of 5,000, one executemany each.
Run it with the old version stopped: an event the old version appends after the fill
leaves its case's stored head behind, and ``putright audit verify`` reports that case.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from putright.procedure import chain

PAGE = 5000


def fill_heads(apps, schema_editor):
    ChainHead = apps.get_model("cases", "ChainHead")
    TimelineEvent = apps.get_model("cases", "TimelineEvent")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    heads, events = quote(ChainHead._meta.db_table), quote(TimelineEvent._meta.db_table)
    # The models' own table names; no values from outside.
    fill = (
        f"INSERT INTO {heads} (complaint_id, events, hash, signature) "  # nosec B608 # noqa: S608
        f"SELECT e.complaint_id, latest.n, e.hash, '' FROM {events} e "
        f"JOIN (SELECT complaint_id, COUNT(*) AS n, MAX(id) AS last FROM {events} GROUP BY complaint_id) latest "
        "ON e.id = latest.last"
    )
    with connection.cursor() as cursor:
        cursor.execute(fill)
    key = str(getattr(settings, "PUTRIGHT_AUDIT_KEY", "") or "").encode()
    if not key:
        return
    rows = (
        ChainHead.objects.using(connection.alias)
        .order_by("complaint_id")
        .values_list("complaint_id", "events", "hash")
    )
    after = 0
    while page := list(rows.filter(complaint_id__gt=after)[:PAGE]):
        signed = [(chain.head_signature(key, pk, n, head), pk) for pk, n, head in page]
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {heads} SET signature = %s WHERE complaint_id = %s", signed)  # nosec B608 # noqa: S608
        after = page[-1][0]


class Migration(migrations.Migration):
    dependencies = [("cases", "0023_retention_fields")]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="chain_head",
                        serialize=False,
                        to="cases.complaint",
                    ),
                ),
                ("events", models.PositiveIntegerField(help_text="How many events the case's chain has.")),
                ("hash", models.CharField(help_text="The hash of the case's latest event.", max_length=64)),
                (
                    "signature",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="HMAC-SHA256 of the head with PUTRIGHT_AUDIT_KEY.",
                        max_length=64,
                    ),
                ),
            ],
        ),
        migrations.RunPython(fill_heads, migrations.RunPython.noop, elidable=True),
    ]
