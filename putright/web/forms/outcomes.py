"""An outcome for every point of complaint: the stage 1 and 2 responses and the appeal's decision.

Each point gets a radio group (upheld, partially upheld, not upheld) and a
box for the reasons, named by the point's id, so that the form's fields and
the service's ``{point_id: (outcome, reasons)}`` map are one to one.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.procedure.states import Outcome
from putright.web.forms.base import Radios, text_area

OUTCOME_CHOICES = [
    (Outcome.UPHELD.value, "Upheld"),
    (Outcome.PARTIALLY_UPHELD.value, "Partially upheld"),
    (Outcome.NOT_UPHELD.value, "Not upheld"),
]


def add_outcome_fields(form: forms.Form, complaint: Complaint, *, reasons_required: bool = False) -> None:
    """Add an outcome and its reasons for each of the complaint's points, in their order.

    The reasons are asked for on every point when the policy requires them (the Code, 6.7),
    so the form says so before the procedure has to refuse the response.
    """
    for point in complaint.points.all():
        form.fields[f"outcome_{point.pk}"] = forms.ChoiceField(
            label=f"Point {point.number}: {point.summary}",
            choices=OUTCOME_CHOICES,
            widget=Radios(attrs={"small": True}),
            error_messages={"required": f"Choose an outcome for point {point.number}"},
        )
        form.fields[f"reasons_{point.pk}"] = forms.CharField(
            label=f"Why, for point {point.number}",
            widget=text_area(3),
            required=reasons_required,
            error_messages={"required": f"Enter the reasons for the outcome of point {point.number}"},
        )


def outcomes_from(cleaned: dict[str, Any]) -> dict[int, tuple[str, str]]:
    """The service's map of point id to (outcome, reasons), from the form's cleaned data."""
    found = {}
    for name, value in cleaned.items():
        if name.startswith("outcome_"):
            point_id = name.removeprefix("outcome_")
            found[int(point_id)] = (value, cleaned.get(f"reasons_{point_id}", ""))
    return found


_POINT_FIELD = re.compile(r"outcomes\[(\d+)\]\.(outcome|reasons)")


def refuse_on_point(form: forms.Form, error: InvalidInput) -> bool:
    """Put a service's refusal about ``outcomes[i].reasons`` beside that point's box.

    The service counts the points in the order of its map, which is the form's order
    (``outcomes_from``). False when the refusal is not about one point.
    """
    found = _POINT_FIELD.fullmatch(error.field)
    names = [name for name in form.fields if name.startswith("reasons_")]
    if not found or int(found.group(1)) >= len(names):
        return False
    name = names[int(found.group(1))]
    if found.group(2) == "outcome":
        name = name.replace("reasons_", "outcome_", 1)
    form.add_error(name, error.detail[:1].upper() + error.detail[1:])
    return True
