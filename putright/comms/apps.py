from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "putright.comms"
    label = "comms"
    verbose_name = "Letters, emails and reminders"
    default_auto_field = "django.db.models.BigAutoField"
