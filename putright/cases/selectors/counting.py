"""issue 16, search: counts that stop early.

A list shows how many complaints match, but counting every one of a million costs more
than the page itself. The count stops ``limit`` rows past the start of the page asked
for (``settings.PUTRIGHT_LIST_COUNT_LIMIT``, 1,000 by default): below that it is exact;
above it the list says "more than 1,000" and still offers the next pages, each counting
on from its own start.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet


@dataclass(frozen=True)
class Counted:
    #: At most ``ceiling + 1``: one more than the ceiling when there are more.
    count: int
    #: The number the count stopped at; ``more`` when there are more than that.
    ceiling: int
    more: bool


def count_from(rows: QuerySet[Any], *, start: int, limit: int | None = None) -> Counted:
    """The rows, counted up to ``limit`` past ``start`` (one query whatever the table's size)."""
    ceiling = max(start, 0) + (settings.PUTRIGHT_LIST_COUNT_LIMIT if limit is None else limit)
    found = rows.order_by().values("pk")[: ceiling + 1].count()
    return Counted(count=found, ceiling=ceiling, more=found > ceiling)


def page_asked(number: object) -> int:
    """The page number asked for, 1 when it is not a number or below 1 (as get_page reads it)."""
    try:
        return max(int(str(number)), 1)
    except ValueError:
        return 1


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Django's paginator over a count that stops early (``count_from``), from the page asked."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, page: object) -> None:
        super().__init__(object_list, per_page)
        self.rows = object_list
        self.asked = page_asked(page)

    @cached_property
    def counted(self) -> Counted:
        # Never less than a page: the page asked for is always whole.
        limit = max(settings.PUTRIGHT_LIST_COUNT_LIMIT, int(self.per_page))
        return count_from(self.rows, start=(self.asked - 1) * int(self.per_page), limit=limit)

    @cached_property
    def count(self) -> int:
        return self.counted.count

    @property
    def more(self) -> bool:
        """More rows than the count says: it shows ``ceiling``, "more than 1,000"."""
        return self.counted.more

    @property
    def ceiling(self) -> int:
        return self.counted.ceiling
