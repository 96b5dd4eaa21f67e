"""Learning actions in the workspace: the list and its filters, a new one from a case, one action's forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import Role
from putright.cases.models import EventKind, TimelineEvent
from putright.learning.models import LearningAction, LearningEventKind, Theme
from putright.learning.services import lessons
from tests.conftest import _user

pytestmark = pytest.mark.django_db

LIST = "/work/learning/"


def today() -> dt.date:
    return timezone.localdate()


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


@pytest.fixture
def make(org, senior):
    def create(lesson="Damp reports were closed without a visit", **extra):
        fields = {
            "lesson": lesson,
            "change": "Survey every damp report",
            "change_kind": "procedure",
            "owner": senior,
            "due_on": today() + dt.timedelta(days=30),
            "actor": senior,
        }
        fields.update(extra)
        return lessons.create_learning_action(org, **fields)

    return create


def overdue(action, days=3):
    LearningAction.objects.filter(pk=action.pk).update(due_on=today() - dt.timedelta(days=days))


def test_the_list_filters_by_status_owner_theme_and_kind(client, make, senior, officer):
    damp = Theme.objects.get(key="damp_and_mould")
    first = make("First lesson", themes=[damp])
    second = make("Second lesson", owner=officer, change_kind="training")
    third = make("Third lesson")
    overdue(second)
    lessons.complete_learning_action(third, evidence="Done", completed_on=today(), actor=senior)
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert page.index("Second lesson") < page.index("First lesson")  # soonest due first
    assert "3 learning actions" in page

    def shown(**params):
        text = client.get(LIST, params).content.decode()
        return [a.lesson for a in (first, second, third) if a.lesson in text]

    assert shown(status="overdue") == ["Second lesson"]
    assert shown(status="open") == ["First lesson"]
    assert shown(status="done") == ["Third lesson"]
    assert shown(owner=officer.pk) == ["Second lesson"]
    assert shown(change_kind="training") == ["Second lesson"]
    assert shown(theme=damp.pk) == ["First lesson"]
    repairs = Theme.objects.get(key="repairs")
    assert shown(theme=repairs.pk) == ["First lesson"]  # a parent theme takes in its sub-themes


def test_the_list_reads_as_many_queries_for_two_actions_as_for_sixty(client, make, senior, log):
    damp = Theme.objects.get(key="damp_and_mould")
    case = log("2026-03-02 10:00")
    for n in range(2):
        make(f"Lesson {n}", themes=[damp], complaints=[case])
    client.force_login(senior)

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, params).status_code == 200
        return len(captured)

    few, few_filtered = queries({}), queries({"status": "open", "theme": damp.pk})
    for n in range(58):
        make(f"More {n}", themes=[damp], complaints=[case])
    assert queries({}) == few
    assert queries({"status": "open", "theme": damp.pk}) == few_filtered
    page_two = client.get(LIST, {"page": 2}).content.decode()
    assert "page 2 of 2" in page_two


def test_a_new_action_from_a_case_is_prefilled_and_linked(client, log, senior, officer):
    case = log("2026-03-02 10:00")
    client.force_login(senior)
    form = client.get(f"/work/learning/new/?complaint={case.reference}").content.decode()
    assert f'value="{case.reference}"' in form
    due = today() + dt.timedelta(days=20)
    data = {
        "organisation": case.organisation_id,
        "lesson": "Roof repairs are cancelled without telling anyone",
        "change": "Repairs tell the customer the same day",
        "change_kind": "procedure",
        "owner": officer.pk,
        "complaints": case.reference,
        "themes": [Theme.objects.get(key="responsive_repairs").pk],
        **date_parts("due_on", due),
    }
    response = client.post(f"/work/learning/new/?complaint={case.reference}", data)
    assert response.status_code == 302
    assert response["Location"] == f"/work/complaints/{case.reference}/#learning-actions"
    action = LearningAction.objects.get()
    assert (action.owner, action.due_on, list(action.complaints.all())) == (officer, due, [case])
    page = client.get(f"/work/complaints/{case.reference}/").content.decode()
    assert 'id="learning-actions"' in page
    assert "Roof repairs are cancelled without telling anyone" in page


def test_a_new_action_with_a_past_date_or_an_unknown_reference_is_refused(client, org, senior):
    client.force_login(senior)
    data = {
        "organisation": org.pk,
        "lesson": "Lesson",
        "change": "Change",
        "change_kind": "training",
        "owner": senior.pk,
        **date_parts("due_on", today() - dt.timedelta(days=1)),
    }
    response = client.post("/work/learning/new/", data)
    assert response.status_code == 400
    assert "cannot be in the past" in response.content.decode().lower()
    response = client.post(
        "/work/learning/new/", {**data, **date_parts("due_on", today()), "complaints": "PR-NOWHERE"}
    )
    assert response.status_code == 400
    assert "PR-NOWHERE" in response.content.decode()
    assert not LearningAction.objects.exists()


def test_the_action_page_edits_links_unlinks_and_completes(client, make, log, senior, officer):
    action = make()
    case = log("2026-03-02 10:00")
    url = f"/work/learning/{action.pk}/"
    client.force_login(senior)
    assert client.get(url).status_code == 200
    # link by reference, then unlink
    assert client.post(f"{url}link/", {"reference": case.reference}).status_code == 302
    assert list(action.complaints.all()) == [case]
    page = client.get(url).content.decode()
    assert f'href="/work/complaints/{case.reference}/"' in page
    assert client.post(f"{url}unlink/{case.reference}/").status_code == 302
    assert not action.complaints.exists()
    # a change on a stale copy is refused, and changes nothing
    action.refresh_from_db()
    data = {
        "version": action.version - 1,
        "lesson": "New words",
        "change": action.change,
        "change_kind": action.change_kind,
        "owner": officer.pk,
        **date_parts("due_on", action.due_on),
    }
    response = client.post(f"{url}edit/", data)
    assert response.status_code == 400
    assert "changed this learning action since you opened it" in response.content.decode()
    assert client.post(f"{url}edit/", {**data, "version": action.version}).status_code == 302
    action.refresh_from_db()
    assert (action.lesson, action.owner) == ("New words", officer)
    # completion needs evidence
    response = client.post(f"{url}complete/", {"version": action.version, "evidence": ""})
    assert response.status_code == 400
    assert "Enter the evidence of the change" in response.content.decode()
    assert (
        client.post(f"{url}complete/", {"version": action.version, "evidence": "Procedure v3"}).status_code
        == 302
    )
    action.refresh_from_db()
    assert action.is_done
    page = client.get(url).content.decode()
    assert "Procedure v3" in page and 'id="complete-form"' not in page
    history = [e.kind for e in action.events.all()]
    assert (
        history[0] == LearningEventKind.ACTION_CREATED and history[-1] == LearningEventKind.ACTION_COMPLETED
    )


def test_the_case_link_page_offers_the_open_actions_of_the_organisation(client, make, log, senior):
    open_one, done_one = make("Open lesson"), make("Done lesson")
    lessons.complete_learning_action(done_one, evidence="Done", completed_on=today(), actor=senior)
    case = log("2026-03-02 10:00")
    client.force_login(senior)
    url = f"/work/complaints/{case.reference}/learning-actions/link/"
    page = client.get(url).content.decode()
    assert "Open lesson" in page and "Done lesson" not in page
    assert f"/work/learning/new/?complaint={case.reference}" in page
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"action": open_one.pk}).status_code == 302
    assert TimelineEvent.objects.filter(complaint=case, kind=EventKind.LEARNING_ACTION_LINKED).exists()


def test_a_reader_sees_the_action_without_its_forms(client, make, org):
    action = make()
    manager = _user("mona", Role.MANAGER, None, org)
    client.force_login(manager)
    page = client.get(f"/work/learning/{action.pk}/").content.decode()
    assert "Damp reports were closed without a visit" in page
    assert 'id="edit-form"' not in page and 'id="link-form"' not in page
    assert "New learning action" not in client.get(LIST).content.decode()
    assert "Learning actions" in client.get("/work/").content.decode()  # in the header


def test_the_action_page_and_the_case_page_read_as_many_queries_for_one_link_as_for_eight(
    client, make, log, senior
):
    first = log("2026-03-02 10:00")
    action = make(complaints=[first])
    other = make("Another lesson", complaints=[first])
    client.force_login(senior)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    page, case_page = queries(f"/work/learning/{action.pk}/"), queries(f"/work/complaints/{first.reference}/")
    for n in range(7):
        case = log(f"2026-03-0{n + 2} 11:00")
        lessons.link_complaint(action, case, actor=senior)
    lessons.edit_learning_action(other, expected_version=other.version, actor=senior, lesson="Changed words")
    for n in range(3):
        make(f"Third {n}", complaints=[first])
    assert queries(f"/work/learning/{action.pk}/") == page
    assert queries(f"/work/complaints/{first.reference}/") == case_page
