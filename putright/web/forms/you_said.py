""" "You said, we did": the entry form (new and edit) and the approve and withdraw buttons' forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone

from putright.accounts.models import Organisation
from putright.learning.models import LearningAction, Theme
from putright.learning.quarters import Quarter
from putright.learning.services.you_said import LONGEST, selectable_quarters
from putright.web.forms.base import Checkboxes, GovukForm, text_area


class EntryForm(GovukForm):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    quarter = forms.ChoiceField(
        label="Quarter", help_text="The reporting quarter it is published with (quarters start in April)."
    )
    you_said = forms.CharField(
        label="You said",
        help_text="The concern, in plain words. No names, addresses, phone numbers or references.",
        max_length=LONGEST,
        widget=text_area(4),
        error_messages={"required": "Enter what customers said"},
    )
    we_did = forms.CharField(
        label="We did",
        help_text="The change we made because of it.",
        max_length=LONGEST,
        widget=text_area(4),
        error_messages={"required": "Enter what we did"},
    )
    theme = forms.TypedChoiceField(label="Theme (optional)", coerce=int, required=False, empty_value=None)
    learning_actions = forms.TypedMultipleChoiceField(
        label="Learning actions behind it (optional)", coerce=int, required=False, widget=Checkboxes
    )
    complaints = forms.CharField(
        label="Complaints behind it (optional)",
        help_text="Their references, separated by commas or spaces, for example PR-7K3M9Q, PR-4D2X8H.",
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        themes: list[Theme],
        actions: list[LearningAction],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.themes = {t.pk: t for t in themes}
        self.actions = {a.pk: a for a in actions}
        self.quarters = {q.key: q for q in selectable_quarters(timezone.localdate())}
        self._choices("organisation", [(pk, o.name) for pk, o in self.organisations.items()])
        initial_quarter = self.initial.get("quarter")
        if isinstance(initial_quarter, Quarter) and initial_quarter.key not in self.quarters:
            self.quarters[initial_quarter.key] = initial_quarter  # an older entry keeps its quarter
            self.initial["quarter"] = initial_quarter.key
        elif isinstance(initial_quarter, Quarter):
            self.initial["quarter"] = initial_quarter.key
        self._choices("quarter", [(key, q.label) for key, q in self.quarters.items()])
        self._choices("theme", [("", "None chosen"), *((pk, t.label) for pk, t in self.themes.items())])
        self._choices(
            "learning_actions",
            [(pk, f"{a.lesson[:90]} ({a.organisation.short_name})") for pk, a in self.actions.items()],
        )
        if not self.actions:
            del self.fields["learning_actions"]
        if len(self.organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", next(iter(self.organisations)))

    def _choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen(self) -> dict[str, Any]:
        data = self.cleaned_data
        theme = data.get("theme")
        return {
            "organisation": self.organisations[data["organisation"]],
            "quarter": self.quarters[data["quarter"]],
            "you_said": data["you_said"],
            "we_did": data["we_did"],
            "theme": self.themes[theme] if theme is not None else None,
            "learning_actions": [self.actions[pk] for pk in data.get("learning_actions") or []],
            "complaints": [r for r in re.split(r"[,;\s]+", data.get("complaints") or "") if r],
        }


class VersionForm(GovukForm):
    """The approve button: the version read, so a change made meanwhile is not approved unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is it withdrawn? (optional)",
        required=False,
        max_length=500,
        widget=text_area(3),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
