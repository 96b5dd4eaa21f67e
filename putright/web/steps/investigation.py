"""Step pages: investigating and responding at stage 1 (and 2): contact, evidence, extension,
response, actions and closure, each on its service in ``cases.services``."""

from __future__ import annotations

from typing import Any

from putright.accounts.models import User
from putright.cases.models import Action, Attachment, Complaint, Contact, EvidenceRequest, Extension, Response
from putright.cases.services import evidence, investigation, responses
from putright.comms.models import LetterKind
from putright.procedure.deadlines import deadline_label, response_name
from putright.procedure.states import Step, stage_phrase
from putright.procedure.wording import by_means
from putright.web.forms import investigation as forms
from putright.web.forms.outcomes import OUTCOME_CHOICES, outcomes_from
from putright.web.steps.framework import StepPage
from putright.web.templatetags.casetags import file_size, london_date

TEMPLATES = "web/steps/investigation"


def _when(form: Any, user: User) -> dict[str, Any]:
    """Who, when it happened, and the version read: the same for every step."""
    data = form.cleaned_data
    return {"actor": user, "occurred_at": data.get("occurred_at"), "expected_version": data["version"]}


# Contact and evidence


def _record_contact(complaint: Complaint, user: User, form: Any, item: int | None) -> Contact:
    data = form.cleaned_data
    return investigation.record_contact(
        complaint,
        method=data["method"],
        direction=data["direction"],
        summary=data["summary"],
        acknowledges=form.acknowledging(),  # issue 13, ack
        **_when(form, user),
    )


def _contact_done(contact: Contact) -> str:
    how = by_means(contact.get_method_display())
    acknowledged = " It acknowledges the complaint." if contact.acknowledges else ""  # issue 13, ack
    return f"Contact recorded: {how}, {contact.get_direction_display().lower()}.{acknowledged}"


def _request_evidence(complaint: Complaint, user: User, form: Any, item: int | None) -> EvidenceRequest:
    data = form.cleaned_data
    return investigation.request_evidence(
        complaint, description=data["description"], respond_by=data["respond_by"], **_when(form, user)
    )


def _evidence_requested(request: EvidenceRequest) -> str:
    by = f", to reply by {london_date(request.respond_by)}" if request.respond_by else ""
    return f"Evidence requested from the customer{by}."


def _add_evidence(complaint: Complaint, user: User, form: Any, item: int | None) -> Attachment:
    return evidence.attach(
        complaint,
        name=form.cleaned_data["file"].name,
        content=form.content(),
        description=form.cleaned_data["description"],
        **_when(form, user),
    )


# Extension and response


def _extend(complaint: Complaint, user: User, form: Any, item: int | None) -> Extension:
    data = form.cleaned_data
    return investigation.extend(
        complaint,
        new_due_on=data["new_due_on"],
        reason=data["reason"],
        good_reason=data["good_reason"],
        **_when(form, user),
    )


def _extended(extension: Extension) -> str:
    due = london_date(extension.new_due_at)
    return f"Extension recorded: the response is now due by {due}."


#: The letter that gives (or confirms in writing) each stage's response.
RESPONSE_LETTERS = {1: LetterKind.STAGE1_RESPONSE, 2: LetterKind.STAGE2_RESPONSE}


def _respond(complaint: Complaint, user: User, form: Any, item: int | None) -> Response:
    data = form.cleaned_data
    return responses.respond(
        complaint,
        outcomes=outcomes_from(data),
        method=data["method"],
        summary=data["summary"],
        **_when(form, user),
    )


def _responded(response: Response) -> str:
    """ "Stage 1 response recorded: 1 point upheld, 2 points not upheld." (in the choices' order)."""
    given = [o.outcome for o in response.outcomes.all()]
    counts = [
        f"{given.count(o)} point{'' if given.count(o) == 1 else 's'} {words.lower()}"
        for o, words in OUTCOME_CHOICES
        if o in given
    ]
    return f"{deadline_label(response_name(response.stage.number))} recorded: {', '.join(counts)}."


# Actions and closure


def _add_action(complaint: Complaint, user: User, form: Any, item: int | None) -> Action:
    data = form.cleaned_data
    return responses.add_action(
        complaint,
        description=data["description"],
        due_on=data["due_on"],
        owner=data["owner"],
        **_when(form, user),
    )


def _action_agreed(action: Action) -> str:
    owner = f", for {action.owner}" if action.owner else ""
    return f"Action agreed: due by {london_date(action.due_on)}{owner}."


def _complete_action(complaint: Complaint, user: User, form: Any, item: int | None) -> Action:
    assert item is not None
    return responses.complete_action(
        complaint, action_id=item, note=form.cleaned_data["note"], **_when(form, user)
    )


def _close(complaint: Complaint, user: User, form: Any, item: int | None) -> Complaint:
    return responses.close(complaint, **_when(form, user))


PAGES: list[StepPage] = [
    StepPage(
        step=Step.RECORD_CONTACT,
        form=forms.RecordContactForm,
        title="Record a contact",
        act=_record_contact,
        done=_contact_done,
        context_template=f"{TEMPLATES}/record_contact.html",
        button="Record the contact",
    ),
    StepPage(
        step=Step.REQUEST_EVIDENCE,
        form=forms.RequestEvidenceForm,
        title="Request evidence",
        act=_request_evidence,
        done=_evidence_requested,
        button="Record the request",
    ),
    StepPage(
        step=Step.ADD_EVIDENCE,
        form=forms.AddEvidenceForm,
        title="Add evidence",
        act=_add_evidence,
        done=lambda added: f"Evidence added: {added.name} ({file_size(added.size)}).",
        button="Add the file",
    ),
    StepPage(
        step=Step.EXTEND,
        form=forms.ExtendForm,
        title="Extend the response date",
        act=_extend,
        done=_extended,
        context_template=f"{TEMPLATES}/extend.html",
        button="Record the extension",
    ),
    StepPage(
        step=Step.RESPOND,
        form=forms.RespondForm,
        title="Record the response",
        act=_respond,
        done=_responded,
        context_template=f"{TEMPLATES}/respond.html",
        button="Record the response",
        letter=lambda response: RESPONSE_LETTERS.get(response.stage.number),
    ),
    StepPage(
        step=Step.ADD_ACTION,
        form=forms.AddActionForm,
        title="Agree an action",
        act=_add_action,
        done=_action_agreed,
        button="Agree the action",
    ),
    StepPage(
        step=Step.COMPLETE_ACTION,
        form=forms.CompleteActionForm,
        title="Mark an action as done",
        act=_complete_action,
        done=lambda action: f"Action marked as done: {action.description}",
        route="actions/<int:item>/complete",
        context_template=f"{TEMPLATES}/complete_action.html",
        button="Mark as done",
    ),
    StepPage(
        step=Step.CLOSE,
        form=forms.CloseForm,
        title="Close the complaint",
        act=_close,
        done=lambda complaint: (
            f"Complaint closed at {stage_phrase(complaint.stage)}: every agreed action is done."
        ),
        context_template=f"{TEMPLATES}/close.html",
        button="Close the complaint",
    ),
]
