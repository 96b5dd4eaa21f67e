"""issue 16, dash: each point, stage, deadline, response and point's outcome carries its complaint's receipt and organisation (``copied``).

Added nullable, filled from the complaints in one UPDATE ... FROM per table, then made NOT
NULL and indexed, so that the reports read a period's rows by their own columns.
"""

import django.db.models.deletion
from django.db import migrations, models

from putright.cases import search_index


def drop_sqlite_search_triggers(apps, schema_editor):
    """SQLite rebuilds cases_point to make its new columns NOT NULL, and the search index's
    triggers name it: dropped here, put back and the index rebuilt after the migration
    (``search_index.ensure``, on post_migrate)."""
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in sorted(search_index.installed_triggers(connection)):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def restore_search_triggers(apps, schema_editor):
    """The search index's triggers put back, and the index rebuilt if any was missing."""
    search_index.ensure(schema_editor.connection)


UPGRADE_NOTE = (
    "Stop the web processes and the worker before migrating, and start them after: the new "
    "columns on the points, stages, deadlines, responses and points' outcomes refuse rows without the complaint's receipt and organisation, which "
    "the previous version does not write. The migration fills them from the complaints "
    "(at 1,000,000 complaints on PostgreSQL, about 14 minutes with learning.0004 on a loaded machine of 2 cores); run VACUUM ANALYZE after it."
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_oidc_identity"),
        ("cases", "0033_open_team_counts_covered"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_search_triggers, restore_search_triggers),
        migrations.AddField(
            model_name="point",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="point",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE cases_point SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_complaint c WHERE c.id = cases_point.complaint_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="point",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="point",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="point",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation", "complaint", "id"], name="point_received"),
        ),
        migrations.AddField(
            model_name="response",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="response",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE cases_response SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_stage s JOIN cases_complaint c ON c.id = s.complaint_id WHERE s.id = cases_response.stage_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="response",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="response",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="response",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation", "stage", "id"], name="response_received"),
        ),
        migrations.AddField(
            model_name="stage",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="stage",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE cases_stage SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_complaint c WHERE c.id = cases_stage.complaint_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="stage",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="stage",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="stage",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation", "number", "id", "complaint", "opened_at", "acknowledged_at", "responded_at"], name="stage_received"),
        ),
        migrations.AddField(
            model_name="deadline",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="deadline",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE cases_deadline SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_complaint c WHERE c.id = cases_deadline.complaint_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="deadline",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(condition=models.Q(("met_at__isnull", False)), fields=["complaint_received_at", "complaint_organisation", "name", "clock_started_at", "met_at", "due_at", "id"], name="deadline_received_met"),
        ),
        migrations.AddField(
            model_name="pointoutcome",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="pointoutcome",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE cases_pointoutcome SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_point p JOIN cases_complaint c ON c.id = p.complaint_id WHERE p.id = cases_pointoutcome.point_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="pointoutcome",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="pointoutcome",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="pointoutcome",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation", "outcome", "point", "response", "id"], name="outcome_received"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["id", "organisation", "stock_type", "reference"], name="complaint_id_tsm"),
        ),
        # Put the triggers back in the migration itself, not only on post_migrate: the tests that
        # migrate back and forth with MigrationExecutor get no post_migrate, and the way back
        # rebuilds cases_point too (dropped first, put back at its end, by the first operation).
        migrations.RunPython(restore_search_triggers, drop_sqlite_search_triggers),
    ]
