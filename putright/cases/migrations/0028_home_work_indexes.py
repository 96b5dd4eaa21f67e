"""My work and the team page read one person's or one team's open work by index (issue 16, home)."""

from django.conf import settings
from django.db import migrations, models

#: PostgreSQL's own statistics treat a complaint's organisation, state and team as independent, and
#: so guessed that the open cases of a whole group were few enough to read and filter for one
#: team's queue (10,348 rows read for 24 shown at 100,000 complaints); statistics of the three
#: together let it read the team's cases by their own index instead. SQLite has nothing alike.
STATISTICS = "complaint_org_state_team"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (dependencies, mcv) "
            "ON organisation_id, state, team_id FROM cases_complaint"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_oidc_identity"),
        ("cases", "0027_anon_batch_redaction"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["owner", "state", "organisation"], name="complaint_owner_state_org"),
        ),
        # The new index starts with the old one's columns: the old one is no longer needed.
        migrations.RemoveIndex(
            model_name="complaint",
            name="complaint_owner_state",
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["team", "state", "organisation"], name="complaint_team_state_org"),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("completed_at__isnull", True)),
                fields=["owner", "due_on"],
                name="action_open_owner_due",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("completed_at__isnull", True)),
                fields=["complaint"],
                name="action_open_complaint",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
