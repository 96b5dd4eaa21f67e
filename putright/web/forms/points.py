"""Forms for the points of an open complaint (add, reword, split) and its summary line.

The wording rules (not blank, one short line for a summary) are the
procedure's guards; the forms ask for the same so a caseworker sees the
message beside the field before anything is sent.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404

from putright.cases.models import Point
from putright.procedure.guards import SUMMARY_LIMIT
from putright.web.forms.base import text_area
from putright.web.forms.case import CaseStepForm


def wording_field(label: str, *, required: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, widget=text_area(3), help_text=help_text, error_messages={"required": required}
    )


class AddPointForm(CaseStepForm):
    ask_when = False

    wording = wording_field(
        "What is the new point of complaint?",
        required="Say what the new point of complaint is",
        help_text="A related issue the customer has raised before the stage 1 response. "
        "It is answered with the others, with its own outcome.",
    )


class PointForm(CaseStepForm):
    """A step on one of the case's points: the point is found on the case, or the page is 404."""

    ask_when = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = next((p for p in self.complaint.points.all() if p.pk == self.item), None)
        if found is None:
            raise Http404("No such point on this complaint.")
        self.point: Point = found


class EditPointForm(PointForm):
    wording = wording_field("New wording", required="Give the point's new wording")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wording"].label = f"New wording of point {self.point.number}"
        self.fields["wording"].initial = self.point.summary


class SplitPointForm(PointForm):
    first = wording_field("First part", required="Give the words the point keeps")
    second = wording_field("Second part", required="Give the words of the new point")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first"].label = f"Point {self.point.number} keeps"
        self.fields["first"].initial = self.point.summary
        self.fields["second"].label = f"The new point {self.next_number} says"

    @property
    def next_number(self) -> int:
        return max((p.number for p in self.complaint.points.all()), default=0) + 1


def summary_field(label: str = "What is the complaint about?") -> forms.CharField:
    """One line, as headings, lists and letters show it: shared by the staff and public forms."""
    return forms.CharField(
        label=label,
        max_length=SUMMARY_LIMIT,
        help_text=f"One line, for example “Boiler repair delays”. At most {SUMMARY_LIMIT} characters.",
        error_messages={
            "required": "Say in one line what the complaint is about",
            "max_length": f"The summary must be {SUMMARY_LIMIT} characters or fewer",
        },
    )


class SummaryForm(CaseStepForm):
    ask_when = False

    summary = summary_field("Summary")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].initial = self.complaint.summary
