"""The emails a member of staff chooses to get: a form on their own account, nobody else's."""

from __future__ import annotations

from django import forms

from putright.accounts.models import User
from putright.web.forms.base import GovukBoundField, GovukRenderer, Radios

YES, NO = "yes", "no"


class EmailSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """Whether to get the morning digest of one's work. A ModelForm on the user's own row, as
    Django's password forms are: the only change is the person's own preference."""

    bound_field_class = GovukBoundField
    default_renderer = GovukRenderer
    template_name = "design/forms/form.html"

    receives_daily_digest = forms.TypedChoiceField(
        label="Send me a daily digest of my work",
        help_text="An email each working morning: what is overdue, due today and due soon on your "
        "complaints and your team's.",
        choices=[(YES, "Yes"), (NO, "No")],
        coerce=lambda value: value == YES,
        widget=Radios,
        error_messages={"required": "Select yes if you want a daily digest of your work"},
    )

    class Meta:
        model = User
        fields = ["receives_daily_digest"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound:
            self.initial["receives_daily_digest"] = YES if self.instance.receives_daily_digest else NO

    def save(self, commit: bool = True) -> User:
        """Write the one preference, and nothing else of a row other pages change too."""
        user: User = super().save(commit=False)
        if commit:
            user.save(update_fields=["receives_daily_digest"])
        return user
