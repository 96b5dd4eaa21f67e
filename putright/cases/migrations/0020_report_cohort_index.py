"""The reports read a period's complaints from one index alone (issue 13, speed)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_oidc_identity"),
        ("cases", "0019_report_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=[
                    "organisation",
                    "received_at",
                    "state",
                    "stage",
                    "final_response_at",
                    "customer",
                    "channel",
                    "category",
                    "exclusion_reason",
                    "id",
                ],
                name="complaint_org_received_all",
            ),
        ),
        # The new index starts with the old one's columns: the old one is no longer needed.
        migrations.RemoveIndex(
            model_name="complaint",
            name="complaint_org_received",
        ),
    ]
