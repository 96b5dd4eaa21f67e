from django.apps import AppConfig


class DesignConfig(AppConfig):
    name = "putright.design"
    label = "design"
    verbose_name = "Design system"
