"""My work and the team page read one person's or one team's open work by index (issue 16, home)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_oidc_identity"),
        ("cases", "0023_retention_fields"),
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
    ]
