"""Step pages for unacceptable behaviour: a restriction reviewed, renewed or ended, and the decision
not to investigate. Each calls one service, as the API does."""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint, Restriction
from putright.cases.services import declining, restrictions
from putright.procedure.states import Step
from putright.procedure.wording import long_date
from putright.web.forms.conduct import (
    DeclineForm,
    EndRestrictionForm,
    RenewRestrictionForm,
    ReviewRestrictionForm,
)
from putright.web.steps.framework import StepPage


def review(complaint: Complaint, user: User, form: ReviewRestrictionForm, item: int | None) -> Restriction:
    data = form.cleaned_data
    return restrictions.review_restriction(
        complaint,
        form.restriction,
        conclusion=data["conclusion"],
        next_review_on=data["next_review_on"],
        actor=user,
        expected_version=data["version"],
    )


def renew(complaint: Complaint, user: User, form: RenewRestrictionForm, item: int | None) -> Restriction:
    data = form.cleaned_data
    return restrictions.renew_restriction(
        complaint,
        form.restriction,
        reason=data["reason"],
        review_on=data["review_on"],
        restrictions=data["restrictions"],
        actor=user,
        expected_version=data["version"],
    )


def end(complaint: Complaint, user: User, form: EndRestrictionForm, item: int | None) -> Restriction:
    data = form.cleaned_data
    return restrictions.end_restriction(
        complaint, form.restriction, reason=data["reason"], actor=user, expected_version=data["version"]
    )


def decline(complaint: Complaint, user: User, form: DeclineForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return declining.decline_to_investigate(
        complaint,
        reason=data["reason"],
        legal_advice=data["legal_advice"],
        advice_on=data["advice_on"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def next_review(restriction: Restriction) -> str:
    return f"Restriction kept: review it again on {long_date(restriction.review_on, weekday=True)}."


def _template(name: str) -> str:
    return f"web/steps/conduct/{name}.html"


PAGES: list[StepPage] = [
    StepPage(
        step=Step.REVIEW_RESTRICTION,
        form=ReviewRestrictionForm,
        title="Review the restriction",
        act=review,
        done=next_review,
        route="restrictions/<int:item>/review",
        context_template=_template("restriction"),
        button="Record the review",
    ),
    StepPage(
        step=Step.RENEW_RESTRICTION,
        form=RenewRestrictionForm,
        title="Renew the restriction",
        act=renew,
        done=next_review,
        route="restrictions/<int:item>/renew",
        context_template=_template("restriction"),
        button="Renew the restriction",
    ),
    StepPage(
        step=Step.END_RESTRICTION,
        form=EndRestrictionForm,
        title="End the restriction",
        act=end,
        done="Restriction ended: the customer can contact us in the usual way again.",
        route="restrictions/<int:item>/end",
        context_template=_template("restriction"),
        button="End the restriction",
    ),
    StepPage(
        step=Step.DECLINE_TO_INVESTIGATE,
        form=DeclineForm,
        title="Decide not to investigate",
        act=decline,
        done="Decided not to investigate: the complaint is finished. Send the customer the letter.",
        route="not-investigated",
        context_template=_template("decline"),
        button="Record the decision",
    ),
]
