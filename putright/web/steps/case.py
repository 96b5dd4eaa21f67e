"""Step pages on the case itself: withdrawal, reassignment, new matters, concerns and restrictions.

Each page calls one service of ``cases.services.changes`` or ``concerns`` the
way the API does, and says what happened in a caseworker's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from putright.accounts.models import User
from putright.cases.models import Complaint, Concern, Restriction
from putright.cases.services import changes, concerns
from putright.procedure.states import Step
from putright.procedure.wording import long_date
from putright.web.forms.case import (
    KIND_WORDS,
    CloseConcernForm,
    FlagConcernForm,
    NewMatterForm,
    ReassignForm,
    ReferConcernForm,
    RestrictionForm,
    WithdrawForm,
)
from putright.web.steps.framework import StepPage


def withdraw(complaint: Complaint, user: User, form: WithdrawForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return changes.withdraw(
        complaint,
        reason=data["reason"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
        on_behalf_of=form.text("on_behalf_of"),
    )


def reassign(complaint: Complaint, user: User, form: ReassignForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return changes.reassign(
        complaint,
        owner=data["owner"],
        team=data["team"],
        reason=data["reason"],
        actor=user,
        expected_version=data["version"],
    )


def reassigned(complaint: Complaint) -> str:
    team = f" ({complaint.team.name})" if complaint.team else ""
    return f"Reassigned to {complaint.owner}{team}."


@dataclass(frozen=True)
class NewMatter:
    """What became of a new matter: a new complaint, or the team it was signposted to."""

    complaint: Complaint | None
    signposted_to: str


def raise_new_matter(complaint: Complaint, user: User, form: NewMatterForm, item: int | None) -> NewMatter:
    data = form.cleaned_data
    new = changes.raise_new_matter(
        complaint,
        route=data["route"],
        description=data["description"],
        signpost_to=data["signpost_to"],
        category=data["category"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )
    return NewMatter(new, form.text("signpost_to"))


def new_matter_raised(matter: NewMatter) -> str:
    if matter.complaint is None:
        return f"New matter signposted to {matter.signposted_to}."
    return (
        f"New complaint {matter.complaint.reference} raised and linked to this one: it is waiting for triage."
    )


def flag_concern(complaint: Complaint, user: User, form: FlagConcernForm, item: int | None) -> Concern:
    data = form.cleaned_data
    return concerns.flag_concern(
        complaint,
        kind=data["kind"],
        description=data["description"],
        refer_to=data["refer_to"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def concern_flagged(concern: Concern) -> str:
    kind = KIND_WORDS.get(concern.kind, concern.kind)
    if concern.referred_to is None:
        return (
            f"{kind} concern flagged. No lead is set up for it in this organisation: "
            "refer it to someone from the case page."
        )
    return f"{kind} concern flagged and referred to {concern.referred_to}."


def refer_concern(complaint: Complaint, user: User, form: ReferConcernForm, item: int | None) -> Concern:
    data = form.cleaned_data
    return concerns.refer_concern(
        form.concern,
        to=data["to"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def concern_referred(concern: Concern) -> str:
    return f"Concern referred to {concern.referred_to}."


def close_concern(complaint: Complaint, user: User, form: CloseConcernForm, item: int | None) -> Concern:
    data = form.cleaned_data
    return concerns.close_concern(
        form.concern,
        outcome=data["outcome"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def record_restriction(
    complaint: Complaint, user: User, form: RestrictionForm, item: int | None
) -> Restriction:
    data = form.cleaned_data
    return concerns.record_restriction(
        complaint,
        reason=data["reason"],
        restrictions=data["restrictions"],
        review_on=data["review_on"],
        starts_on=data["starts_on"],
        contact_meanwhile=data["contact_meanwhile"],
        actor=user,
        expected_version=data["version"],
    )


def restriction_recorded(restriction: Restriction) -> str:
    return f"Restriction recorded: review it on {long_date(restriction.review_on, weekday=True)}."


def _template(name: str) -> str:
    return f"web/steps/case/{name}.html"


PAGES: list[StepPage] = [
    StepPage(
        step=Step.WITHDRAW,
        form=WithdrawForm,
        title="Withdraw the complaint",
        act=withdraw,
        done="Complaint withdrawn: its open deadlines no longer apply.",
        context_template=_template("withdraw"),
        button="Withdraw the complaint",
    ),
    StepPage(
        step=Step.REASSIGN,
        form=ReassignForm,
        title="Reassign the case",
        act=reassign,
        done=reassigned,
        context_template=_template("reassign"),
        button="Reassign",
    ),
    StepPage(
        step=Step.RAISE_NEW_MATTER,
        form=NewMatterForm,
        title="Raise a new matter",
        act=raise_new_matter,
        done=new_matter_raised,
        route="new-matter",
        context_template=_template("new_matter"),
    ),
    StepPage(
        step=Step.FLAG_CONCERN,
        form=FlagConcernForm,
        title="Flag a safeguarding or health and safety concern",
        act=flag_concern,
        done=concern_flagged,
        route="concerns/new",
        context_template=_template("flag_concern"),
        button="Flag the concern",
    ),
    StepPage(
        step=Step.REFER_CONCERN,
        form=ReferConcernForm,
        title="Refer the concern",
        act=refer_concern,
        done=concern_referred,
        route="concerns/<int:item>/refer",
        context_template=_template("concern"),
        button="Refer",
    ),
    StepPage(
        step=Step.CLOSE_CONCERN,
        form=CloseConcernForm,
        title="Close the concern",
        act=close_concern,
        done="Concern closed.",
        route="concerns/<int:item>/close",
        context_template=_template("concern"),
        button="Close the concern",
    ),
    StepPage(
        step=Step.RECORD_RESTRICTION,
        form=RestrictionForm,
        title="Record a restriction",
        act=record_restriction,
        done=restriction_recorded,
        route="restrictions/new",
        context_template=_template("restriction"),
        button="Record the restriction",
    ),
]
