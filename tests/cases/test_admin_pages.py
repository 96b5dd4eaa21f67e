"""The admin's complaint page reads a case in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role, User
from tests.conftest import sign_in_with_code


@pytest.mark.django_db
def test_a_complaints_admin_page_uses_the_same_queries_for_one_action_or_fifteen(client, journey, officer):
    import datetime as dt

    from putright.cases.services import responses
    from tests.cases.helpers import at

    complaint = journey.until("contacted")
    url = reverse("admin:cases_complaint_change", args=[complaint.pk])

    def add_actions(count):
        with at("Wed 2026-03-04 10:00"):
            for n in range(count):
                responses.add_action(
                    complaint,
                    description=f"Action {n}",
                    due_on=dt.date(2026, 3, 20),
                    owner=officer,
                    actor=officer,
                )

    administrator = User.objects.create_superuser(
        username="admin", password="correct-horse-battery", email="admin@example.org", role=Role.ADMINISTRATOR
    )
    sign_in_with_code(client, administrator)  # the admin asks for a code too
    add_actions(1)
    client.get(url)  # the first page after signing in also touches the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_actions(14)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
