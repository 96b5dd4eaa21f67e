"""The points of an open complaint, until the stage 1 response (the Code, 6.8), and its summary line.

Before the response a related new issue joins the complaint as a point, a
point may be reworded, or split in two; each is recorded with the words
before and after. After the response they are refused: a new issue is a new
complaint (``raise_new_matter``).
"""

from __future__ import annotations

from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import EventKind
from putright.cases.services import points, responses
from tests.cases.conftest import all_points
from tests.cases.helpers import at, last_event, refused

NEW_COMPLAINT = (
    "The stage 1 response has been given: its points stand as answered, and a new issue "
    "is now a new complaint. Raise it as a new matter."
)


def numbered(complaint):
    return list(complaint.points.order_by("number").values_list("number", "summary"))


def test_a_related_issue_joins_the_open_complaint_as_its_next_point(journey, officer):
    complaint = journey.until("contacted")
    version = complaint.version

    with at("Wed 2026-03-04 10:00"):
        point = points.add_point(
            complaint, wording=" The damp in the bedroom ", actor=officer, expected_version=version
        )

    assert numbered(complaint) == [
        (1, "The repair was not done"),
        (2, "Nobody called back"),
        (3, "The damp in the bedroom"),
    ]
    assert point.number == 3
    assert complaint.version == version + 1
    event = last_event(complaint)
    assert (event.kind, event.summary) == (EventKind.POINT_ADDED, "Point 3 added: The damp in the bedroom")
    assert (event.data["old"], event.data["new"]) == ("", "The damp in the bedroom")
    # It is a point like the others: the response must answer it.
    with at("Thu 2026-03-05 10:00"), refused(complaint, StepNotAllowed) as info:
        outcomes = dict.fromkeys(
            complaint.points.exclude(number=3).values_list("pk", flat=True), ("upheld", "")
        )
        responses.respond(complaint, outcomes=outcomes, method="letter", summary="S1", actor=officer)
    assert info.value.message == "Give an outcome for every point of complaint: 1 without one."


def test_a_point_is_reworded_and_the_old_words_stay_on_the_timeline(journey, officer):
    complaint = journey.until("accepted")
    first = complaint.points.get(number=1)

    with at("Tue 2026-03-03 10:00"):
        points.edit_point(
            complaint, point_id=first.pk, wording="The roof repair was cancelled twice", actor=officer
        )

    assert numbered(complaint)[0] == (1, "The roof repair was cancelled twice")
    event = last_event(complaint)
    assert event.kind == EventKind.POINT_EDITED
    assert event.summary == (
        "Point 1 reworded: “The repair was not done” is now “The roof repair was cancelled twice”"
    )
    assert (event.data["old"], event.data["new"]) == (
        "The repair was not done",
        "The roof repair was cancelled twice",
    )


def test_a_split_point_keeps_its_number_and_the_new_half_takes_the_next(journey, officer):
    complaint = journey.until("accepted")
    first = complaint.points.get(number=1)

    with at("Tue 2026-03-03 10:00"):
        new = points.split_point(
            complaint,
            point_id=first.pk,
            first="The roof repair was cancelled twice",
            second="The ceiling was not made good",
            actor=officer,
        )

    assert new.number == 3
    assert numbered(complaint) == [
        (1, "The roof repair was cancelled twice"),
        (2, "Nobody called back"),
        (3, "The ceiling was not made good"),
    ]
    event = last_event(complaint)
    assert event.kind == EventKind.POINT_SPLIT
    assert event.data["old"] == "The repair was not done"
    assert event.data["new"] == ["The roof repair was cancelled twice", "The ceiling was not made good"]
    assert (event.data["number"], event.data["new_number"]) == (1, 3)


def test_after_the_stage_1_response_points_are_not_added_reworded_or_split(journey, officer):
    complaint = journey.until("responded")
    first = complaint.points.get(number=1)

    with at("Fri 2026-03-13 09:00"):
        with refused(complaint, StepNotAllowed, NEW_COMPLAINT):
            points.add_point(complaint, wording="The fence as well", actor=officer)
        with refused(complaint, StepNotAllowed, NEW_COMPLAINT):
            points.edit_point(complaint, point_id=first.pk, wording="Answered already", actor=officer)
        with refused(complaint, StepNotAllowed, NEW_COMPLAINT):
            points.split_point(complaint, point_id=first.pk, first="A", second="B", actor=officer)
    assert first.outcomes.count() == 1  # answered, and its words stand


def test_bad_point_changes_are_refused_and_change_nothing(journey, log, officer):
    complaint = journey.until("accepted")
    other = log("2026-03-02 10:30")
    theirs = other.points.get(number=1)
    ours = complaint.points.get(number=1)

    with at("Tue 2026-03-03 10:00"):
        with refused(complaint, StepNotAllowed, "That point is not part of this complaint."):
            points.edit_point(complaint, point_id=theirs.pk, wording="Hijacked", actor=officer)
        with refused(complaint, StepNotAllowed, "Say what the new point of complaint is."):
            points.add_point(complaint, wording="   ", actor=officer)
        with refused(complaint, InvalidInput, "wording: point 1 already says that"):
            points.edit_point(complaint, point_id=ours.pk, wording="The repair was not done", actor=officer)
        with refused(complaint, StaleCase):
            points.add_point(complaint, wording="Late", actor=officer, expected_version=complaint.version - 1)


def test_the_summary_line_is_changed_with_old_and_new_on_the_timeline(journey, frontline):
    complaint = journey.until("received")

    with at("Mon 2026-03-02 10:30"):
        points.edit_summary(complaint, summary="Roof leak: repair cancelled twice", actor=frontline)

    assert complaint.summary == "Roof leak: repair cancelled twice"
    event = last_event(complaint)
    assert event.kind == EventKind.SUMMARY_EDITED
    assert (event.data["old"], event.data["new"]) == (
        "Leaking roof not repaired",
        "Roof leak: repair cancelled twice",
    )
    with (
        at("Mon 2026-03-02 10:40"),
        refused(complaint, StepNotAllowed, "The summary is one line of at most 100 characters."),
    ):
        points.edit_summary(complaint, summary="x" * 101, actor=frontline)


def test_the_new_point_is_answered_with_the_others(journey, officer):
    complaint = journey.until("contacted")
    with at("Wed 2026-03-04 10:00"):
        points.add_point(complaint, wording="The damp in the bedroom", actor=officer)
    with at("Thu 2026-03-05 10:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="S1", actor=officer
        )
    assert complaint.points.get(number=3).outcomes.get().outcome == "upheld"
