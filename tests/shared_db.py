"""Data made once for a whole module, for tests that only read it (issue 13, speed).

pytest-django runs each test in a transaction it rolls back. A module fixture built
with ``made_once`` makes its rows inside one outer transaction instead, kept open
while the module's tests run and rolled back after the last of them: each test's
own transaction becomes a savepoint inside it, so what a test changes is still
undone after it, and the rows made once are there, unchanged, for the next test.
Only for tests that are not transactional (no ``transaction=True``, no live server):
those commit, and a commit cannot happen inside the outer transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

T = TypeVar("T")


def made_once(django_db_blocker, make: Callable[[], T]) -> Iterator[T]:
    """Yield what ``make`` returns, made in a transaction rolled back when the fixture ends.

    Use as the body of a module-scoped fixture: ``yield from made_once(django_db_blocker, make)``.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
