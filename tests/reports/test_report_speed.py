"""What keeps the reports fast over a million complaints (issue 13, speed)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_runs_the_reports_without_jit_compilation():
    # Compiling the dashboard's grouped queries took 2.3 s of the 11 s one of them ran for over
    # 1,000,000 complaints, more than it saved; every connection putright opens turns it off.
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
