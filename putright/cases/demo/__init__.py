"""Demo data for trying putright: made up, believable, and made only through the services.

``putright demo`` loads it (see ``putright.cases.management.commands.demo``):
the Flagship Group and its companies, staff in every role, customers, and a
few hundred complaints in every state of the procedure, walked step by step
through the real services with dates over the last ten months.
"""

from __future__ import annotations

from django.db import connection, transaction

from putright.cases.demo.loader import DEFAULT_PASSWORD, load
from putright.cases.demo.organisations import STAFF, StaffMember
from putright.cases.models import Attachment, Complaint, Customer, TimelineEvent

__all__ = ["DEFAULT_PASSWORD", "STAFF", "StaffMember", "load", "reset"]


def reset() -> int:
    """Delete every complaint, its timeline and records, and every customer; return how many complaints.

    Only the demo does this. Timeline events are never deleted by putright (their
    queryset refuses, and on PostgreSQL a trigger refuses any row delete); wiping
    demo data to load it again is the one exception, so the table is emptied
    wholesale: TRUNCATE on PostgreSQL, a raw delete on SQLite.
    """
    with transaction.atomic():
        count = Complaint.objects.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Deferred foreign-key checks still pending in this transaction block a TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {TimelineEvent._meta.db_table}")
        else:
            TimelineEvent.objects.all()._raw_delete(TimelineEvent.objects.db)
        for attachment in Attachment.objects.all():
            attachment.file.delete(save=False)
        Attachment.objects.all().delete()
        Complaint.objects.update(parent=None, duplicate_of=None)  # complaints protect their links
        Complaint.objects.all().delete()
        Customer.objects.all().delete()
    return count
