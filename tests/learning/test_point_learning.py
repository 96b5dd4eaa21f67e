"""Learning on each point through the service, and the closure rule it feeds (issue 12).

Both shipped policies refuse to close a complaint, or to refuse an appeal, until
every point has a theme and every upheld or partly upheld point a root cause; the
refusal names the points. A policy that says otherwise closes without it.
"""

from __future__ import annotations

from importlib import resources

import pytest

from putright.accounts.models import Organisation
from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import EventKind
from putright.cases.services import escalation, responses
from putright.learning.models import PointLearning, RootCause, ServiceArea, Theme
from putright.learning.services.points import record_point_learning
from tests.cases.helpers import at, kinds, last_event, refused
from tests.conftest import policy_in_force
from tests.learning.helpers import record_learning

pytestmark = pytest.mark.django_db

CLOSE_RULE = (
    "The complaint can only be closed when every point has a theme and every upheld or partly upheld "
    "point a root cause: "
)
APPEAL_RULE = (
    "An appeal can only be refused when every point has a theme and every upheld or partly upheld "
    "point a root cause: "
)


def theme(key: str) -> Theme:
    return Theme.objects.select_related("parent").get(key=key)


def cause(key: str) -> RootCause:
    return RootCause.objects.get(key=key)


def points_of(complaint):
    return list(complaint.points.order_by("number"))


@pytest.mark.usefixtures("shipped_policy")
def test_closing_is_refused_until_each_point_has_its_learning_and_names_what_is_missing(journey, officer):
    complaint = journey.until("responded")  # two points, both upheld
    first, second = points_of(complaint)
    with at("Fri 2026-03-13 09:00"):
        with refused(
            complaint,
            StepNotAllowed,
            CLOSE_RULE + "points 1 and 2 have no theme; points 1 and 2 were upheld without a root cause.",
        ):
            responses.close(complaint, actor=officer)
        record_point_learning(complaint, point_id=first.pk, actor=officer, theme=theme("leaks"))
        with refused(
            complaint,
            StepNotAllowed,
            CLOSE_RULE + "point 2 has no theme; points 1 and 2 were upheld without a root cause.",
        ):
            responses.close(complaint, actor=officer)
        record_point_learning(
            complaint,
            point_id=second.pk,
            actor=officer,
            theme=theme("communication"),
            root_cause=cause("communication_failure"),
        )
        with refused(complaint, StepNotAllowed, CLOSE_RULE + "point 1 was upheld without a root cause."):
            responses.close(complaint, actor=officer)
        record_point_learning(
            complaint, point_id=first.pk, actor=officer, root_cause=cause("missed_appointment")
        )
        responses.close(complaint, actor=officer)
    assert complaint.state == "closed"


def test_a_point_not_upheld_needs_a_theme_only(journey, officer):
    complaint = journey.until("contacted")
    first, second = points_of(complaint)
    with at("Thu 2026-03-12 15:00"):
        responses.respond(
            complaint,
            outcomes={first.pk: ("upheld", "We got it wrong"), second.pk: ("not_upheld", "We called back")},
            method="letter",
            summary="Partly",
            actor=officer,
        )
    with at("Fri 2026-03-13 09:00"):
        for point in (first, second):
            record_point_learning(complaint, point_id=point.pk, actor=officer, theme=theme("repairs"))
        with refused(complaint, StepNotAllowed, CLOSE_RULE + "point 1 was upheld without a root cause."):
            responses.close(complaint, actor=officer)
        record_point_learning(
            complaint, point_id=first.pk, actor=officer, root_cause=cause("process_not_followed")
        )
        responses.close(complaint, actor=officer)
    assert complaint.state == "closed"


def test_refusing_an_appeal_waits_on_the_learning_too(journey, senior):
    complaint = journey.until("appealed")
    with at("Wed 2026-03-25 11:00"):
        with refused(
            complaint,
            StepNotAllowed,
            APPEAL_RULE + "points 1 and 2 have no theme; points 1 and 2 were upheld without a root cause.",
        ):
            escalation.refuse_appeal(complaint, reason="Nothing is outstanding.", actor=senior)
        record_learning(complaint, senior)
        escalation.refuse_appeal(complaint, reason="Nothing is outstanding.", actor=senior)
    assert complaint.state == "closed"


@pytest.fixture
def learning_not_required(settings, tmp_path):
    """The flagship policy with ``required_at_closure = false`` (and its own version)."""
    text = resources.files("putright.procedure.policies").joinpath("flagship.toml").read_text()
    assert "required_at_closure = true" in text
    text = text.replace("required_at_closure = true", "required_at_closure = false").replace(
        'version = "1.2"', 'version = "1.2.9"'
    )
    path = tmp_path / "no-learning-at-closure.toml"
    path.write_text(text, encoding="utf-8")
    with policy_in_force(settings, path):
        yield


@pytest.mark.usefixtures("learning_not_required")
def test_a_policy_that_does_not_ask_for_learning_closes_without_it(journey, officer, senior):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        responses.close(complaint, actor=officer)
    assert complaint.state == "closed"
    assert not PointLearning.objects.filter(point__complaint=complaint).exists()

    appeal = journey.until("appealed")
    with at("Wed 2026-03-25 11:00"):
        escalation.refuse_appeal(appeal, reason="Nothing is outstanding.", actor=senior)
    assert appeal.state == "closed"


# --- Recording learning --------------------------------------------------------------------------


def test_each_change_is_a_timeline_event_naming_old_and_new(journey, officer, org):
    complaint = journey.until("responded")
    first = points_of(complaint)[0]
    area = ServiceArea.objects.create(organisation=org, name="Repairs")
    with at("Fri 2026-03-13 09:00"):
        record_point_learning(
            complaint,
            point_id=first.pk,
            actor=officer,
            theme=theme("leaks"),
            service_area=area,
            root_cause=cause("missed_appointment"),
            root_cause_note="  The roofer did not come. ",
        )
    assert last_event(complaint).summary == (
        "Point 1: theme “Repairs: leaks”; service area “Repairs”; root cause “Missed appointment”; "
        "what went wrong: The roofer did not come."
    )
    with at("Fri 2026-03-13 09:05"):
        record_point_learning(complaint, point_id=first.pk, actor=officer, theme=theme("damp_and_mould"))
    event = last_event(complaint)
    assert event.kind == EventKind.LEARNING_RECORDED
    assert event.summary == "Point 1: theme “Repairs: leaks” → “Repairs: damp and mould”"
    learning = PointLearning.objects.get(point=first)
    assert (learning.theme.key, learning.service_area, learning.root_cause.key, learning.root_cause_note) == (
        "damp_and_mould",
        area,
        "missed_appointment",
        "The roofer did not come.",
    )


def test_a_root_cause_is_refused_on_a_point_not_upheld(journey, officer):
    complaint = journey.until("contacted")  # no outcome yet
    first = points_of(complaint)[0]
    with (
        at("Wed 2026-03-04 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Point 1 was not upheld: a root cause is recorded for what went wrong, on an upheld or partly "
            "upheld point.",
        ),
    ):
        record_point_learning(complaint, point_id=first.pk, actor=officer, root_cause=cause("policy_gap"))


def test_a_retired_theme_is_not_chosen_anew_but_stays_where_it_is(journey, officer):
    complaint = journey.until("accepted")
    first, second = points_of(complaint)
    leaks = theme("leaks")
    with at("Mon 2026-03-02 12:00"):
        record_point_learning(complaint, point_id=first.pk, actor=officer, theme=leaks)
    Theme.objects.filter(pk=leaks.pk).update(retired_at="2026-03-02T12:30:00Z")
    leaks.refresh_from_db()
    with at("Mon 2026-03-02 13:00"):
        with refused(
            complaint, InvalidInput, "theme: “Repairs: leaks” has been retired: choose a current theme"
        ):
            record_point_learning(complaint, point_id=second.pk, actor=officer, theme=leaks)
        # The point that has it keeps it when something else changes.
        record_point_learning(complaint, point_id=first.pk, actor=officer, theme=leaks, root_cause_note="")
    assert PointLearning.objects.get(point=first).theme == leaks


def test_another_organisations_service_area_is_refused(journey, officer):
    complaint = journey.until("accepted")
    elsewhere = Organisation.objects.create(name="Other Homes", short_name="Other")
    area = ServiceArea.objects.create(organisation=elsewhere, name="Repairs")
    with (
        at("Mon 2026-03-02 12:00"),
        refused(
            complaint, InvalidInput, "service_area: choose a service area of the complaint's organisation"
        ),
    ):
        record_point_learning(
            complaint, point_id=points_of(complaint)[0].pk, actor=officer, service_area=area
        )


def test_a_stale_version_is_refused_and_a_point_elsewhere_is_not_found(journey, officer):
    complaint = journey.until("accepted")
    other = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        with refused(complaint, StaleCase):
            record_point_learning(
                complaint,
                point_id=points_of(complaint)[0].pk,
                actor=officer,
                theme=theme("gas"),
                expected_version=complaint.version - 1,
            )
        with refused(complaint, InvalidInput, "point: that point is not part of this complaint"):
            record_point_learning(
                complaint, point_id=points_of(other)[0].pk, actor=officer, theme=theme("gas")
            )


def test_learning_is_corrected_after_closure_with_an_event(journey, officer):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        record_learning(complaint, officer, theme="leaks")
        responses.close(complaint, actor=officer)
    with at("Mon 2026-03-16 09:00"):
        record_point_learning(
            complaint, point_id=points_of(complaint)[1].pk, actor=officer, theme=theme("communication")
        )
    assert kinds(complaint)[-1] == EventKind.LEARNING_RECORDED
    assert complaint.state == "closed"
