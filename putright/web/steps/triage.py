"""Step pages: triage. Accept at stage 1, resolve informally, or do not accept with the reason."""

from __future__ import annotations

from typing import Any

from putright.accounts.models import User
from putright.cases.errors import CaseNotFound, InvalidInput
from putright.cases.models import Complaint
from putright.cases.services import triage
from putright.procedure.states import Step
from putright.web.forms.triage import AcceptForm, NotAcceptForm, ResolveInformallyForm
from putright.web.steps.framework import StepPage

CONTEXT = "web/steps/triage/context.html"


def _accept(complaint: Complaint, user: User, form: Any, item: int | None) -> Complaint:
    data = form.cleaned_data
    return triage.accept(
        complaint,
        owner=data["owner"],
        reasoning=data["reasoning"],
        team=data["team"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def _resolve_informally(complaint: Complaint, user: User, form: Any, item: int | None) -> Complaint:
    return triage.resolve_informally(
        complaint,
        resolution=form.resolution(),
        actor=user,
        occurred_at=form.cleaned_data.get("occurred_at"),
        expected_version=form.cleaned_data["version"],
    )


def _not_accept(complaint: Complaint, user: User, form: Any, item: int | None) -> Complaint:
    data = form.cleaned_data
    try:
        return triage.not_accept(
            complaint,
            reason=data["reason"],
            explanation=data["explanation"],
            duplicate_of=data["duplicate_of"].strip() or None,
            signposted_to=data["signposted_to"],
            actor=user,
            occurred_at=data.get("occurred_at"),
            expected_version=data["version"],
        )
    except CaseNotFound as missing:
        raise InvalidInput(
            "duplicate_of",
            f"There is no complaint {missing.reference} of {complaint.organisation}: check the reference",
        ) from missing


def _accepted(complaint: Complaint) -> str:
    return f"{complaint.reference} accepted at stage 1 and assigned to {complaint.owner}."


PAGES: list[StepPage] = [
    StepPage(
        step=Step.ACCEPT,
        form=AcceptForm,
        title="Accept at stage 1",
        act=_accept,
        done=_accepted,
        context_template=CONTEXT,
        button="Accept at stage 1",
    ),
    StepPage(
        step=Step.RESOLVE_INFORMALLY,
        form=ResolveInformallyForm,
        title="Resolve informally",
        act=_resolve_informally,
        done="Resolved informally. It is counted and learnt from.",
        context_template=CONTEXT,
        button="Record informal resolution",
    ),
    StepPage(
        step=Step.NOT_ACCEPT,
        form=NotAcceptForm,
        title="Do not accept",
        act=_not_accept,
        done="Recorded as not accepted, with the reason the customer will be told.",
        context_template=CONTEXT,
        button="Do not accept",
    ),
]
