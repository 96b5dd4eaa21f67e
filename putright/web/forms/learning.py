"""The form for a point's learning: its theme, the service area responsible and (once upheld) why.

The pickers offer the current entries only, plus the point's own when it has
since been retired, so saving the form leaves an old choice as it was. A root
cause is asked for only when the point's latest outcome upheld it, wholly or
partly; otherwise a hint says why it is not.
"""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.permissions import organisation_and_parents
from putright.cases.selectors.outcomes import is_upheld
from putright.learning import selectors
from putright.learning.models import PointLearning, RootCause, ServiceArea, Theme
from putright.web.forms.base import text_area
from putright.web.forms.points import PointForm

NONE = ""


class RecordLearningForm(PointForm):
    # Every point needs a theme before the complaint closes: the form never saves one without it.
    theme = forms.ChoiceField(
        label="Theme",
        help_text="What this point is about. Sub-themes are listed under the theme they belong to.",
        error_messages={"required": "Choose what this point is about"},
    )
    service_area = forms.ChoiceField(
        label="Service area responsible",
        required=False,
        help_text="The department or contractor this point is about.",
    )
    root_cause = forms.ChoiceField(
        label="Root cause",
        required=False,
        help_text="Why it went wrong.",
    )
    root_cause_note = forms.CharField(
        label="What went wrong",
        required=False,
        widget=text_area(3),
        help_text="In a sentence or two, for the people who will learn from it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current: PointLearning | None = selectors.point_learning(self.complaint.pk).get(self.point.pk)
        current = self.current
        self.upheld = is_upheld(self.point)
        groups = selectors.theme_groups(keep=current.theme if current else None)
        self._themes = {str(t.pk): t for _, members in groups for t in members}
        self._choose(
            "theme",
            [(NONE, "Not chosen yet")]
            + [
                (top.name, [(str(t.pk), _theme_choice(t, top)) for t in members])
                if len(members) > 1
                else (str(members[0].pk), _theme_choice(members[0], top))
                for top, members in groups
            ],
        )
        organisations = organisation_and_parents(self.complaint.organisation_id, self.user)
        areas = selectors.service_areas_for(organisations, keep=current.service_area if current else None)
        self._areas = {str(a.pk): a for a in areas}
        self._choose(
            "service_area",
            [(NONE, "Not chosen yet")] + [(str(a.pk), _retired(a.name, a.is_current)) for a in areas],
        )
        if self.upheld:
            causes = selectors.root_causes(keep=current.root_cause if current else None)
            self._causes = {str(c.pk): c for c in causes}
            self._choose(
                "root_cause",
                [(NONE, "Not chosen yet")] + [(str(c.pk), _retired(c.name, c.is_current)) for c in causes],
            )
        else:
            del self.fields["root_cause"]
            del self.fields["root_cause_note"]
        if current is not None and not self.is_bound:
            self.initial.update(
                theme=str(current.theme_id or ""),
                service_area=str(current.service_area_id or ""),
                root_cause=str(current.root_cause_id or ""),
                root_cause_note=current.root_cause_note,
            )

    def _choose(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    @property
    def why_no_root_cause(self) -> str:
        """The hint shown instead of the root cause, on a point not (yet) upheld."""
        if self.point.outcomes.exists():
            return (
                f"Point {self.point.number} was not upheld, so it has no root cause. "
                "A root cause is recorded for what went wrong, on an upheld or partly upheld point."
            )
        return (
            f"Point {self.point.number} has no outcome yet. Once it is upheld or partly upheld, "
            "record here why it went wrong."
        )

    def chosen_theme(self) -> Theme | None:
        return self._themes.get(self.cleaned_data.get("theme") or NONE)

    def chosen_area(self) -> ServiceArea | None:
        return self._areas.get(self.cleaned_data.get("service_area") or NONE)

    def chosen_cause(self) -> RootCause | None:
        return self._causes.get(self.cleaned_data.get("root_cause") or NONE)


def _theme_choice(theme: Theme, top: Theme) -> str:
    name = theme.name if theme.pk == top.pk else theme.label
    return _retired(name, theme.is_current)


def _retired(name: str, current: bool) -> str:
    return name if current else f"{name} (retired)"
