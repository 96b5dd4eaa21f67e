"""The forms of stage 1 and 2 work: contact, evidence, extension, response, actions, closure.

Field names match the names the services give in their refusals (``method``,
``new_due_on``, ``file``...), so that what a service refuses is shown beside
the field it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.http import Http404

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Action, ContactMethod, Direction
from putright.cases.policies import rules_for
from putright.cases.selectors.assignees import assignable_staff
from putright.cases.services import evidence
from putright.procedure.deadlines import extension_limit, response_name
from putright.procedure.states import ResponseMethod
from putright.procedure.wording import long_date
from putright.web.forms.base import Checkboxes, DateInput, Radios, StepForm, text_area
from putright.web.forms.outcomes import add_outcome_fields, refuse_on_point
from putright.web.templatetags.casetags import file_size

RESPONSE_METHODS = [
    (ResponseMethod.LETTER.value, "Letter"),
    (ResponseMethod.EMAIL.value, "Email"),
    (ResponseMethod.PHONE.value, "Phone"),
    (ResponseMethod.IN_PERSON.value, "In person"),
]
WRITTEN = {ResponseMethod.LETTER.value, ResponseMethod.EMAIL.value}


class RecordContactForm(StepForm):
    direction = forms.ChoiceField(
        label="Who made contact?",
        choices=Direction.choices,
        initial=Direction.OUTBOUND,
        widget=Radios,
        error_messages={"required": "Choose who made contact"},
    )
    method = forms.ChoiceField(
        label="How?",
        choices=ContactMethod.choices,
        widget=Radios,
        error_messages={"required": "Choose how the contact was made"},
    )
    summary = forms.CharField(
        label="What was discussed",
        widget=text_area(5),
        error_messages={"required": "Enter what was discussed"},
    )
    # issue 13, ack: one checkbox, in the Design System's checkboxes (a fieldset with its legend)
    acknowledges = forms.MultipleChoiceField(
        label="Acknowledgement",
        help_text="The Code's clocks run from the acknowledgement of each stage.",
        choices=[("yes", "This contact acknowledges the complaint")],
        required=False,
        widget=Checkboxes,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.complaint is not None and self.complaint.stage == 0:
            del self.fields["acknowledges"]  # not accepted yet: no stage to acknowledge

    def acknowledging(self) -> bool:
        return "yes" in self.cleaned_data.get("acknowledges", [])


class RequestEvidenceForm(StepForm):
    description = forms.CharField(
        label="What does the customer need to send?",
        help_text="Say it as the customer will read it, for example: photos of the damp in the bedroom.",
        widget=text_area(4),
        error_messages={"required": "Enter what the customer needs to send"},
    )
    respond_by = forms.DateField(
        label="Reply by",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Enter the reply date as a real date"},
    )


class AddEvidenceForm(StepForm):
    file = forms.FileField(
        label="File",
        error_messages={"required": "Choose a file to add", "empty": "The file you chose is empty"},
    )
    description = forms.CharField(
        label="What the file shows",
        required=False,
        max_length=300,
        error_messages={"max_length": "Describe the file in 300 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.PUTRIGHT_MAX_UPLOAD_BYTES
        self.fields["file"].help_text = f"A {evidence.allowed_types()} file, up to {file_size(limit)}."
        self.fields["file"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.txt"

    def content(self) -> bytes:
        """The upload's bytes, read no further than one byte past the limit (the service refuses it)."""
        upload = self.cleaned_data["file"]
        return evidence.read_limited(upload, settings.PUTRIGHT_MAX_UPLOAD_BYTES)


class ExtendForm(StepForm):
    new_due_on = forms.DateField(
        label="New response date",
        help_text="A working day. The response is then due by the end of that day.",
        widget=DateInput,
        error_messages={"required": "Enter the new response date", "invalid": "Enter a real date"},
    )
    reason = forms.CharField(
        label="Why more time is needed",
        help_text="The customer is told this with the new date.",
        widget=text_area(4),
        error_messages={"required": "Enter why more time is needed"},
    )
    good_reason = forms.CharField(
        label="Good reason for a longer or further extension",
        widget=text_area(3),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_due, self.limit, self.limit_period = self._limits()
        if self.limit is not None:
            self.fields["good_reason"].help_text = (
                f"Needed for a date after {long_date(self.limit, weekday=True)}, "
                "or for a second extension. It is kept on the record."
            )

    def _limits(self) -> tuple[dt.date | None, dt.date | None, str]:
        """The response date now, and the latest the policy allows without a good reason."""
        complaint = self.complaint
        if complaint is None or complaint.stage not in (1, 2):
            return None, None, ""
        rules = rules_for(complaint)
        response = next(
            (d for d in complaint.deadlines.all() if d.name == response_name(complaint.stage)), None
        )
        if response is None:
            return None, None, ""
        stage = rules.policy.stage(complaint.stage)
        calendar = rules.calendar
        limit = extension_limit(calendar, stage, response.original_due_at)
        current = calendar.local(response.due_at).date()
        return current, calendar.local(limit).date(), stage.extension.describe()


class RespondForm(StepForm):
    method = forms.ChoiceField(
        label="How was the response given?",
        choices=RESPONSE_METHODS,
        widget=Radios,
        error_messages={"required": "Choose how the response was given"},
    )
    summary = forms.CharField(
        label="Summary of the response",
        help_text="What was found, what we will do to put it right, and how to escalate.",
        widget=text_area(6),
        error_messages={"required": "Enter a summary of the response"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.complaint is None:
            return
        stage = rules_for(self.complaint).policy.stage(
            self.complaint.stage if self.complaint.stage == 2 else 1
        )
        add_outcome_fields(self, self.complaint, reasons_required=stage.reasons_for_each_point)
        if stage.written_response:
            field = self.fields["method"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(v, label) for v, label in RESPONSE_METHODS if v in WRITTEN]
            field.help_text = f"The stage {self.complaint.stage} response must be in writing."
        self.order_fields(
            ["method", "summary", *(f for f in self.fields if f.startswith(("outcome_", "reasons_")))]
        )

    def refuse(self, error: InvalidInput) -> None:
        if not refuse_on_point(self, error):
            super().refuse(error)


class AddActionForm(StepForm):
    description = forms.CharField(
        label="What will be done",
        widget=text_area(3),
        error_messages={"required": "Enter what will be done"},
    )
    due_on = forms.DateField(
        label="Due by",
        widget=DateInput,
        error_messages={"required": "Enter when it is due", "invalid": "Enter the due date as a real date"},
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Who will do it",
        queryset=None,
        required=False,
        empty_label="Not assigned yet",
        error_messages={"invalid_choice": "Choose a colleague from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        if self.user is not None and self.complaint is not None:
            field.queryset = assignable_staff(self.user, self.complaint)
        if not self.is_bound and self.user is not None:
            self.initial.setdefault("owner", self.user.pk)


class CompleteActionForm(StepForm):
    note = forms.CharField(
        label="What was done",
        help_text="For example: the roof was repaired on 12 March and checked by the surveyor.",
        widget=text_area(3),
        error_messages={"required": "Enter what was done"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = self._action()

    def _action(self) -> Action:
        """The action named in the address; one not on this complaint is not found."""
        if self.complaint is not None:
            for action in self.complaint.actions.all():
                if action.pk == self.item:
                    return action
        raise Http404("No such action on this complaint.")


class CloseForm(StepForm):
    """Closing asks nothing more: the page shows what is still open, the service refuses while it is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = self.complaint.actions.all() if self.complaint is not None else []
        self.open_actions = [a for a in actions if not a.is_done]
