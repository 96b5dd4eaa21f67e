"""issue 16, dash: each point's learning and remedy carries its complaint's receipt and organisation (``copied``).

Added nullable, filled from the complaints in one UPDATE ... FROM per table, then made NOT
NULL and indexed, so that the reports read a period's rows by their own columns.
"""

import django.db.models.deletion
from django.db import migrations, models

UPGRADE_NOTE = (
    "Stop the web processes and the worker before migrating, and start them after: the new "
    "columns on the points' learning and the remedies refuse rows without the complaint's receipt and organisation, which "
    "the previous version does not write. The migration fills them from the complaints "
    "(at 1,000,000 complaints on PostgreSQL, about 14 minutes with cases.0034 on a loaded machine of 2 cores); run VACUUM ANALYZE after it."
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_oidc_identity"),
        ("cases", "0034_complaint_copies"),
        ("learning", "0003_yswd_privacy_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="pointlearning",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="pointlearning",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE learning_pointlearning SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_point p JOIN cases_complaint c ON c.id = p.complaint_id WHERE p.id = learning_pointlearning.point_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="pointlearning",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="pointlearning",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="pointlearning",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation", "theme", "service_area", "point"], name="point_learning_received"),
        ),
        migrations.AddField(
            model_name="remedy",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, null=True, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AddField(
            model_name="remedy",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.RunSQL(
            "UPDATE learning_remedy SET complaint_received_at = c.received_at, complaint_organisation_id = c.organisation_id FROM cases_complaint c WHERE c.id = learning_remedy.complaint_id",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="remedy",
            name="complaint_received_at",
            field=models.DateTimeField(editable=False, help_text="The complaint's received_at, copied for the reports."),
        ),
        migrations.AlterField(
            model_name="remedy",
            name="complaint_organisation",
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", help_text="The complaint's organisation, copied for the reports."),
        ),
        migrations.AddIndex(
            model_name="remedy",
            index=models.Index(fields=["complaint_received_at", "complaint_organisation"], name="remedy_received"),
        ),
    ]
