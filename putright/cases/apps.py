from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "putright.cases"
    label = "cases"
    verbose_name = "Complaints"

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(using: str = "default", **kwargs: Any) -> None:
    """issue 16, search: a migration that rebuilds a table on SQLite drops its triggers; put
    back the full-text index's and rebuild it (cases.search_index.ensure)."""
    from putright.cases import search_index

    search_index.ensure(connections[using])
