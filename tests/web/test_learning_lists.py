"""The learning lists page (/work/lists/): administrators add, rename, retire and merge (issue 12)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.learning.models import LearningEvent, RootCause, ServiceArea, Theme
from tests.conftest import sign_in_with_code
from tests.web.helpers import make_user
from tests.web.helpers import text as text_of

pytestmark = pytest.mark.django_db

PAGE = "/work/lists/"


@pytest.fixture
def admin_user(org):
    return make_user("ada", Role.ADMINISTRATOR, org)


def test_only_administrators_see_the_page_and_its_link(client, admin_user, officer):
    client.force_login(officer)
    assert client.get(PAGE).status_code == 403
    assert "Learning lists" not in text_of(client.get("/work/"))
    sign_in_with_code(client, admin_user)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = text_of(page)
    assert "Learning lists" in text_of(client.get("/work/"))
    assert "Damp and mould" in text and "Process not followed" in text


def test_an_administrator_adds_renames_retires_and_merges(client, admin_user, org):
    sign_in_with_code(client, admin_user)
    repairs = Theme.objects.get(key="repairs")
    done = client.post(PAGE, {"do": "add-theme", "name": "Lifts", "parent": repairs.pk}, follow=True)
    assert "Theme added: “Repairs: lifts”." in text_of(done)
    lifts = Theme.objects.get(name="Lifts")
    client.post(PAGE, {"do": "rename-theme", "id": lifts.pk, "name": "Lifts and hoists"})
    client.post(PAGE, {"do": "retire-theme", "id": Theme.objects.get(key="gas").pk})
    merged = client.post(
        PAGE,
        {"do": "merge-theme", "source": Theme.objects.get(key="leaks").pk, "target": lifts.pk},
        follow=True,
    )
    assert "“Repairs: leaks” merged into “Repairs: lifts and hoists”" in text_of(merged)
    client.post(PAGE, {"do": "add-root-cause", "name": "Training gap"})
    client.post(
        PAGE, {"do": "add-service-area", "organisation": org.pk, "name": "Gasway Ltd", "kind": "contractor"}
    )
    page = text_of(client.get(PAGE))
    assert "Merged into Repairs: lifts and hoists" in page
    assert RootCause.objects.filter(name="Training gap").exists()
    assert ServiceArea.objects.get(name="Gasway Ltd").kind == "contractor"
    assert LearningEvent.objects.count() == 6
    assert "Theme renamed: “Repairs: lifts” → “Repairs: lifts and hoists” (Ada" in page


def test_a_refusal_is_shown_at_the_top_and_nothing_changes(client, admin_user):
    sign_in_with_code(client, admin_user)
    response = client.post(PAGE, {"do": "add-theme", "name": "Repairs"})
    assert response.status_code == 400
    assert "There is a problem" in text_of(response)
    assert "There is already a theme “Repairs” among the top themes" in text_of(response)
    assert not LearningEvent.objects.exists()


def test_the_page_reads_a_fixed_number_of_queries(client, admin_user, org):
    sign_in_with_code(client, admin_user)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as small:
        client.get(PAGE)
    for n in range(10):
        client.post(PAGE, {"do": "add-theme", "name": f"Theme {n}"})
        ServiceArea.objects.create(organisation=org, name=f"Area {n}")
    client.get(PAGE)  # shows (and forgets) the messages the posts left
    with CaptureQueriesContext(connection) as big:
        client.get(PAGE)
    assert len(small) == len(big)
