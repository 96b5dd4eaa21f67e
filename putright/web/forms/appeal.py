"""Forms for the stage 2 review and the appeal, worded from the case's own policy.

The grounds and criteria the customer chooses from, the panel's roles and the
timescales are read from the policy the case was opened under, so a landlord
with another procedure gets its own words and numbers without a code change.
Each form also offers what its page shows above it (``summary`` rows, the
dates that will follow), so the page template stays simple.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import AppealHearing, Response, ResponseKind
from putright.cases.selectors.assignees import assignable_staff, panel_members
from putright.cases.selectors.handlers import not_offered, stage1_people
from putright.procedure.deadlines import APPEAL_DECISION, APPEAL_MEETING, ombudsman_direct, stage_clocks
from putright.procedure.policy import Appeal, PanelRole
from putright.procedure.states import ResponseMethod
from putright.web.forms.base import Checkboxes, DateTimeInput, Radios, text_area
from putright.web.forms.case import (
    CaseStepForm,
    ColleagueField,
    colleague_field,
    deadline,
    stage,
    who_asked,
    yes_box,
)
from putright.web.forms.outcomes import add_outcome_fields, refuse_on_point
from putright.web.templatetags.casetags import london_date, london_datetime

#: Rows of a summary list: (what, the value).
Rows = list[tuple[str, str]]


def _lettered(choices: Any) -> list[tuple[str, str]]:
    return [(c.key, f"({c.key}) {c.text}") for c in choices]


def _role_words(role: PanelRole) -> str:
    return role.value.replace("_", " ")


def _a(words: str) -> str:
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class AppealStepForm(CaseStepForm):
    """A step of the appeal, under the policy's appeal rules (only a policy with one has these steps)."""

    @property
    def appeal(self) -> Appeal:
        appeal = self.rules.policy.appeal
        assert appeal is not None, "the state machine refuses appeal steps under a policy without an appeal"
        return appeal

    @property
    def criteria_named(self) -> list[str]:
        """The criteria the customer said the appeal meets, with the policy's words."""
        request = stage(self.complaint, 3)
        texts = dict(_lettered(self.appeal.criteria))
        return [texts.get(key, f"({key})") for key in (request.grounds if request else [])]

    @property
    def appeal_request(self) -> str:
        request = stage(self.complaint, 3)
        return request.request_text if request else ""

    @property
    def requested_on(self) -> str:
        request = stage(self.complaint, 3)
        return london_date(request.opened_at) if request else ""

    @property
    def rule_rows(self) -> Rows:
        """The policy's appeal rules in plain words."""
        appeal = self.appeal
        companion = "No: the policy does not allow a companion"
        if appeal.companion_allowed:
            companion = "Yes, such as a friend, relative or advocate"
            if not appeal.legal_representative_allowed:
                companion += ", but not a legal representative"
        return [
            ("Meeting", f"Arranged with the customer, within {appeal.meeting.describe()}"),
            ("Panel", _and([_a(_role_words(role)) for role in appeal.panel]).capitalize()),
            ("Companion", companion),
            ("Decision", f"Within {appeal.decision.describe()}; it is the final response"),
        ]


# The stage 2 review


class EscalateForm(CaseStepForm):
    grounds = forms.MultipleChoiceField(label="The customer's grounds for a review", widget=Checkboxes)
    explanation = forms.CharField(
        label="What does the customer say?",
        required=False,
        widget=text_area(4),
        help_text="In their words: why they are unhappy with the stage 1 response.",
    )
    owner = colleague_field(
        "Senior Manager who will review it",
        empty="Choose a Senior Manager",
        required="Choose the Senior Manager who will review the complaint",
    )
    on_behalf_of = who_asked("Who asked for the review?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage2 = self.rules.policy.stage2
        grounds = self.fields["grounds"]
        assert isinstance(grounds, forms.MultipleChoiceField)
        grounds.choices = _lettered(stage2.grounds)
        grounds.required = stage2.reasons_required
        if stage2.reasons_required:
            grounds.help_text = "The policy asks the customer for at least one ground. Tick all that apply."
            grounds.error_messages["required"] = "Choose at least one ground for the review"
        else:
            grounds.help_text = (
                "The policy does not require the customer to give reasons: tick any they gave, or none."
            )
        owner = self.fields["owner"]
        assert isinstance(owner, ColleagueField)
        # Nobody who handled stage 1 is offered (the Code, 6.13): the hint says who and why.
        handled = stage1_people(self.complaint)
        owner.queryset = assignable_staff(self.staff, self.complaint, Capability.RESPOND_STAGE2).exclude(
            pk__in=[person.pk for person, _ in handled]
        )
        if handled:
            owner.help_text = not_offered(handled)
        self.fields["occurred_at"].label = "When did the customer ask for the review?"
        self.fields["occurred_at"].help_text = "Leave blank for now. The review's deadlines count from then."

    @property
    def stage1(self) -> Rows:
        first = stage(self.complaint, 1)
        rows = []
        if first is not None:
            rows.append(("Handled by", str(first.handler or "Nobody")))
            rows.append(("Response sent", london_date(first.responded_at) or "Not yet"))
        if self.complaint.closed_at:
            rows.append(("Closed", london_date(self.complaint.closed_at)))
        return rows

    @property
    def review_dates(self) -> Rows:
        """The review's deadlines if the customer asked now (they count from the request)."""
        stage2 = self.rules.policy.stage2
        contact, response = stage_clocks(self.rules.calendar, stage2, timezone.now())
        return [
            ("First contact", f"By {london_date(contact)} ({stage2.contact.describe()})"),
            ("Response", f"By {london_date(response)} ({stage2.response.describe()})"),
        ]


# The appeal


class RequestAppealForm(AppealStepForm):
    criteria = forms.MultipleChoiceField(
        label="Which criteria does the appeal meet?",
        widget=Checkboxes,
        help_text="The customer must say at least one. Tick all they gave.",
        error_messages={"required": "Choose at least one of the criteria the appeal meets"},
    )
    explanation = forms.CharField(
        label="How does the complaint meet them?",
        widget=text_area(5),
        help_text="In the customer's words.",
        error_messages={"required": "Explain how the complaint meets the criteria"},
    )
    on_behalf_of = who_asked("Who asked for the appeal?")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = self.fields["criteria"]
        assert isinstance(criteria, forms.MultipleChoiceField)
        criteria.choices = _lettered(self.appeal.criteria)
        self.fields["occurred_at"].label = "When did the customer ask for the appeal?"
        self.fields["occurred_at"].help_text = "Leave blank for now. The meeting's deadline counts from then."

    @property
    def meeting_by(self) -> str:
        return london_date(self.rules.calendar.due(timezone.now(), self.appeal.meeting))


class RefuseAppealForm(AppealStepForm):
    reason = forms.CharField(
        label="Why is the appeal refused?",
        widget=text_area(5),
        help_text="The customer is told this reason.",
        error_messages={"required": "Give the reason for refusing the appeal: the customer is told it"},
    )
    criteria_met = forms.MultipleChoiceField(
        label="Which criteria, if any, does the appeal meet?",
        widget=Checkboxes,
        required=False,
        help_text="An appeal that meets any criterion must be heard: it cannot be refused.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = self.fields["criteria_met"]
        assert isinstance(criteria, forms.MultipleChoiceField)
        criteria.choices = _lettered(self.appeal.criteria)

    @property
    def open_actions(self) -> int:
        return sum(1 for action in self.complaint.actions.all() if action.completed_at is None)


class ScheduleAppealForm(AppealStepForm):
    meeting_at = forms.DateTimeField(
        label="Date and time of the meeting",
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": "Give the date and time of the meeting"},
    )
    location = forms.CharField(
        label="Where will it be held?",
        max_length=300,
        help_text="An address, or how to join if it is online.",
        error_messages={"required": "Say where the meeting will be held (or how, if online)"},
    )
    agreed = yes_box(
        "Agreed with the customer",
        "The customer has agreed this date and time",
        required_message=(
            "The meeting is arranged by mutual agreement: confirm the date and time with the customer"
        ),
    )
    companion_name = forms.CharField(label="Companion's name", required=False, max_length=200)
    companion_relationship = forms.CharField(
        label="Companion's relationship to the customer",
        required=False,
        max_length=200,
        help_text="For example: daughter, friend, support worker.",
    )
    companion_is_legal_representative = yes_box(
        "Is the companion a legal representative?",
        "The companion is a legal representative (for example a solicitor or barrister)",
    )
    late_reason = forms.CharField(
        label="Why is the meeting later than that?", required=False, widget=text_area(3)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_panel_fields()
        due = self.meeting_due
        if due:
            self.fields[
                "meeting_at"
            ].help_text = f"It should be held by {due} ({self.appeal.meeting.describe()})."
            self.fields["late_reason"].label = f"Why is the meeting later than {due}?"
        self.fields["late_reason"].help_text = "Only when it is: for example, the customer's availability."
        self.fields["occurred_at"].label = "When was the meeting agreed?"
        self.order_fields(
            [
                "meeting_at",
                "location",
                *self.panel_fields,
                "agreed",
                "companion_name",
                "companion_relationship",
            ]
        )
        if self.hearing is not None and not self.is_bound:
            self.initial.update(self._as_arranged(self.hearing))

    def _add_panel_fields(self) -> None:
        """For each seat: a panel member (staff with the panel role), or the name of someone
        without a login (a resident or board member who does not use putright)."""
        self.members = {m.pk: m for m in panel_members(self.staff, self.complaint)}
        for role in self.appeal.panel:
            words = _role_words(role)
            self.fields[f"panel_{role.value}_member"] = forms.TypedChoiceField(
                label=f"Panel: {words}",
                coerce=int,
                required=False,
                empty_value=None,
                choices=[
                    ("", "Someone without a login (name them below)"),
                    *(
                        (pk, f"{m} – {m.job_title}" if m.job_title else str(m))
                        for pk, m in self.members.items()
                    ),
                ],
                help_text="A member of staff with the panel role.",
            )
            self.fields[f"panel_{role.value}"] = forms.CharField(
                label=f"Or the {words}'s name, if they have no login",
                max_length=150,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    @property
    def panel_fields(self) -> list[str]:
        return [f"panel_{role.value}{part}" for role in self.appeal.panel for part in ("_member", "")]

    @property
    def hearing(self) -> AppealHearing | None:
        appeal = stage(self.complaint, 3)
        try:
            return appeal.hearing if appeal else None
        except AppealHearing.DoesNotExist:
            return None

    def _as_arranged(self, hearing: AppealHearing) -> dict[str, Any]:
        """A meeting being rearranged starts from what was agreed."""
        return {
            "meeting_at": timezone.localtime(hearing.meeting_at).strftime("%Y-%m-%dT%H:%M"),
            "location": hearing.location,
            "companion_name": hearing.companion_name,
            "companion_relationship": hearing.companion_relationship,
            **{f"panel_{role}": name for role, name in hearing.panel.items()},
        }

    @property
    def meeting_due(self) -> str:
        due = deadline(self.complaint, APPEAL_MEETING)
        return london_date(due.due_at) if due else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        appeal = self.appeal
        if cleaned.get("companion_is_legal_representative") and not appeal.legal_representative_allowed:
            self.add_error(
                "companion_is_legal_representative",
                "A legal representative cannot attend the appeal meeting: the customer may bring "
                "a companion who is not a legal representative",
            )
        if self.text("companion_name") and not appeal.companion_allowed:
            self.add_error("companion_name", "This policy does not allow a companion at the meeting")
        self._check_late(cleaned.get("meeting_at"))
        self._check_panel(cleaned)
        return cleaned

    def _check_panel(self, cleaned: dict[str, Any]) -> None:
        for role in self.appeal.panel:
            member, name = cleaned.get(f"panel_{role.value}_member"), self.text(f"panel_{role.value}")
            words = _role_words(role)
            if member is None and not name:
                self.add_error(f"panel_{role.value}", f"Name the panel's {words}")
            elif member is not None and name:
                self.add_error(
                    f"panel_{role.value}", f"Choose a panel member or type a name for the {words}, not both"
                )

    def _check_late(self, meeting_at: dt.datetime | None) -> None:
        due = deadline(self.complaint, APPEAL_MEETING)
        if meeting_at and due and meeting_at > due.due_at and not self.text("late_reason"):
            self.add_error(
                "late_reason",
                f"The meeting should be held by {london_date(due.due_at)}: record why it is later, "
                "for example the customer's availability",
            )

    @property
    def panel(self) -> dict[str, str]:
        """The seats named as people without a login."""
        return {role.value: self.text(f"panel_{role.value}") for role in self.appeal.panel}

    @property
    def panel_staff(self) -> dict[str, User]:
        """The seats given to members of staff with the panel role."""
        chosen = {
            role.value: self.cleaned_data.get(f"panel_{role.value}_member") for role in self.appeal.panel
        }
        return {role: self.members[pk] for role, pk in chosen.items() if pk is not None}


class DecideAppealForm(AppealStepForm):
    summary = forms.CharField(
        label="The panel's decision, in summary",
        widget=text_area(5),
        help_text="What the panel decided and why: the final response tells the customer.",
        error_messages={"required": "Summarise the panel's decision"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The panel's decision is the final response on the review: stage 2's rule on reasons.
        stage2 = self.rules.policy.stage2
        add_outcome_fields(self, self.complaint, reasons_required=stage2.reasons_for_each_point)
        outcomes = [name for name in self.fields if name.startswith(("outcome_", "reasons_"))]
        self.order_fields([*outcomes, "summary"])
        self.fields["occurred_at"].label = "When did the panel decide?"
        self.fields[
            "occurred_at"
        ].help_text = "Leave blank for now. The panel decides at or after the meeting."

    def refuse(self, error: InvalidInput) -> None:
        if not refuse_on_point(self, error):
            super().refuse(error)

    @property
    def meeting(self) -> Rows:
        appeal = stage(self.complaint, 3)
        hearing = getattr(appeal, "hearing", None) if appeal else None
        if hearing is None:
            return []
        # In the policy's order: PostgreSQL's jsonb keeps no order of its own.
        order = [role.value for role in self.appeal.panel]
        seated = sorted(
            hearing.panel.items(),
            key=lambda item: (item[0] not in order, order.index(item[0]) if item[0] in order else 0),
        )
        panel = [f"{name} ({role.replace('_', ' ')})" for role, name in seated]
        rows = [
            ("Meeting", london_datetime(hearing.meeting_at)),
            ("Where", hearing.location),
            ("Panel", ", ".join(panel)),
        ]
        if hearing.companion_name:
            relationship = f" ({hearing.companion_relationship})" if hearing.companion_relationship else ""
            rows.append(("Companion", f"{hearing.companion_name}{relationship}"))
        due = deadline(self.complaint, APPEAL_DECISION)
        if due:
            rows.append(("Decision due", f"By {london_date(due.due_at)} ({self.appeal.decision.describe()})"))
        return rows


WRITTEN_CHOICES = [(ResponseMethod.LETTER.value, "Letter"), (ResponseMethod.EMAIL.value, "Email")]


class FinalResponseForm(AppealStepForm):
    method = forms.ChoiceField(
        label="How was the final response sent?",
        choices=WRITTEN_CHOICES,
        widget=Radios,
        help_text="The final response is in writing: it tells the customer how to reach the Ombudsman.",
        error_messages={"required": "Choose letter or email"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].label = "When was it sent?"

    @property
    def decision(self) -> str:
        """The panel's summary, from the outcomes already on the page (no extra query)."""
        for point in self.complaint.points.all():
            for outcome in point.outcomes.all():
                response: Response = outcome.response
                if response.kind == ResponseKind.APPEAL_DECISION:
                    return response.summary
        return ""

    @property
    def ombudsman(self) -> Rows:
        policy = self.rules.policy
        office = policy.ombudsman
        now = timezone.now()
        rows = []
        if self.complaint.ombudsman_direct_from:
            rows.append(("Until now", f"Directly from {london_date(self.complaint.ombudsman_direct_from)}"))
        after = ombudsman_direct(self.rules.calendar, policy, now)
        wait = (
            f"{policy.ombudsman.wait.describe()} after the final response"
            if policy.ombudsman.wait.amount
            else "at once"
        )
        rows.append(("If sent today", f"Directly from {london_date(after)} ({wait})"))
        if office.designated_person_route:
            rows.append(
                (
                    "Sooner",
                    "Through a designated person (an MP, a councillor or a tenant panel), with consent",
                )
            )
        rows.append(("The Ombudsman", f"{office.name}, {office.phone}, {office.website}"))
        return rows
