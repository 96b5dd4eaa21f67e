from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "putright.reports"
    label = "reports"
    verbose_name = "Reports and returns"
    default_auto_field = "django.db.models.BigAutoField"
