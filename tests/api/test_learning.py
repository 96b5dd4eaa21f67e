"""Learning on each point over the API (issue 12): the lists, POST .../learning, the 409 at closing.

A field left out stays as it is; null clears it. Problem details say what is
wrong; a replayed Idempotency-Key answers the same without a second event.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation
from putright.cases.models import EventKind, TimelineEvent
from putright.learning.models import ServiceArea, Theme
from putright.learning.services import lists
from tests.api.helpers import Journey, is_problem, kinds, read, record_learning, step
from tests.cases.helpers import at
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db

NOW = "Fri 2026-03-13 09:00"


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def learning_of(case, number: int) -> dict:
    return next(p["learning"] for p in case["points"] if p["number"] == number)


def test_the_theme_tree_lists_parents_sub_themes_and_merges(api, officer, org):
    admin = make_user("ada", "administrator", org)
    lists.merge_theme(Theme.objects.get(key="gas"), Theme.objects.get(key="electrical"), actor=admin)
    with at(NOW):
        themes = api.as_(officer).get("themes").json()
    by_key = {t["key"]: t for t in themes}
    assert themes[0] == {
        "key": "repairs",
        "name": "Repairs",
        "label": "Repairs",
        "parent": None,
        "retired": False,
        "merged_into": None,
    }
    assert by_key["damp_and_mould"] == {
        "key": "damp_and_mould",
        "name": "Damp and mould",
        "label": "Repairs: damp and mould",
        "parent": "repairs",
        "retired": False,
        "merged_into": None,
    }
    assert (by_key["gas"]["retired"], by_key["gas"]["merged_into"]) == (True, "electrical")
    assert [t["key"] for t in themes][:2] == ["repairs", "responsive_repairs"]  # sub-themes follow


def test_service_areas_are_the_callers_organisations_and_root_causes_the_list(api, officer, org):
    ServiceArea.objects.create(organisation=org, name="Repairs")
    elsewhere = Organisation.objects.create(name="Other Homes", short_name="Other")
    ServiceArea.objects.create(organisation=elsewhere, name="Their repairs")
    with at(NOW):
        areas = api.as_(officer).get("service-areas").json()
        causes = api.as_(officer).get("root-causes").json()
    assert [(a["name"], a["kind"], a["organisation"], a["retired"]) for a in areas] == [
        ("Repairs", "department", org.short_name, False)
    ]
    assert causes[0] == {"key": "process_not_followed", "name": "Process not followed", "retired": False}
    assert len(causes) == 9


def test_learning_is_set_left_as_it_is_and_cleared_field_by_field(api, journey, officer, org):
    area = ServiceArea.objects.create(organisation=org, name="Repairs")
    olivia = api.as_(officer)
    case = journey.until("responded")
    first = case["points"][0]["id"]
    path = f"points/{first}/learning"
    case = step(
        olivia,
        case,
        path,
        NOW,
        theme="leaks",
        service_area=area.pk,
        root_cause="missed_appointment",
        root_cause_note="Booked for the wrong day",
    )
    assert learning_of(case, 1) == {
        "theme": "leaks",
        "theme_label": "Repairs: leaks",
        "service_area": area.pk,
        "service_area_name": "Repairs",
        "root_cause": "missed_appointment",
        "root_cause_name": "Missed appointment",
        "root_cause_note": "Booked for the wrong day",
    }
    assert case["timeline"][-1]["kind"] == EventKind.LEARNING_RECORDED
    case = step(olivia, case, path, NOW, theme="damp_and_mould")  # the rest stays
    assert learning_of(case, 1)["theme"] == "damp_and_mould"
    assert learning_of(case, 1)["root_cause"] == "missed_appointment"
    case = step(olivia, case, path, NOW, service_area=None)  # null clears
    assert learning_of(case, 1)["service_area"] is None
    assert learning_of(case, 1)["theme"] == "damp_and_mould"
    assert learning_of(case, 2)["theme"] is None


def test_bad_input_is_a_problem_naming_the_field_and_changes_nothing(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("accepted")
    path = f"complaints/{case['reference']}/points/{case['points'][0]['id']}/learning"
    version = case["version"]
    with at(NOW):
        unknown = olivia.post(path, {"version": version, "theme": "weather"})
        problem = is_problem(unknown, 422, "invalid")
        assert "there is no theme 'weather'" in problem["detail"]
        not_upheld = olivia.post(path, {"version": version, "root_cause": "policy_gap"})
        is_problem(not_upheld, 409, "step-not-allowed")
        stale = olivia.post(path, {"version": version - 1, "theme": "leaks"})
        is_problem(stale, 409, "stale-version")
        elsewhere = olivia.post(
            f"complaints/{case['reference']}/points/999999/learning", {"version": version, "theme": "leaks"}
        )
        assert elsewhere.status_code == 422
    assert read(olivia, case["reference"], NOW)["version"] == version


def test_closing_without_the_learning_is_a_409_naming_the_points(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("responded")
    with at(NOW):
        reply = olivia.post(f"complaints/{case['reference']}/close", {"version": case["version"]})
    problem = is_problem(reply, 409, "step-not-allowed")
    assert problem["reason"] == (
        "The complaint can only be closed when every point has a theme and every upheld or partly upheld "
        "point a root cause: points 1 and 2 have no theme; points 1 and 2 were upheld without a root cause."
    )
    case = record_learning(olivia, case, NOW)
    case = step(olivia, case, "close", NOW)
    assert case["state"] == "closed"
    assert kinds(case)[-3:] == [EventKind.LEARNING_RECORDED, EventKind.LEARNING_RECORDED, EventKind.CLOSED]


def test_a_replayed_key_records_the_learning_once(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("accepted")
    path = f"complaints/{case['reference']}/points/{case['points'][0]['id']}/learning"
    body = {"version": case["version"], "theme": "leaks"}
    with at(NOW):
        first = olivia.post(path, body, idempotency_key="theme-1")
        again = olivia.post(path, body, idempotency_key="theme-1")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert TimelineEvent.objects.filter(kind=EventKind.LEARNING_RECORDED).count() == 1


def test_the_complaint_reads_a_fixed_number_of_queries_with_learning(api, journey, officer, customer):
    olivia = api.as_(officer)
    small = record_learning(olivia, journey.until("responded"), NOW)
    big = journey.until("responded", points=[f"Point {n}" for n in range(10)])
    big = record_learning(olivia, big, NOW)

    def count(case) -> int:
        with at(NOW):
            olivia.get(f"complaints/{case['reference']}")
            with CaptureQueriesContext(connection) as captured:
                assert olivia.get(f"complaints/{case['reference']}").status_code == 200
        return len(captured)

    assert count(small) == count(big)
