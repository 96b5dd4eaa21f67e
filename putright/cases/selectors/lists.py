"""A complaint's lists, prefetched only when they have rows (issue 16, overhead).

The case page shows a dozen lists of a complaint (actions, concerns, restrictions, files,
contacts, evidence asked for, responses, extensions, notes, ...), most of them empty on most
cases, and each prefetch cost its query and a millisecond or so of the ORM's time to build,
compile and run it, empty or not. Instead the complaint's own query asks, by an EXISTS per list
(an index probe each), which of them have rows; only those are prefetched, and the others are
left empty exactly as an empty prefetch leaves them (``.all()`` gives no rows and no query).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Model, Prefetch, prefetch_related_objects
from django.db.models.expressions import RawSQL

#: The complaint's own table in the complaint's query, which the probes refer to.
_COMPLAINT = '"cases_complaint"'


@dataclass(frozen=True)
class Listed:
    """One list of a complaint: its prefetch, and the SQL that says whether it has rows."""

    lookup: str | Prefetch[Any]
    #: The list's table, and the condition on it of the complaint's rows (``{c}``: the complaint).
    table: type[Model]
    where: str

    @property
    def path(self) -> str:
        return self.lookup.prefetch_to if isinstance(self.lookup, Prefetch) else self.lookup

    @property
    def name(self) -> str:
        """Its annotation on the complaint."""
        return "has_" + self.path

    def exists(self) -> RawSQL:
        # The models' own table names, quoted, and conditions written here: nothing from a user.
        table = connection.ops.quote_name(self.table._meta.db_table)
        where = self.where.format(c=_COMPLAINT)
        sql = f"EXISTS (SELECT 1 FROM {table} WHERE {where})"  # noqa: S608 # nosec B608
        return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611 # nosec B611 (no parameters: the SQL above)


def of_complaint(lookup: str | Prefetch[Any], table: type[Model]) -> Listed:
    """A list whose rows name the complaint (``complaint_id``)."""
    return Listed(lookup, table, '"complaint_id" = {c}."id"')


def of_customer(lookup: str | Prefetch[Any], table: type[Model]) -> Listed:
    """A list of the complaint's customer (``customer_id``)."""
    return Listed(lookup, table, '"customer_id" = {c}."customer_id"')


def through(lookup: str | Prefetch[Any], table: type[Model], column: str, parent: type[Model]) -> Listed:
    """A list of the complaint's stages or points: rows whose ``column`` names one of its ``parent``."""
    parents = connection.ops.quote_name(parent._meta.db_table)
    inner = f'SELECT "id" FROM {parents} WHERE "complaint_id" = {{c}}."id"'  # noqa: S608 # nosec B608
    return Listed(lookup, table, f'"{column}" IN ({inner})')


def probes(lists: Iterable[Listed]) -> dict[str, RawSQL]:
    """The annotations that say, in the complaint's own query, which lists have rows."""
    return {each.name: each.exists() for each in lists}


def prefetch(complaint: Model, always: Sequence[str | Prefetch[Any]], lists: Sequence[Listed]) -> None:
    """Prefetch ``always`` and those of ``lists`` the complaint has rows of; leave the others empty.

    A list through another (``stages__responses``) comes after the one it goes through.
    """
    present = [each for each in lists if getattr(complaint, each.name)]
    prefetch_related_objects([complaint], *always, *(each.lookup for each in present))
    for each in lists:
        if not getattr(complaint, each.name):
            _leave_empty(complaint, each.path)


def _leave_empty(instance: Model, path: str) -> None:
    """Give every object at the end of ``path`` an empty prefetched list, as an empty prefetch does."""
    *through_names, last = path.split("__")
    objects: list[Any] = [instance]
    for name in through_names:
        reached: list[Any] = []
        for each in objects:
            value = getattr(each, name)
            if hasattr(value, "all"):  # a list, already prefetched
                reached.extend(value.all())
            elif value is not None:  # a single object, already loaded
                reached.append(value)
        objects = reached
    for each in objects:
        empty = getattr(each, last).none()
        empty._result_cache = []
        empty._prefetch_done = True
        if not hasattr(each, "_prefetched_objects_cache"):
            each._prefetched_objects_cache = {}
        each._prefetched_objects_cache[last] = empty
