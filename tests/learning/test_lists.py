"""Managing the learning lists (issue 12): add, rename, retire and bring back, merge; each audited."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, Role
from putright.cases.errors import InvalidInput
from putright.learning.models import (
    LearningEvent,
    LearningEventKind,
    PointLearning,
    RootCause,
    ServiceArea,
    Theme,
)
from putright.learning.selectors import theme_for_reports, theme_groups, with_report_theme
from putright.learning.services import lists
from putright.learning.services.points import record_point_learning
from tests.cases.helpers import at
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(org):
    return make_user("ada", Role.ADMINISTRATOR, org)


def last_event() -> LearningEvent:
    return LearningEvent.objects.order_by("-pk").first()


def test_only_an_administrator_may_change_the_lists(officer):
    with pytest.raises(InvalidInput, match="only an administrator"):
        lists.add_theme("Pest control", actor=officer)
    assert not LearningEvent.objects.exists()


def test_a_theme_and_a_sub_theme_are_added_with_an_event(admin_user):
    top = lists.add_theme("  Pest   control ", actor=admin_user)
    sub = lists.add_theme("Mice", parent=top, actor=admin_user)
    assert (top.name, top.key, top.parent) == ("Pest control", "pest_control", None)
    assert (sub.label, sub.key) == ("Pest control: mice", "pest_control_mice")
    event = last_event()
    assert (event.kind, event.summary, event.actor) == (
        LearningEventKind.LIST_CHANGED,
        "Theme added: “Pest control: mice”",
        admin_user,
    )
    assert event.data == {
        "list": "theme",
        "id": sub.pk,
        "old": None,
        "new": {"key": "pest_control_mice", "name": "Mice", "parent": "pest_control", "retired": False},
    }


def test_a_bad_theme_is_refused_and_nothing_is_written(admin_user):
    repairs = Theme.objects.get(key="repairs")
    leaks = Theme.objects.get(key="leaks")
    before = (Theme.objects.count(), LearningEvent.objects.count())
    for call, message in [
        (lambda: lists.add_theme(" ", actor=admin_user), "name: give a name"),
        (
            lambda: lists.add_theme("repairs", actor=admin_user),
            "already a theme “Repairs” among the top themes",
        ),
        (
            lambda: lists.add_theme("Leaks", parent=repairs, actor=admin_user),
            "already a theme “Leaks” under “Repairs”",
        ),
        (lambda: lists.add_theme("Drips", parent=leaks, actor=admin_user), "cannot have sub-themes"),
        (lambda: lists.add_theme("x" * 121, actor=admin_user), "at most 120 characters"),
    ]:
        with pytest.raises(InvalidInput) as info:
            call()
        assert message in info.value.message
    assert (Theme.objects.count(), LearningEvent.objects.count()) == before


def test_renaming_keeps_the_key_and_records_old_and_new(admin_user):
    theme = Theme.objects.get(key="asb_handling")
    lists.rename_theme(theme, "Anti-social behaviour", actor=admin_user)
    theme.refresh_from_db()
    assert (theme.key, theme.name) == ("asb_handling", "Anti-social behaviour")
    event = last_event()
    assert event.summary == "Theme renamed: “Anti-social behaviour handling” → “Anti-social behaviour”"
    assert (event.data["old"]["name"], event.data["new"]["name"]) == (
        "Anti-social behaviour handling",
        "Anti-social behaviour",
    )
    count = LearningEvent.objects.count()
    lists.rename_theme(theme, "Anti-social behaviour", actor=admin_user)  # the same again: nothing
    assert LearningEvent.objects.count() == count


def test_a_retired_theme_stays_on_old_cases_is_not_offered_and_can_come_back(admin_user, journey, officer):
    complaint = journey.until("accepted")
    point = complaint.points.order_by("number").first()
    gas = Theme.objects.get(key="gas")
    with at("Mon 2026-03-02 12:00"):
        record_point_learning(complaint, point_id=point.pk, actor=officer, theme=gas)
    lists.retire_theme(gas, actor=admin_user)
    assert last_event().summary == "Theme retired: “Repairs: gas”"
    assert PointLearning.objects.get(point=point).theme == gas
    offered = [t.key for _, members in theme_groups() for t in members]
    assert "gas" not in offered and "leaks" in offered
    assert "gas" in [t.key for _, members in theme_groups(keep=gas) for t in members]
    lists.retire_theme(gas, actor=admin_user, retired=False)
    assert Theme.objects.get(key="gas").retired_at is None
    assert last_event().summary == "Theme brought back: “Repairs: gas”"


def test_a_merged_theme_keeps_its_cases_and_reports_count_them_under_the_target(admin_user, journey, officer):
    complaint = journey.until("accepted")
    first, second = complaint.points.order_by("number")
    leaks, damp = Theme.objects.get(key="leaks"), Theme.objects.get(key="damp_and_mould")
    with at("Mon 2026-03-02 12:00"):
        record_point_learning(complaint, point_id=first.pk, actor=officer, theme=leaks)
        record_point_learning(complaint, point_id=second.pk, actor=officer, theme=damp)

    lists.merge_theme(leaks, damp, actor=admin_user)

    leaks.refresh_from_db()
    assert leaks.merged_into == damp and leaks.retired_at is not None
    assert PointLearning.objects.get(point=first).theme == leaks  # old cases keep it
    assert theme_for_reports(leaks) == damp
    counted = with_report_theme(PointLearning.objects.filter(point__complaint=complaint))
    assert sorted(counted.values_list("report_theme_id", flat=True)) == [damp.pk, damp.pk]
    event = last_event()
    assert (event.kind, event.summary) == (
        LearningEventKind.THEMES_MERGED,
        "Theme “Repairs: leaks” merged into “Repairs: damp and mould”",
    )
    assert event.data == {"list": "theme", "source": "leaks", "target": "damp_and_mould", "sub_themes": []}
    with pytest.raises(InvalidInput, match="merged into another theme and cannot come back"):
        lists.retire_theme(leaks, actor=admin_user, retired=False)


def test_merging_a_theme_whose_target_is_later_merged_still_reports_one_step_away(admin_user):
    leaks, damp, gas = (Theme.objects.get(key=k) for k in ("leaks", "damp_and_mould", "gas"))
    lists.merge_theme(leaks, damp, actor=admin_user)
    lists.merge_theme(damp, gas, actor=admin_user)
    assert Theme.objects.get(key="leaks").merged_into == gas
    assert theme_for_reports(Theme.objects.get(key="leaks")) == gas


def test_a_merge_that_cannot_be_is_refused(admin_user):
    repairs, leaks, other = (Theme.objects.get(key=k) for k in ("repairs", "leaks", "other"))
    for source, target, message in [
        (leaks, leaks, "choose a different theme"),
        (repairs, leaks, "one of its own sub-themes"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            lists.merge_theme(source, target, actor=admin_user)
    lists.retire_theme(other, actor=admin_user)
    with pytest.raises(InvalidInput, match="merge into a current theme"):
        lists.merge_theme(leaks, other, actor=admin_user)


def test_root_causes_are_added_renamed_and_retired(admin_user):
    cause = lists.add_root_cause("Training gap", actor=admin_user)
    assert (cause.key, last_event().summary) == ("training_gap", "Root cause added: “Training gap”")
    lists.rename_root_cause(cause, "Training missing", actor=admin_user)
    assert last_event().summary == "Root cause renamed: “Training gap” → “Training missing”"
    lists.retire_root_cause(cause, actor=admin_user)
    assert RootCause.objects.get(pk=cause.pk).retired_at is not None
    with pytest.raises(InvalidInput, match="already a root cause “Policy gap”"):
        lists.add_root_cause("policy gap", actor=admin_user)


def test_service_areas_belong_to_an_organisation_as_a_department_or_a_contractor(admin_user, org):
    area = lists.add_service_area(org, "Gasway Ltd", kind="contractor", actor=admin_user)
    assert (area.organisation, area.kind) == (org, "contractor")
    assert last_event().summary == f"Service area added for {org}: “Gasway Ltd” (contractor)"
    lists.change_service_area(area, name="Gasway Heating Ltd", actor=admin_user)
    assert ServiceArea.objects.get(pk=area.pk).name == "Gasway Heating Ltd"
    assert last_event().data["old"]["name"] == "Gasway Ltd"
    lists.retire_service_area(area, actor=admin_user)
    assert ServiceArea.objects.get(pk=area.pk).retired_at is not None
    other = Organisation.objects.create(name="Other Homes", short_name="Other")
    assert lists.add_service_area(other, "Gasway Ltd", actor=admin_user).organisation == other
    with pytest.raises(InvalidInput, match="choose a department or a contractor"):
        lists.add_service_area(org, "Lifts", kind="supplier", actor=admin_user)
    with pytest.raises(InvalidInput, match="already has a service area"):
        lists.add_service_area(org, "gasway heating ltd", actor=admin_user)
