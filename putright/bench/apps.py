from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Registered only so that ``putright bench`` is found among the management commands."""

    name = "putright.bench"
    label = "bench"
    verbose_name = "Benchmarks"
