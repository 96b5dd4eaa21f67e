"""Learning actions over the API: the same rules as the workspace, as problem details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.cases.models import EventKind, TimelineEvent
from putright.learning.models import LearningAction, LearningEvent, LearningEventKind
from putright.learning.services import lessons

pytestmark = pytest.mark.django_db

PATH = "learning-actions"


def today() -> dt.date:
    return timezone.localdate()


def body(case=None, **extra):
    fields = {
        "organisation": "VHT",
        "lesson": "Damp reports were closed without a visit",
        "change": "Survey every damp report within 10 working days",
        "change_kind": "procedure",
        "owner": "sam",
        "due_on": (today() + dt.timedelta(days=30)).isoformat(),
        "themes": ["damp_and_mould"],
        "complaints": [case.reference] if case else [],
    }
    fields.update(extra)
    return fields


def test_create_once_with_an_idempotency_key_and_read_it_back(api, senior, log):
    case = log("2026-03-02 10:00")
    client = api.as_(senior)
    first = client.post(PATH, body(case), idempotency_key="lesson-1")
    again = client.post(PATH, body(case), idempotency_key="lesson-1")
    assert first.status_code == again.status_code == 201, first.json()
    assert first.json() == again.json()
    assert LearningAction.objects.count() == 1
    made = first.json()
    assert made["status"] == "open" and made["themes"] == ["damp_and_mould"]
    assert [link["reference"] for link in made["linked"]] == [case.reference]
    assert made["history"][0]["kind"] == "Learning action created"
    read = client.get(f"{PATH}/{made['id']}").json()
    assert read["lesson"] == "Damp reports were closed without a visit"
    detail = client.get(f"complaints/{case.reference}").json()
    assert detail["learning_actions"] == [
        {"id": made["id"], "lesson": "Damp reports were closed without a visit", "status": "open"}
    ]


def test_bad_input_is_a_problem_and_changes_nothing(api, senior):
    client = api.as_(senior)
    past = client.post(PATH, body(due_on=(today() - dt.timedelta(days=1)).isoformat()))
    assert past.status_code == 422
    assert past.json()["errors"] == [{"field": "due_on", "message": "cannot be in the past"}]
    assert client.post(PATH, body(owner="nobody")).status_code == 422
    assert client.post(PATH, body(complaints=["PR-NOWHERE"])).status_code == 404
    assert client.post(PATH, body(organisation="EH")).status_code == 422
    assert not LearningAction.objects.exists()


def test_patch_refuses_a_stale_version_and_records_old_and_new(api, senior, officer):
    client = api.as_(senior)
    made = client.post(PATH, body()).json()
    changed = client.patch(f"{PATH}/{made['id']}", {"version": 1, "owner": "olivia"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["owner"]["username"] == "olivia" and changed.json()["version"] == 2
    stale = client.patch(f"{PATH}/{made['id']}", {"version": 1, "lesson": "Other words"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert LearningAction.objects.get().lesson == "Damp reports were closed without a visit"
    [event] = LearningEvent.objects.filter(kind=LearningEventKind.ACTION_CHANGED)
    assert event.data["changes"]["owner"][0]["id"] == senior.pk


def test_link_unlink_and_complete(api, senior, log):
    case = log("2026-03-02 10:00")
    client = api.as_(senior)
    made = client.post(PATH, body()).json()
    url = f"{PATH}/{made['id']}"
    linked = client.post(f"{url}/complaints", {"reference": case.reference})
    assert [link["reference"] for link in linked.json()["linked"]] == [case.reference]
    assert client.post(f"{url}/complaints", {"reference": case.reference}).status_code == 200  # once
    assert client.delete(f"{url}/complaints/{case.reference}").json()["linked"] == []
    assert client.delete(f"{url}/complaints/{case.reference}").status_code == 404
    client.post(f"{url}/complaints", {"reference": case.reference})
    version = client.get(url).json()["version"]
    no_evidence = client.post(f"{url}/complete", {"version": version, "evidence": " "})
    assert no_evidence.status_code == 422
    done = client.post(f"{url}/complete", {"version": version, "evidence": "Procedure v3"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    twice = client.post(f"{url}/complete", {"version": version + 1, "evidence": "Again"})
    assert twice.status_code == 409
    assert "already completed" in twice.json()["detail"]
    assert TimelineEvent.objects.filter(complaint=case, kind=EventKind.LEARNING_ACTION_COMPLETED).count() == 1


def test_the_list_filters_and_pages(api, senior, officer, org):
    client = api.as_(senior)
    for n in range(3):
        client.post(PATH, body(lesson=f"Lesson {n}", owner="olivia" if n == 1 else "sam"))
    first = LearningAction.objects.get(lesson="Lesson 0")
    LearningAction.objects.filter(pk=first.pk).update(due_on=today() - dt.timedelta(days=2))
    lessons.complete_learning_action(
        LearningAction.objects.get(lesson="Lesson 2"), evidence="Done", completed_on=today(), actor=senior
    )

    def lessons_listed(**params):
        return [row["lesson"] for row in client.get(PATH, params).json()["results"]]

    assert lessons_listed() == ["Lesson 0", "Lesson 1", "Lesson 2"]
    assert lessons_listed(status="overdue") == ["Lesson 0"]
    assert lessons_listed(status="open") == ["Lesson 1"]
    assert lessons_listed(status="done") == ["Lesson 2"]
    assert lessons_listed(owner="olivia") == ["Lesson 1"]
    assert lessons_listed(theme="repairs") == ["Lesson 0", "Lesson 1", "Lesson 2"]
    assert lessons_listed(change_kind="training") == []
    assert client.get(PATH, {"status": "later"}).status_code == 422


def _queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_as_many_queries_for_two_actions_as_for_forty(api, senior, log):
    client = api.as_(senior)
    case = log("2026-03-02 10:00")
    made = [client.post(PATH, body(case, lesson=f"Lesson {n}")).json() for n in range(2)]
    few = _queries(client, PATH, {"status": "open"})
    one = _queries(client, f"{PATH}/{made[0]['id']}")
    detail = _queries(client, f"complaints/{case.reference}")
    others = [log("2026-03-03 10:00") for _ in range(3)]
    for n in range(38):
        client.post(PATH, body(case, lesson=f"More {n}"))
    for other in others:
        client.post(f"{PATH}/{made[0]['id']}/complaints", {"reference": other.reference})
    assert _queries(client, PATH, {"status": "open"}) == few
    assert _queries(client, f"{PATH}/{made[0]['id']}") == one
    assert _queries(client, f"complaints/{case.reference}") == detail
