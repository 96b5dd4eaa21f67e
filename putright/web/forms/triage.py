"""Triage: the three outcomes' forms, and the brief shown above each of them.

The brief turns the case's policy into the questions a caseworker answers:
is it a complaint (the policy's definition), does an exclusion apply (the
leaflet's list, each as a question), is it in time (the policy's limit worked
out from the case's own dates), and what the customer will be told for each
outcome, with the dates the procedure promises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget

from putright.accounts.models import Team, User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.policies import rules_for
from putright.cases.selectors.assignees import assignable_staff, teams_for_case
from putright.cases.selectors.facts import facts_of
from putright.procedure import machine
from putright.procedure.calendar import add_months
from putright.procedure.deadlines import stage_clocks
from putright.procedure.policy import ExclusionReason, Policy
from putright.procedure.states import Step
from putright.procedure.wording import by_means, long_date, long_datetime
from putright.web.forms.base import Radios, StepForm, text_area

#: Each exclusion of the leaflet, asked as a question; the policy's own words follow it.
QUESTIONS = {
    ExclusionReason.OUT_OF_TIME: "Did the customer wait more than {months} months before complaining?",
    ExclusionReason.FIRST_REQUEST_FOR_SERVICE: "Is the customer asking for a service for the first time?",
    ExclusionReason.NEIGHBOUR_OR_ASB: "Is it about a neighbour or another resident?",
    ExclusionReason.UNACCEPTABLE_BEHAVIOUR: (
        "Has the customer used threatening or abusive language or actions?"
    ),
    ExclusionReason.NOT_ABOUT_US: (
        "Is it about something other than our service, our staff or those acting for us?"
    ),
    ExclusionReason.DUPLICATE: "Is the same complaint already being dealt with?",
    ExclusionReason.LEGAL_PROCEEDINGS: (
        "Have legal proceedings about the matter been issued (a claim filed at court), not only threatened?"
    ),
}


@dataclass(frozen=True)
class Question:
    reason: str
    question: str
    policy_words: str
    signpost: str = ""


@dataclass(frozen=True)
class TimeLimit:
    words: str
    #: True within the limit, False outside it, None when the dates to tell are missing.
    within: bool | None


@dataclass(frozen=True)
class TriageBrief:
    received: str
    matter: str
    aware: str
    category: str
    definition: str
    time_limit: TimeLimit
    questions: list[Question]
    if_accepted: str
    if_resolved: str  # blank when the policy allows no informal resolution
    if_not_accepted: str


def time_limit(
    *, months: int, matter_date: dt.date | None, became_aware_on: dt.date | None, received_on: dt.date
) -> TimeLimit:
    """The policy's limit worked out from the case's dates, counted from the later of the
    matter and the customer becoming aware of it."""
    if matter_date is None and became_aware_on is None:
        return TimeLimit(
            f"When the matter happened is not recorded: ask the customer, to check the {months}-month limit.",
            None,
        )
    start = max(d for d in (matter_date, became_aware_on) if d is not None)
    limit = add_months(start, months)
    facts = [f"The matter happened on {long_date(matter_date, weekday=True)}"] if matter_date else []
    if became_aware_on is not None and became_aware_on != matter_date:
        facts.append(f"the customer became aware of it on {long_date(became_aware_on, weekday=True)}")
    facts.append(f"the complaint arrived on {long_date(received_on, weekday=True)}")
    said = "; ".join(facts)
    said = said[:1].upper() + said[1:]
    counted = " from when they became aware" if start == became_aware_on and start != matter_date else ""
    if received_on <= limit:
        return TimeLimit(
            f"{said}: within the {months}-month limit{counted} (until {long_date(limit, weekday=True)}).",
            True,
        )
    return TimeLimit(
        f"{said}: outside the {months}-month limit{counted} (it ended on {long_date(limit, weekday=True)}) "
        "unless there is a good reason for the delay.",
        False,
    )


def brief_for(complaint: Complaint) -> TriageBrief:
    """What the triage pages show about the case, under the policy it was opened under."""
    rules = rules_for(complaint)
    policy, calendar = rules.policy, rules.calendar
    received = calendar.local(complaint.received_at)
    eligibility = policy.eligibility
    months = eligibility.time_limit_months
    categories = {c.key: c.text for c in eligibility.reasons_to_complain}
    return TriageBrief(
        received=f"{long_datetime(received, weekday=True)}, {by_means(complaint.get_channel_display())}",
        matter=long_date(complaint.matter_date, weekday=True) if complaint.matter_date else "Not recorded",
        aware=long_date(complaint.became_aware_on, weekday=True)
        if complaint.became_aware_on
        else "Not recorded",
        category=categories.get(complaint.category, complaint.category),
        definition=eligibility.definition,
        time_limit=time_limit(
            months=months,
            matter_date=complaint.matter_date,
            became_aware_on=complaint.became_aware_on,
            received_on=received.date(),
        ),
        questions=[
            Question(
                e.reason.value,
                QUESTIONS.get(e.reason, e.text).format(months=months),
                e.text,
                e.signpost,
            )
            for e in eligibility.exclusions
        ],
        if_accepted=_if_accepted(policy, complaint, rules.calendar),
        if_resolved=(
            "What was done to put it right, and that if they are still unhappy they can make a formal "
            "complaint: a new complaint with its own reference, linked to this one."
            if machine.why_not(Step.RESOLVE_INFORMALLY, facts_of(complaint), rules) is None
            else ""  # the state machine does not offer it (no informal stage, or too late for it)
        ),
        if_not_accepted=(
            "Why their complaint will not be considered, in the policy's words and your own, and where "
            "to take it instead."
        ),
    )


def _if_accepted(policy: Policy, complaint: Complaint, calendar: Any) -> str:
    contact, response = stage_clocks(calendar, policy.stage1, complaint.received_at)
    return (
        f"Their complaint is accepted at stage 1: a {policy.stage1.handler.split(',')[0]} will contact them "
        f"by {long_datetime(calendar.local(contact), weekday=True)} and respond by "
        f"{long_date(calendar.local(response).date(), weekday=True)}."
    )


class TriageForm(StepForm):
    """A triage outcome: the brief above it, and the service's refusals worded as sentences."""

    complaint: Complaint

    @cached_property
    def brief(self) -> TriageBrief:
        return brief_for(self.complaint)

    def refuse(self, error: InvalidInput) -> None:
        field = error.field if error.field in self.fields else None
        detail = error.detail[:1].upper() + error.detail[1:]
        self.add_error(field, detail if field else error.message)


class AcceptForm(TriageForm):
    owner = forms.TypedChoiceField(
        label="Who will own it at stage 1?",
        help_text="A Resolution Officer who works for the complaint's organisation.",
        coerce=int,
        error_messages={
            "required": "Choose who will own the complaint at stage 1",
            "invalid_choice": "Choose someone from the list: a Resolution Officer of this organisation",
        },
    )
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Leave as it is for the owner's own team.",
    )
    reasoning = forms.CharField(
        label="Why is it a complaint?",
        help_text="Your triage reasoning: how it meets the definition of a complaint, kept on the case.",
        widget=text_area(4),
        error_messages={"required": "Enter why it is a complaint"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.user is not None and self.complaint is not None
        owners = assignable_staff(self.user, self.complaint, Capability.RESPOND_STAGE1)
        self.owners = {u.pk: u for u in owners}
        self.teams = {t.pk: t for t in teams_for_case(self.user, self.complaint)}
        owner, team = self.fields["owner"], self.fields["team"]
        assert isinstance(owner, forms.ChoiceField) and isinstance(team, forms.ChoiceField)
        owner.choices = [("", "Choose someone"), *((pk, _name(u)) for pk, u in self.owners.items())]
        owner.initial = self._default_owner()
        team.choices = [("", "The owner's team"), *((pk, str(t)) for pk, t in self.teams.items())]

    def _default_owner(self) -> int | None:
        """The user when they can take stage 1 themselves, or else the lead of their team."""
        assert self.user is not None
        if can(self.user, Capability.RESPOND_STAGE1) and self.user.pk in self.owners:
            return self.user.pk
        team = self.user.team
        lead = team.lead_id if team is not None else None
        return lead if lead in self.owners else None

    def clean_owner(self) -> User:
        return self.owners[self.cleaned_data["owner"]]

    def clean_team(self) -> Team | None:
        chosen = self.cleaned_data.get("team")
        return self.teams[chosen] if chosen is not None else None


def _name(user: User) -> str:
    team = f", {user.team.name}" if user.team else ""
    return f"{user} ({user.get_role_display()}{team})"


class ResolveInformallyForm(TriageForm):
    done = forms.CharField(
        label="What was done to put it right?",
        widget=text_area(4),
        error_messages={"required": "Enter what was done to put it right"},
    )
    told = forms.CharField(
        label="What was the customer told?",
        widget=text_area(4),
        error_messages={"required": "Enter what the customer was told"},
    )

    def resolution(self) -> str:
        done, told = self.cleaned_data["done"].strip(), self.cleaned_data["told"].strip()
        return f"{done}\n\nThe customer was told: {told}"


class NotAcceptForm(TriageForm):
    template_name = "web/steps/triage/not_accept_form.html"

    reason = forms.ChoiceField(
        label="Why will it not be considered?",
        widget=Radios,
        error_messages={"required": "Choose why the complaint will not be considered"},
    )
    duplicate_of = forms.CharField(
        label="Reference of the complaint it repeats",
        help_text="Only when the same complaint is already being dealt with. For example, PR-7K3M9Q.",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    signposted_to = forms.CharField(
        label="Where to send the customer instead",
        help_text="Leave blank for the policy's signpost for the reason, shown under it above.",
        required=False,
        max_length=200,
    )
    explanation = forms.CharField(
        label="What will the customer be told?",
        help_text="Why their complaint will not be considered, in plain words.",
        widget=text_area(5),
        error_messages={"required": "Enter what the customer will be told"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclusions = rules_for(self.complaint).policy.eligibility.exclusions
        reason = self.fields["reason"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [(e.reason.value, e.text) for e in self.exclusions]
        self.order_fields(["reason", "duplicate_of", "signposted_to", "explanation"])

    def reason_options(self) -> list[tuple[BoundWidget, str]]:
        """Each reason's radio with where the policy sends the customer for it, said as its hint."""
        signposts = {e.reason.value: e.signpost for e in self.exclusions}
        return [(option, signposts.get(option.data["value"], "")) for option in self["reason"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == ExclusionReason.DUPLICATE:
            if not cleaned.get("duplicate_of", "").strip() and "duplicate_of" not in self.errors:
                self.add_error("duplicate_of", "Enter the reference of the complaint this one repeats")
        else:
            cleaned["duplicate_of"] = ""
        return cleaned
