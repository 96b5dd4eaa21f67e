"""Forms for the steps on the case itself: withdrawal, reassignment, new matters, concerns, restrictions.

Also the pieces the review and appeal forms share with them: a choice of
colleague (offered from ``assignable_staff``: only people the service would
accept) and a single "yes" checkbox in the Design System's markup.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.http import Http404

from putright.accounts.models import Team, User
from putright.accounts.permissions import Capability
from putright.cases.models import Complaint, Concern, Deadline, ReasonableAdjustment, Stage
from putright.cases.policies import rules_for
from putright.cases.selectors.assignees import assignable_staff, teams_for_case
from putright.cases.selectors.handlers import not_offered, stage1_people
from putright.cases.services.restrictions import STILL_OPEN
from putright.procedure.deadlines import deadline_label
from putright.procedure.guards import Rules
from putright.procedure.states import ConcernKind, NewMatterRoute
from putright.web.forms.base import Checkboxes, DateInput, Radios, StepForm, text_area
from putright.web.templatetags.casetags import london_date

# Shared pieces


def deadline(complaint: Complaint, name: str) -> Deadline | None:
    """A deadline of the case by its stable name, from the case page's prefetch (no query)."""
    return next((d for d in complaint.deadlines.all() if d.name == name), None)


def stage(complaint: Complaint, number: int) -> Stage | None:
    return next((s for s in complaint.stages.all() if s.number == number), None)


class ColleagueField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A colleague chosen from a list, named with their role so the right person is easy to find."""

    def label_from_instance(self, obj: Any) -> str:
        role = obj.get_role_display()
        return f"{obj} – {obj.job_title or role}" if obj.job_title else f"{obj} ({role})"


def colleague_field(label: str, *, empty: str, required: str = "", help_text: str = "") -> ColleagueField:
    """A choice of colleague; ``required`` is the message when none is chosen (blank: optional).
    The form sets the queryset, for the case and the user."""
    return ColleagueField(
        queryset=User.objects.none(),
        label=label,
        empty_label=empty,
        required=bool(required),
        help_text=help_text,
        error_messages={"required": required, "invalid_choice": "Choose someone from the list"},
    )


def yes_box(legend: str, text: str, *, required_message: str = "") -> forms.MultipleChoiceField:
    """One checkbox in a fieldset (the Design System's single checkbox); cleaned as a list, [] or ["yes"]."""
    return forms.MultipleChoiceField(
        label=legend,
        choices=[("yes", text)],
        widget=Checkboxes,
        required=bool(required_message),
        error_messages={"required": required_message} if required_message else {},
    )


class CaseStepForm(StepForm):
    """A step form that knows the case's rules (its policy and calendar)."""

    complaint: Complaint

    @property
    def staff(self) -> User:
        assert self.user is not None, "a step form is made for a signed-in member of staff"
        return self.user

    @cached_property
    def rules(self) -> Rules:
        return rules_for(self.complaint)

    def text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "").strip()


def who_asked(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=150,
        help_text="When you take it by phone or in person: for example “The customer, by phone” or "
        "“Jane Smith MP (designated person)”. Shown on the timeline beside your name.",
    )


# Withdrawal


class WithdrawForm(CaseStepForm):
    reason = forms.CharField(
        label="Why is the customer withdrawing their complaint?",
        required=False,
        widget=text_area(3),
        help_text="In their words, if they gave a reason.",
    )
    on_behalf_of = who_asked("Who asked to withdraw it?")
    #: Withdrawal ends the case: it is never taken by a stray click.
    confirmed = yes_box(
        "The customer's request",
        "The customer has asked to withdraw their complaint",
        required_message="Confirm that the customer asked to withdraw their complaint",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = "When did the customer ask to withdraw it?"

    @property
    def open_deadlines(self) -> list[tuple[str, str]]:
        return [
            (deadline_label(d.name), london_date(d.due_at))
            for d in self.complaint.deadlines.all()
            if d.met_at is None and d.cancelled_at is None
        ]


# Reassignment

#: Who may own a case at each stage (as the service checks): triage, stage 1, stage 2, the appeal.
OWNER_CAPABILITY = {
    0: Capability.TRIAGE,
    1: Capability.RESPOND_STAGE1,
    2: Capability.RESPOND_STAGE2,
    3: Capability.RESPOND_STAGE2,
}
_OWNER_ROLE = {
    0: "someone who can triage",
    1: "a Resolution Officer or a Senior Manager",
    2: "a Senior Manager",
    3: "a Senior Manager",
}


class ReassignForm(CaseStepForm):
    ask_when = False

    owner = colleague_field(
        "New owner", empty="Choose who takes the case", required="Choose who takes the case"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Team",
        required=False,
        empty_label="The new owner's own team",
    )
    reason = forms.CharField(label="Why is the case being reassigned?", required=False, widget=text_area(3))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_number = self.complaint.stage
        owner = self.fields["owner"]
        assert isinstance(owner, ColleagueField)
        owner.queryset = assignable_staff(
            self.staff, self.complaint, OWNER_CAPABILITY[stage_number], excluding=self.complaint.owner_id
        )
        owner.help_text = f"At this stage the case needs {_OWNER_ROLE[stage_number]}."
        if stage_number == 2:
            handled = stage1_people(self.complaint)
            owner.queryset = owner.queryset.exclude(pk__in=[person.pk for person, _ in handled])
            if handled:
                owner.help_text += " " + not_offered(handled)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = teams_for_case(self.staff, self.complaint)


# New matters

ROUTE_CHOICES = [
    (NewMatterRoute.NEW_COMPLAINT.value, "A new complaint, linked to this one (it starts from triage)"),
    (NewMatterRoute.SIGNPOST.value, "Signpost the customer to the right team"),
]


class NewMatterForm(CaseStepForm):
    route = forms.ChoiceField(
        label="How should the new matter be dealt with?",
        choices=ROUTE_CHOICES,
        widget=Radios,
        error_messages={"required": "Choose a new complaint or a signpost"},
    )
    description = forms.CharField(
        label="What is the new matter?",
        widget=text_area(4),
        error_messages={"required": "Say what the new matter is"},
    )
    signpost_to = forms.CharField(
        label="Which team is the customer signposted to?",
        required=False,
        max_length=200,
        help_text="Only for a signpost: for example Repairs, or the Anti-social behaviour team.",
    )
    category = forms.ChoiceField(label="Reason to complain", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = self.rules.policy.eligibility.reasons_to_complain
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "The same as this complaint"), *((r.key, r.text) for r in reasons)]
        category.help_text = "Only for a new complaint."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("route") == NewMatterRoute.SIGNPOST and not self.text("signpost_to"):
            self.add_error("signpost_to", "Name the team the customer is signposted to")
        return cleaned


# Concerns

KIND_CHOICES = [
    (ConcernKind.SAFEGUARDING.value, "Safeguarding"),
    (ConcernKind.HEALTH_AND_SAFETY.value, "Health and safety"),
]
KIND_WORDS = dict(KIND_CHOICES)


class FlagConcernForm(CaseStepForm):
    kind = forms.ChoiceField(
        label="What kind of concern is it?",
        choices=KIND_CHOICES,
        widget=Radios,
        error_messages={"required": "Choose safeguarding or health and safety"},
    )
    description = forms.CharField(
        label="Describe the concern",
        widget=text_area(5),
        help_text="What was said or seen, by whom and when.",
        error_messages={"required": "Describe the concern"},
    )
    refer_to = colleague_field(
        "Refer it to",
        empty="The organisation's lead for this kind of concern",
        help_text="Every concern goes at once to the organisation's safeguarding (or health and "
        "safety) lead. Choose someone else only if they should have it instead.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refer_to = self.fields["refer_to"]
        assert isinstance(refer_to, ColleagueField)
        refer_to.queryset = assignable_staff(self.staff, self.complaint, Capability.MANAGE_CONCERNS)


class ConcernForm(CaseStepForm):
    """A step on one of the case's concerns: the concern is found on the case, or the page is 404."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = next((c for c in self.complaint.concerns.all() if c.pk == self.item), None)
        if found is None:
            raise Http404("No such concern on this complaint.")
        self.concern: Concern = found

    @property
    def concern_kind(self) -> str:
        return KIND_WORDS.get(self.concern.kind, self.concern.kind)


class ReferConcernForm(ConcernForm):
    to = colleague_field("Refer it to", empty="Choose someone", required="Choose who the concern goes to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, ColleagueField)
        to.queryset = assignable_staff(
            self.staff, self.complaint, Capability.MANAGE_CONCERNS, excluding=self.concern.referred_to_id
        )
        self.fields["occurred_at"].label = "When was it referred?"


class CloseConcernForm(ConcernForm):
    outcome = forms.CharField(
        label="What was done about the concern?",
        widget=text_area(4),
        error_messages={"required": "Record what was done about the concern"},
    )


# Restrictions


class RestrictionForm(CaseStepForm):
    ask_when = False

    reason = forms.CharField(
        label="Why is a restriction needed?",
        widget=text_area(4),
        help_text="The behaviour, with dates: the customer is told the reason.",
        error_messages={"required": "Record why the restriction is needed"},
    )
    restrictions = forms.CharField(
        label="What is restricted?",
        widget=text_area(3),
        help_text="For example: contact by email only, to one named officer.",
        error_messages={"required": "Say what is restricted"},
    )
    contact_meanwhile = forms.CharField(
        label="How can the customer contact us meanwhile?",
        required=False,
        widget=text_area(3),
        help_text="For example: write to Olivia Smith at our Norwich office. Leave blank and their letter "
        "names the case's handler and our email address.",
    )
    starts_on = forms.DateField(
        label="Starts on", required=False, widget=DateInput, help_text="Leave blank for today."
    )
    review_on = forms.DateField(
        label="Review date",
        widget=DateInput,
        help_text="When the restriction will be looked at again: it must be in the future.",
        error_messages={"required": "Give a date to review the restriction"},
    )

    # conduct: what the restriction never limits, and the customer's adjustments, beside the form
    still_open = STILL_OPEN

    @property
    def adjustments(self) -> list[ReasonableAdjustment]:
        return list(self.complaint.customer.adjustments.all())
