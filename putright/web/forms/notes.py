"""The internal note form on the case page: the note, and optionally a colleague to tell."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.selectors.assignees import assignable_names
from putright.web.forms.base import GovukForm, text_area


class NoteForm(GovukForm):
    text = forms.CharField(
        label="Internal note",
        help_text=(
            "For staff only: the customer never sees it. Type @ and a colleague's username "
            "(for example @amelia.hart) to email them the note."
        ),
        widget=text_area(4),
        error_messages={"required": "Enter the note"},
    )
    tell = forms.TypedChoiceField(
        label="Tell a colleague",
        help_text="They are emailed the note with a link to the complaint.",
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, complaint: Complaint, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tell = self.fields["tell"]
        assert isinstance(tell, forms.ChoiceField)
        named = assignable_names(user, complaint, excluding=user.pk)
        tell.choices = [("", "Nobody"), *((pk, f"{name} (@{username})") for pk, name, username in named)]

    def told(self) -> list[User]:
        """The colleague chosen (one of the choices, so one who works for the case), read as a user."""
        chosen = self.cleaned_data.get("tell")
        return list(User.objects.filter(pk=chosen)) if chosen is not None else []

    def refuse(self, error: InvalidInput) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.detail[:1].upper() + error.detail[1:])
