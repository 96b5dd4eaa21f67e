"""Learning actions' forms: a new one, a change, completion with evidence, a link, the filters."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.models import User
from putright.learning import action_selectors as selectors
from putright.learning.models import ChangeKind, Theme
from putright.web.forms.base import Checkboxes, DateField, GovukForm, Radios, text_area


def _themes() -> list[tuple[int, str]]:
    return sorted(((t.pk, t.label) for t in selectors.current_themes()), key=lambda c: c[1])


class LearningActionForm(GovukForm):
    """What the lesson is, what changes, who owns it and by when; the themes it is about."""

    lesson = forms.CharField(
        label="The lesson",
        help_text="What went wrong, for more than this one customer.",
        widget=text_area(3),
        error_messages={"required": "Enter the lesson"},
    )
    change = forms.CharField(
        label="The change to make",
        help_text="What will be different, so that nobody else has the same problem.",
        widget=text_area(3),
        error_messages={"required": "Enter the change to make"},
    )
    change_kind = forms.ChoiceField(
        label="What does it change?",
        choices=ChangeKind.choices,
        widget=Radios,
        error_messages={"required": "Choose what it changes"},
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        help_text="The person responsible for making the change.",
        coerce=int,
        error_messages={"required": "Choose the owner"},
    )
    due_on = DateField(subject="The due date", latest=None)
    themes = forms.TypedMultipleChoiceField(
        label="Themes (optional)", coerce=int, required=False, widget=Checkboxes
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {u.pk: u for u in selectors.owners_for(user)}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", "Choose the owner"), *((pk, str(u)) for pk, u in self.people.items())]
        themes = self.fields["themes"]
        assert isinstance(themes, forms.ChoiceField)
        themes.choices = _themes()

    def chosen_owner(self) -> User | None:
        return self.people.get(self.cleaned_data["owner"])

    def chosen_themes(self) -> list[Theme]:
        wanted = self.cleaned_data.get("themes") or []
        return list(Theme.objects.filter(pk__in=wanted).order_by("pk"))


class NewLearningActionForm(LearningActionForm):
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int)
    complaints = forms.CharField(
        label="Complaints behind it (optional)",
        help_text="Their references, separated by spaces or commas. You can link more later.",
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.organisations = {o.pk: o for o in selectors.organisations_for(user)}
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = [(pk, o.name) for pk, o in self.organisations.items()]
        self.order_fields(["organisation", "lesson", "change", "change_kind", "owner", "due_on", "themes"])

    def references(self) -> list[str]:
        text = self.cleaned_data.get("complaints") or ""
        return [ref for ref in text.replace(",", " ").split() if ref]


class EditLearningActionForm(LearningActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CompleteLearningActionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.CharField(
        label="Evidence of the change",
        help_text="What shows the change was made: the new procedure's name and version, the training "
        "record, the contract clause.",
        widget=text_area(3),
        error_messages={"required": "Enter the evidence of the change"},
    )
    completed_on = DateField(
        subject="The date it was done", required=False, help_text="Leave blank for today."
    )


class LinkComplaintForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reference = forms.CharField(
        label="Complaint reference",
        error_messages={"required": "Enter the complaint's reference"},
        max_length=40,
    )


class ChooseActionForm(GovukForm):
    """From a case: the open learning action of its organisation to link it to."""

    action = forms.TypedChoiceField(
        label="Learning action",
        coerce=int,
        widget=Radios,
        error_messages={"required": "Choose a learning action"},
    )

    def __init__(self, *args: Any, actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.pk, f"{a.lesson[:100]} (due {a.due_on:%d/%m/%Y}, {a.owner})") for a in actions]


class FiltersForm(GovukForm):
    """The list's filters (read from the query string; a wrong value is ignored)."""

    status = forms.ChoiceField(required=False, label="Status")
    organisation = forms.TypedChoiceField(required=False, label="Organisation", coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(required=False, label="Owner", coerce=int, empty_value=None)
    theme = forms.TypedChoiceField(required=False, label="Theme", coerce=int, empty_value=None)
    change_kind = forms.ChoiceField(required=False, label="Kind of change")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any"), *selectors.STATUSES.items()]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *((o.pk, o.name) for o in selectors.organisations_for(user)),
        ]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            *((u.pk, str(u)) for u in selectors.owners_for(user)),
        ]
        self.fields["theme"].choices = [("", "Any"), *_themes()]  # type: ignore[attr-defined]
        self.fields["change_kind"].choices = [("", "Any"), *ChangeKind.choices]  # type: ignore[attr-defined]

    def filters(self) -> selectors.ActionFilters:
        if not self.is_valid():
            return selectors.ActionFilters()
        data = self.cleaned_data
        return selectors.ActionFilters(
            status=data.get("status") or None,
            organisation=data.get("organisation"),
            owner=data.get("owner"),
            theme=data.get("theme"),
            change_kind=data.get("change_kind") or None,
        )
