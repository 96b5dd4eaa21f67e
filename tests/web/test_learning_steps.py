"""Learning on each point in the workspace (issue 12): the case page, the step page, the close page.

Each point shows its theme, service area and root cause; "Record learning" opens
a step page (from triage on) whose theme picker groups sub-themes under their
parent and offers current themes only (plus the point's own); a root cause is
asked for only once the point is upheld. Closing that waits on learning says
which points, and links to them.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import Complaint, EventKind
from putright.learning.models import PointLearning, RootCause, ServiceArea, ServiceAreaKind, Theme
from putright.learning.services.points import record_point_learning
from tests.cases.helpers import at, kinds
from tests.learning.helpers import record_learning
from tests.web.helpers import grow, make_user
from tests.web.helpers import text as text_of
from tests.web.test_case_page import ANSWERED, answer, case_url, stage1_case

pytestmark = pytest.mark.django_db

LATER = "Thu 2026-03-26 09:00"


def url(complaint: Complaint, point_id: int) -> str:
    return f"/work/complaints/{complaint.reference}/points/{point_id}/learning/"


def version_in(response) -> int:
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found
    return int(found.group(1))


def points(complaint: Complaint):
    return list(complaint.points.order_by("number"))


def theme(key: str) -> Theme:
    return Theme.objects.get(key=key)


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


@pytest.fixture
def answered(case, officer):
    """Answered at stage 1, both points upheld, no learning yet."""
    answer(case, officer, learning=False)
    case.refresh_from_db()
    return case


def test_the_step_page_groups_current_themes_under_their_parent(client, case, officer, org):
    ServiceArea.objects.create(organisation=org, name="Repairs")
    ServiceArea.objects.create(organisation=org, name="Gasway Ltd", kind=ServiceAreaKind.CONTRACTOR)
    ServiceArea.objects.create(organisation=org, name="Old depot", retired_at=timezone.now())
    Theme.objects.filter(key="gas").update(retired_at=timezone.now())
    with at(LATER):
        client.force_login(officer)
        page = client.get(url(case, points(case)[0].pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<optgroup label="Repairs">' in html
    assert ">Repairs: damp and mould</option>" in html
    assert ">Staff conduct</option>" in html
    assert "Repairs: gas" not in html  # retired: not offered anew
    assert ">Gasway Ltd</option>" in html and "Old depot" not in html
    text = text_of(page)
    assert "Point 1 has no outcome yet." in text
    assert "Root cause" not in text  # not until the point is upheld


def test_recording_a_theme_at_triage_shows_on_the_case_page(client, log, frontline):
    complaint = log("2026-03-16 10:00")  # awaiting triage: front line may theme it
    first = points(complaint)[0]
    with at(LATER):
        client.force_login(frontline)
        triage = client.get(f"/work/complaints/{complaint.reference}/accept/")
        assert f'href="{url(complaint, first.pk)}"' in triage.content.decode()
        form = client.get(url(complaint, first.pk))
        response = client.post(
            url(complaint, first.pk),
            {"version": version_in(form), "theme": theme("leaks").pk, "service_area": ""},
        )
    assert response.status_code == 302
    assert PointLearning.objects.get(point=first).theme == theme("leaks")
    assert kinds(complaint)[-1] == EventKind.LEARNING_RECORDED
    with at(LATER):
        case_page = text_of(client.get(case_url(complaint), follow=True))
    assert "Learning recorded on point 1." in case_page
    assert "Theme Repairs: leaks Service area Not recorded" in case_page


def test_an_upheld_point_takes_a_root_cause_and_a_note(client, answered, officer, org):
    area = ServiceArea.objects.create(organisation=org, name="Repairs")
    first = points(answered)[0]
    cause = RootCause.objects.get(key="missed_appointment")
    with at(LATER):
        client.force_login(officer)
        form = client.get(url(answered, first.pk))
        assert "Root cause" in text_of(form)
        response = client.post(
            url(answered, first.pk),
            {
                "version": version_in(form),
                "theme": theme("leaks").pk,
                "service_area": area.pk,
                "root_cause": cause.pk,
                "root_cause_note": "The roofer was booked for the wrong day.",
            },
        )
        page = text_of(client.get(response["Location"]))
    assert (
        "Theme Repairs: leaks Service area Repairs Root cause Missed appointment: "
        "The roofer was booked for the wrong day." in page
    )


def test_a_stale_form_is_refused_and_changes_nothing(client, case, officer, second_officer):
    first = points(case)[0]
    with at(LATER):
        client.force_login(officer)
        form = client.get(url(case, first.pk))
        record_point_learning(case, point_id=first.pk, actor=second_officer, theme=theme("gas"))
        response = client.post(url(case, first.pk), {"version": version_in(form), "theme": theme("leaks").pk})
    assert response.status_code == 400
    assert "Someone else has changed this complaint" in text_of(response)
    assert PointLearning.objects.get(point=first).theme == theme("gas")


def test_a_point_keeps_its_retired_theme_which_is_shown_but_not_offered_to_others(client, case, officer):
    first, second = points(case)
    with at(LATER):
        record_point_learning(case, point_id=first.pk, actor=officer, theme=theme("gas"))
    Theme.objects.filter(key="gas").update(retired_at=timezone.now())
    with at(LATER):
        client.force_login(officer)
        own = client.get(url(case, first.pk)).content.decode()
        other = client.get(url(case, second.pk)).content.decode()
        page = text_of(client.get(case_url(case)))
        # Sent anyway, a retired theme is refused beside the field.
        form = client.get(url(case, second.pk))
        refused = client.post(url(case, second.pk), {"version": version_in(form), "theme": theme("gas").pk})
    assert "Repairs: gas (retired)" in own and "gas (retired)" not in other
    assert "Theme Repairs: gas (retired)" in page
    assert refused.status_code == 400
    assert "Select a valid choice" in text_of(refused)


def test_another_landlords_service_areas_are_not_offered_but_the_groups_are(client, case, officer, org):
    group = Organisation.objects.create(
        name="Parent Housing Group", short_name="PHG", kind=OrganisationKind.GROUP
    )
    org.parent = group
    org.save()
    elsewhere = Organisation.objects.create(name="Other Homes", short_name="Other")
    ServiceArea.objects.create(organisation=group, name="Group finance")
    ServiceArea.objects.create(organisation=elsewhere, name="Their repairs")
    with at(LATER):
        client.force_login(officer)
        html = client.get(url(case, points(case)[0].pk)).content.decode()
    assert "Group finance" in html and "Their repairs" not in html


def test_a_role_that_may_not_record_learning_is_forbidden_and_another_landlord_gets_404(client, case, org):
    panel = make_user("pam", Role.PANEL_MEMBER, org)
    manager = make_user("mo", Role.MANAGER, org)
    with at(LATER):
        client.force_login(manager)
        assert client.get(url(case, points(case)[0].pk)).status_code == 403
        client.force_login(panel)
        assert client.get(url(case, points(case)[0].pk)).status_code == 404
    outsider_org = Organisation.objects.create(name="Other Homes", short_name="Other")
    outsider = make_user("otto", Role.RESOLUTION_OFFICER, outsider_org)
    with at(LATER):
        client.force_login(outsider)
        assert client.get(url(case, points(case)[0].pk)).status_code == 404


def test_a_point_of_another_complaint_is_404(client, log, case, officer):
    other = stage1_case(log, officer)
    with at(LATER):
        client.force_login(officer)
        assert client.get(url(case, points(other)[0].pk)).status_code == 404


# Closing


def test_the_close_page_says_which_points_lack_learning_and_links_to_them(client, answered, officer):
    with at(LATER):
        client.force_login(officer)
        page = client.get(f"/work/complaints/{answered.reference}/close/", follow=True)
    assert page.redirect_chain[-1][0] == f"/work/complaints/{answered.reference}/"
    text = text_of(page)
    assert (
        "The complaint can only be closed when every point has a theme and every upheld or partly upheld "
        "point a root cause: points 1 and 2 have no theme; points 1 and 2 were upheld without a root cause."
        in text
    )
    assert "Close the complaint: The complaint can only be closed" in text  # "Not possible yet"
    html = page.content.decode()
    assert '<a class="govuk-link" href="#points">Record the learning on each point</a>' in html
    assert html.count('Record learning<span class="govuk-visually-hidden"> on point') == 2

    with at(ANSWERED):
        record_learning(answered, officer)
    with at(LATER):
        page = client.get(f"/work/complaints/{answered.reference}/close/")
    assert page.status_code == 200


# Queries


def _queries(client, user, complaint: Complaint, path: str) -> int:
    with at(LATER):
        client.force_login(user)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_the_case_page_and_the_step_page_read_as_many_queries_whatever_the_size(client, log, officer, org):
    small = stage1_case(log, officer)
    big = stage1_case(log, officer, points=[f"Point {n}" for n in range(12)])
    grow(small, officer, 1)  # a list with no rows is not read at all (issue 16): one row each
    grow(big, officer, 5)
    for case in (small, big):
        answer(case, officer)  # every point upheld, themed and given a root cause
    for n in range(10):
        ServiceArea.objects.create(organisation=org, name=f"Area {n}")
    small_counts = (
        _queries(client, officer, small, case_url(small)),
        _queries(client, officer, small, url(small, points(small)[0].pk)),
    )
    big_counts = (
        _queries(client, officer, big, case_url(big)),
        _queries(client, officer, big, url(big, points(big)[-1].pk)),
    )
    assert small_counts == big_counts
