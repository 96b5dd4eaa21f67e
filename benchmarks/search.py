"""issue 16, search: how fast the list's search is over a filled database, before and after.

Reads a database filled by ``putright bench seed --complaints N`` (it writes nothing), as a
Senior Manager who sees the most complaints. For each search it times the list page through
django.test.Client ("after": the full-text index and the count that stops early) and the
same page as it was ("before": the old ``icontains`` over seven columns and two sub-queries,
put back for the run, and Django's paginator counting every match), then shows the plans of
the new queries (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).

    PUTRIGHT_DATA_DIR=... .venv/bin/python benchmarks/search.py [--runs 9] [--no-before]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python benchmarks/search.py
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
django.setup()

from django.conf import settings
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, reset_queries
from django.db.models import Exists, OuterRef, Q
from django.test import Client

from putright.accounts.models import Role, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Contact, Point
from putright.cases.selectors import complaints as complaints_module
from putright.cases.selectors.complaints import ComplaintFilters, complaint_list, complaints_for
from putright.web.views import cases as cases_view

LIST = "/work/complaints/"


def old_text(text: str) -> Q:
    """The search before issue 16 (cases.selectors.complaints._text, with notes)."""
    condition = Q()
    for word in text.split()[:6]:
        condition &= (
            Q(reference__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(customer__first_name__icontains=word)
            | Q(customer__last_name__icontains=word)
            | Q(customer__postcode__icontains=word)
            | Q(Exists(Point.objects.filter(complaint=OuterRef("pk"), summary__icontains=word)))
            | Q(triage_note__icontains=word)
            | Q(Exists(Contact.objects.filter(complaint=OuterRef("pk"), summary__icontains=word)))
        )
    return condition


@contextlib.contextmanager
def the_old_search():
    """The list as it was: the LIKE search and Django's own paginator, counting every match."""
    saved = complaints_module._text, cases_view.CappedPaginator
    complaints_module._text = lambda text, notes=False: old_text(text)
    cases_view.CappedPaginator = lambda rows, size, page: Paginator(rows, size)
    try:
        yield
    finally:
        complaints_module._text, cases_view.CappedPaginator = saved


def senior() -> User:
    seniors = User.objects.filter(role=Role.SENIOR_MANAGER, is_active=True).order_by("pk")
    for user in seniors:
        if visible_organisation_ids(user) is None:
            return user
    return max(seniors, key=lambda u: complaints_for(u).count())


def timed(runs: int, work) -> tuple[float, float, int]:
    """Median and worst (ms) of ``runs`` calls after one warm-up, and the queries of one."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times), len(queries)


def explain(sql: str, params: tuple) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-before", action="store_true")
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    # One connection for the whole run, so its queries can be counted (as in a test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    user = senior()
    client = Client()
    client.force_login(user)
    visible = complaints_for(user)
    total = visible.count()
    reference = visible.order_by("reference").values_list("reference", flat=True)[total // 2]
    searches = {
        "list, no search": {},
        "list sorted by customer": {"sort": "customer"},
        "mould": {"q": "mould"},
        "a word that matches nothing": {"q": "zzqxv"},
        "two words": {"q": "mould bathroom"},
        f"a reference ({reference})": {"q": reference},
        f"part of a reference ({reference[:6]})": {"q": reference[:6]},
    }
    who = f"{total:,} complaints visible to {user.username}"
    print(f"{connection.vendor}, {who}; median / worst of {args.runs} ms")
    print(f"{'':42} {'after':>18} {'queries':>8} {'before':>18}")
    for name, params in searches.items():

        def page(params=params) -> None:
            reply = client.get(LIST, params)
            assert reply.status_code == 200, reply.status_code

        median, worst, queries = timed(args.runs, page)
        before = ""
        if not args.no_before:
            with the_old_search():
                b_median, b_worst, _ = timed(max(3, args.runs // 3), page)
            before = f"{b_median:8.1f} / {b_worst:7.1f}"
        print(f"{name:42} {median:8.1f} / {worst:7.1f} {queries:8} {before:>18}")
        if args.plans and "q" in params:
            filters = ComplaintFilters(q=params["q"], search_notes=True)
            rows = complaint_list(user=user, filters=filters, sort="next_deadline", now=_now(), tz=_tz())
            count_sql, count_params = rows.order_by().values("pk")[:1001].query.sql_with_params()
            page_sql, page_params = rows[:50].query.sql_with_params()
            counting = f"SELECT COUNT(*) FROM ({count_sql}) counted"  # noqa: S608 (Django's own SQL)
            print(f"  the count:\n{explain(counting, count_params)}")
            print(f"  the page:\n{explain(page_sql, page_params)}")


def _now():
    from django.utils import timezone

    return timezone.now()


def _tz():
    from django.utils import timezone

    return timezone.get_current_timezone()


if __name__ == "__main__":
    main()
