"""issue 13, ack: the acknowledgement of the stages that existed before it was recorded.

Each stage 1 and stage 2 gets the earliest of the acknowledgement letter sent at
that stage (emailed, or recorded as posted: via "letter") and the first contact we
made at that stage (via "backfilled": the first contact was what acknowledgement
meant until now). A stage with neither stays unacknowledged. Done in two UPDATEs
over the whole table with correlated subqueries (each served by the letters'
(complaint, sent_at) index and the contacts' complaint index), never row by row,
so it runs the same on SQLite and PostgreSQL and on a large table. Stages already
acknowledged are left as they are, so running it again changes nothing.
"""

from django.db import migrations
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least

_ACKNOWLEDGEMENT = "acknowledgement"
_OUTBOUND = "outbound"


def _earliest(queryset, field):
    return Subquery(queryset.order_by(field).values(field)[:1])


def backfill(apps, schema_editor):
    Stage = apps.get_model("cases", "Stage")
    Contact = apps.get_model("cases", "Contact")
    Letter = apps.get_model("comms", "Letter")
    letters = Letter.objects.filter(
        complaint=OuterRef("complaint"), stage_number=OuterRef("number"), kind=_ACKNOWLEDGEMENT
    )
    emailed = _earliest(letters.filter(status="emailed"), "sent_at")
    posted = _earliest(letters.filter(status="posted"), "posted_at")
    contacted = _earliest(
        Contact.objects.filter(complaint=OuterRef("complaint"), stage_number=OuterRef("number"), direction=_OUTBOUND),
        "occurred_at",
    )
    # LEAST is NULL on SQLite when either side is; each side falls back to the other.
    letter_at = Least(Coalesce(emailed, posted), Coalesce(posted, emailed))
    unacknowledged = Stage.objects.filter(number__in=(1, 2), acknowledged_at__isnull=True)
    (
        unacknowledged.annotate(letter_at=letter_at, contacted_at=contacted)
        .filter(letter_at__isnull=False)
        .filter(Q(contacted_at__isnull=True) | Q(letter_at__lte=F("contacted_at")))
        .update(acknowledged_at=letter_at, acknowledged_via="letter")
    )
    (
        unacknowledged.annotate(contacted_at=contacted)
        .filter(contacted_at__isnull=False)
        .update(acknowledged_at=contacted, acknowledged_via="backfilled")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_acknowledgement_and_stock_type"),
        ("comms", "0011_informal_resolution_new_complaint_words"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
