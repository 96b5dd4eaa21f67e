"""Index-only look-ups for the reports: the policy's due date and upheld responses (issue 13, speed)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_source_of_imported_complaints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("name__endswith", ".response")),
                fields=["stage", "due_at", "original_due_at"],
                name="deadline_stage_response",
            ),
        ),
        migrations.AddIndex(
            model_name="extension",
            index=models.Index(
                condition=models.Q(("good_reason", "")),
                fields=["stage", "-number", "new_due_at"],
                name="extension_within_latest",
            ),
        ),
        migrations.AddIndex(
            model_name="pointoutcome",
            index=models.Index(fields=["response", "outcome"], name="outcome_response_outcome"),
        ),
    ]
