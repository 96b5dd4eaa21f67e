from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "putright.portal"
    label = "portal"
    verbose_name = "Public complaint form and case view"
