"""A date as day, month and year boxes (the Design System's date input), with its error messages.

"Today" is Thu 24 December 2026 where a test needs one.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from putright.design.forms import DateField, GovukForm

TODAY = dt.datetime(2026, 12, 24, 15, 0, tzinfo=dt.UTC)


class Asked(GovukForm):
    happened = DateField(label="When did it happen?", subject="The date it happened")
    due = DateField(label="When is it due?", subject="The due date", required=False, latest=None)


def sent(day: str = "", month: str = "", year: str = "", **more: str) -> Asked:
    return Asked({"happened-day": day, "happened-month": month, "happened-year": year, **more})


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("24", "12", "2026"), dt.date(2026, 12, 24)),
        ((" 1 ", "03", "2025"), dt.date(2025, 3, 1)),
        (("29", "Feb", "2024"), dt.date(2024, 2, 29)),
        (("7", "september", "2026"), dt.date(2026, 9, 7)),
    ],
)
def test_a_real_date_is_read_from_its_three_boxes(parts, expected):
    form = sent(*parts)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["happened"] == expected
    assert form.cleaned_data["due"] is None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("parts", "message", "wrong"),
    [
        (("", "", ""), "Enter the date it happened", ("day", "month", "year")),
        (("3", "", "2026"), "The date it happened must include a month", ("month",)),
        (("", "", "2026"), "The date it happened must include a day and month", ("day", "month")),
        (("3", "4", ""), "The date it happened must include a year", ("year",)),
        (("3", "4", "26"), "Year must include 4 numbers", ("year",)),
        (("31", "2", "2026"), "The date it happened must be a real date", ("day",)),
        (("3", "13", "2026"), "The date it happened must be a real date", ("month",)),
        (("x", "Ju", "2026"), "The date it happened must be a real date", ("day", "month")),
        (("25", "12", "2026"), "The date it happened must be today or in the past", ("day", "month", "year")),
    ],
)
def test_a_wrong_date_says_what_is_wrong_and_marks_the_boxes_at_fault(parts, message, wrong):
    form = sent(*parts)
    assert not form.is_valid()
    assert form.errors["happened"] == [message]
    html = str(form["happened"].as_field_group())
    marked = re.findall(r'class="[^"]*govuk-input--error[^"]*" id="id_happened-(\w+)"', html)
    assert tuple(marked) == wrong
    assert form["happened"].anchor == f"id_happened-{wrong[0]}"  # the error summary's link


@time_machine.travel(TODAY, tick=False)
def test_a_date_may_be_in_the_future_where_the_field_allows_it():
    form = sent("24", "12", "2026", **{"due-day": "5", "due-month": "1", "due-year": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == dt.date(2027, 1, 5)


def test_the_boxes_are_labelled_in_a_fieldset_with_the_hint_and_the_error():
    html = str(sent("3", "", "2026")["happened"].as_field_group())
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_happened-hint id_happened-error">'
        in html
    )
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert (
            f'<label class="govuk-label govuk-date-input__label" for="id_happened-{part}">'
            f"{part.capitalize()}</label>" in html
        )
        assert re.search(
            rf'govuk-input--width-{width}[^"]*" id="id_happened-{part}" name="happened-{part}" '
            'type="text" inputmode="numeric"',
            html,
        )
    assert 'value="3"' in html and 'value="2026"' in html  # what was typed comes back
    assert 'type="date"' not in html


def test_a_saved_date_is_shown_in_its_three_boxes():
    html = str(Asked(initial={"happened": "2026-03-07"})["happened"].as_field_group())
    assert re.search(
        r'id="id_happened-day" name="happened-day" type="text" inputmode="numeric" value="7"', html
    )
    assert re.search(
        r'id="id_happened-month" name="happened-month" type="text" inputmode="numeric" value="3"', html
    )
    assert re.search(
        r'id="id_happened-year" name="happened-year" type="text" inputmode="numeric" value="2026"', html
    )
