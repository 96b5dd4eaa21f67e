"""The step pages that place and lift a legal hold (issue 15, retention)."""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.cases.services.legal_hold import lift_legal_hold, place_legal_hold
from putright.procedure.states import Step
from putright.web.forms.legal_hold import LiftLegalHoldForm, PlaceLegalHoldForm
from putright.web.steps.framework import StepPage


def place(complaint: Complaint, user: User, form: PlaceLegalHoldForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return place_legal_hold(complaint, actor=user, reason=data["reason"], expected_version=data["version"])


def lift(complaint: Complaint, user: User, form: LiftLegalHoldForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return lift_legal_hold(complaint, actor=user, reason=data["reason"], expected_version=data["version"])


PAGES: list[StepPage] = [
    StepPage(
        step=Step.PLACE_LEGAL_HOLD,
        form=PlaceLegalHoldForm,
        title="Place a legal hold",
        act=place,
        done="Legal hold placed: this complaint is kept whole until the hold is lifted.",
        route="legal-hold",
        button="Place the legal hold",
    ),
    StepPage(
        step=Step.LIFT_LEGAL_HOLD,
        form=LiftLegalHoldForm,
        title="Lift the legal hold",
        act=lift,
        done="Legal hold lifted.",
        route="legal-hold/lift",
        context_template="web/steps/legal_hold.html",
        button="Lift the legal hold",
    ),
]
