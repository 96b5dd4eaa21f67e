from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running putright for a landlord: serving it, setting it up, bringing data in, backing it up.

    The commands an operator types (``putright serve``, ``putright setup``, ``putright import``,
    ``putright backup``) sit above the rest of the project: they use its services and touch
    nothing the pages do.
    """

    name = "putright.operations"
    label = "operations"
    verbose_name = "Operations"
