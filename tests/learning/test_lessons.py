"""Learning actions: created, changed, linked to complaints and completed, each with its audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.errors import InvalidInput, StaleCase
from putright.cases.models import EventKind, TimelineEvent
from putright.learning.models import LearningAction, LearningEvent, LearningEventKind, Theme
from putright.learning.services import lessons
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def damp():
    return Theme.objects.get(key="damp_and_mould")


@pytest.fixture
def create(org, senior, damp):
    def make(**extra):
        fields = {
            "lesson": "Damp reports were closed without a visit",
            "change": "Every damp report gets a survey within 10 working days",
            "change_kind": "procedure",
            "owner": senior,
            "due_on": today() + dt.timedelta(days=30),
            "themes": [damp],
            "complaints": [],
            "actor": senior,
        }
        fields.update(extra)
        return lessons.create_learning_action(org, **fields)

    return make


def events(action, kind):
    return list(LearningEvent.objects.filter(action=action, kind=kind))


def test_created_with_its_themes_links_and_timeline_events(create, log, damp):
    first, second = log("2026-03-02 10:00"), log("2026-03-03 10:00")
    action = create(complaints=[first, second])
    assert list(action.themes.all()) == [damp]
    assert set(action.complaints.all()) == {first, second}
    [created] = events(action, LearningEventKind.ACTION_CREATED)
    assert created.data["complaints"] == [first.reference, second.reference]
    for case in (first, second):
        [linked] = TimelineEvent.objects.filter(complaint=case, kind=EventKind.LEARNING_ACTION_LINKED)
        assert "Damp reports were closed without a visit" in linked.summary
        assert linked.data == {"learning_action": action.pk}
    first.refresh_from_db()
    assert first.version == 2  # linking is a step on the case


def test_bad_input_is_refused_and_changes_nothing(create, officer, customer):
    with pytest.raises(InvalidInput, match="lesson: write the lesson"):
        create(lesson="  ")
    with pytest.raises(InvalidInput, match="due_on: cannot be in the past"):
        create(due_on=today() - dt.timedelta(days=1))
    with pytest.raises(InvalidInput, match="change_kind"):
        create(change_kind="magic")
    officer.is_active = False
    officer.save()
    with pytest.raises(InvalidInput, match="is not active staff"):
        create(owner=officer)
    elsewhere = Organisation.objects.create(
        name="Other Homes", short_name="OH", kind=OrganisationKind.LANDLORD
    )
    stranger = _user("stella", Role.SENIOR_MANAGER, None, elsewhere)
    with pytest.raises(InvalidInput, match="is not active staff of Victory Housing Trust"):
        create(owner=stranger)
    assert not LearningAction.objects.exists()
    assert not LearningEvent.objects.exists()


def test_a_group_manager_may_own_and_a_due_date_today_is_allowed(create, org):
    group_manager = _user("gina", Role.SENIOR_MANAGER, None, org.parent)
    action = create(owner=group_manager, due_on=today())
    assert action.owner == group_manager


def test_complaints_of_another_organisation_or_not_visible_are_refused(create, log, org, senior):
    sister = Organisation.objects.create(
        name="Sister Homes", short_name="SH", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    # a complaint of the organisation is fine; the same action cannot take one of a sister it cannot see
    mine = log("2026-03-02 10:00")
    other_org_case = log("2026-03-02 11:00")
    other_org_case.organisation = sister
    other_org_case.save(update_fields=["organisation"])
    with pytest.raises(InvalidInput, match="not one you can see"):
        create(complaints=[mine, other_org_case])
    assert not LearningAction.objects.exists()
    senior.organisations.add(sister)
    senior = type(senior).objects.get(pk=senior.pk)  # a fresh user reads its organisations again
    with pytest.raises(InvalidInput, match="is not a complaint of Victory Housing Trust"):
        create(complaints=[mine, other_org_case], actor=senior)


def test_edit_records_old_and_new_and_refuses_a_stale_copy(create, officer, senior):
    action = create()
    new_due = today() + dt.timedelta(days=60)
    edited = lessons.edit_learning_action(
        action, expected_version=1, actor=senior, owner=officer, due_on=new_due
    )
    assert (edited.owner, edited.due_on, edited.version) == (officer, new_due, 2)
    [changed] = events(action, LearningEventKind.ACTION_CHANGED)
    assert changed.data["changes"]["due_on"] == [action.due_on.isoformat(), new_due.isoformat()]
    assert changed.data["changes"]["owner"][1]["id"] == officer.pk
    with pytest.raises(StaleCase, match="changed this learning action since you opened it"):
        lessons.edit_learning_action(action, expected_version=1, actor=senior, lesson="Other words")
    assert LearningAction.objects.get(pk=action.pk).lesson == "Damp reports were closed without a visit"
    # the same values again change nothing, and write no event
    again = lessons.edit_learning_action(action, expected_version=2, actor=senior, owner=officer)
    assert again.version == 2
    assert len(events(action, LearningEventKind.ACTION_CHANGED)) == 1


def test_link_twice_is_once_and_unlink_says_so_on_the_case(create, log, senior):
    action = create()
    case = log("2026-03-02 10:00")
    lessons.link_complaint(action, case, actor=senior)
    lessons.link_complaint(action, case, actor=senior)
    assert action.links.count() == 1
    assert TimelineEvent.objects.filter(complaint=case, kind=EventKind.LEARNING_ACTION_LINKED).count() == 1
    assert lessons.unlink_complaint(action, case, actor=senior) is True
    assert lessons.unlink_complaint(action, case, actor=senior) is False
    assert not action.links.exists()
    last = TimelineEvent.objects.filter(complaint=case).order_by("-pk").first()
    assert last.summary.startswith("No longer linked to the learning action")


def test_complete_needs_evidence_tells_each_case_and_happens_once(create, log, senior):
    case = log("2026-03-02 10:00")
    action = create(complaints=[case])
    with pytest.raises(InvalidInput, match="evidence: say what shows the change was made"):
        lessons.complete_learning_action(action, evidence=" ", completed_on=today(), actor=senior)
    with pytest.raises(InvalidInput, match="completed_on: cannot be in the future"):
        lessons.complete_learning_action(
            action, evidence="Procedure v3", completed_on=today() + dt.timedelta(days=1), actor=senior
        )
    done = lessons.complete_learning_action(
        action, evidence="Damp procedure v3 published", completed_on=today(), actor=senior
    )
    assert done.is_done and done.evidence == "Damp procedure v3 published"
    assert lessons.status_of(done) == "done"
    [completed] = events(action, LearningEventKind.ACTION_COMPLETED)
    assert completed.data["completed_on"] == today().isoformat()
    assert TimelineEvent.objects.filter(complaint=case, kind=EventKind.LEARNING_ACTION_COMPLETED).count() == 1
    with pytest.raises(lessons.AlreadyCompleted, match="already completed"):
        lessons.complete_learning_action(action, evidence="again", completed_on=today(), actor=senior)
    with pytest.raises(lessons.AlreadyCompleted):
        lessons.edit_learning_action(action, expected_version=done.version, actor=senior, lesson="x")


def test_status_open_overdue_done(create):
    action = create(due_on=today())
    assert lessons.status_of(action) == "open"
    assert lessons.status_of(action, today() + dt.timedelta(days=1)) == "overdue"
