"""The letter context: plain values only, the documented names exactly, a fixed number of queries."""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.cases.services import responses
from putright.comms.letters.letter_context import letter_context
from putright.comms.letters.placeholders import placeholders
from putright.comms.letters.selectors import letters_for_case
from putright.comms.models import LetterKind
from tests.cases.helpers import at
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    send,
)

K = LetterKind
pytestmark = pytest.mark.django_db


def plain(value) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(
            isinstance(item, dict) and all(isinstance(v, str) for v in item.values()) for item in value
        )
    return False


def test_every_kind_gets_exactly_its_documented_names_as_plain_values(journey):
    complaint = journey.until("final")
    for kind in K:
        context = letter_context(complaint, kind)
        assert set(context) == set(placeholders(kind)), kind
        assert all(plain(v) for v in context.values()), kind


def test_dates_come_from_the_case_record(journey):
    complaint = journey.until("final")
    context = letter_context(complaint, K.APPEAL_DECISION)
    # Stored on the case at the final response, Fri 24 April 2026, plus 8 weeks.
    assert context["ombudsman_from"] == "Friday 19 June 2026"
    assert [p["outcome"] for p in context["points"]] == ["Upheld", "Upheld"]
    assert context["response_summary"] == "Upheld in full"


def _queries(complaint, kind) -> int:
    with CaptureQueriesContext(connection) as queries:
        letter_context(complaint, kind)
    return len(queries)


def _grow(complaint, actor, actions: int) -> None:
    with at("Fri 2026-03-13 09:00"):
        for n in range(actions):
            responses.add_action(
                complaint,
                description=f"Action {n}",
                due_on=dt.date(2026, 3, 20) + dt.timedelta(days=n),
                actor=actor,
            )


@pytest.mark.parametrize("kind", [K.STAGE1_RESPONSE, K.ACKNOWLEDGEMENT, K.DESIGNATED_PERSON])
def test_the_context_takes_the_same_queries_for_a_small_and_a_large_case(journey, officer, kind):
    small = journey.until("responded")
    large = journey.until("responded", points=[f"Point number {n}" for n in range(8)])
    _grow(small, officer, 1)
    _grow(large, officer, 6)
    assert _queries(small, kind) == _queries(large, kind) <= 12
    assert len(letter_context(large, K.STAGE1_RESPONSE)["points"]) == 8
    assert len(letter_context(large, K.STAGE1_RESPONSE)["actions"]) == 6


def test_letters_for_case_is_one_query_however_many_letters(journey, officer):
    few = journey.until("accepted")
    many = journey.until("accepted")
    send(few, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    for minute in (31, 32, 33):
        send(many, K.ACKNOWLEDGEMENT, officer, f"Mon 2026-03-02 11:{minute}")
    for complaint, expected in ((few, 1), (many, 3)):
        with CaptureQueriesContext(connection) as queries:
            found = letters_for_case(complaint)
            details = [(x.template.version, str(x.sent_by), x.posted_by) for x in found]
        assert len(found) == len(details) == expected
        assert len(queries) == 1
