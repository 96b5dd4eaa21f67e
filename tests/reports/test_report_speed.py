"""What keeps the reports fast over a million complaints (issue 13, speed)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.reports import periods
from putright.reports.dashboard import dashboard, scope_for


@pytest.mark.django_db
def test_postgresql_runs_the_reports_without_jit_compilation():
    # Compiling the dashboard's grouped queries took 2.3 s of the 11 s one of them ran for over
    # 1,000,000 complaints, more than it saved; every connection putright opens turns it off.
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.django_db
def test_a_report_of_every_organisation_reads_the_responses_without_their_complaints(org):
    # Every organisation is in scope: joining each response to its complaint only to keep them
    # all read every complaint there is (a million of them) for the monthly trends. For one
    # organisation, the response's own copy of its complaint's organisation (issue 16, dash).
    everything = scope_for(None, None)
    assert everything.every
    assert not scope_for(None, org).every
    year = periods.parse("2025-26")
    for scope, joined in ((everything, False), (scope_for(None, org), False)):
        with CaptureQueriesContext(connection) as queries:
            dashboard(scope, year, now=timezone.now())
        trends = [q["sql"] for q in queries.captured_queries if 'FROM "cases_response"' in q["sql"]]
        assert len(trends) == 1
        assert ('"cases_complaint"' in trends[0]) is joined
