"""Anonymise and keep: the person goes, the figures stay (issue 15, retention and erasure).

When a complaint's retention period ends, or its customer exercises the right to
erasure, what identifies a person is removed or replaced (names, contact details,
addresses, free text, files) while what the reports count stays (dates, stages,
outcomes, themes, remedies, deadlines), so a report over a past year gives the
same figures before and after. Timeline rows stay append-only: their text goes
through the one audited path (``redaction.redact_case_text``, the batch form of
``redact_event_text``) and the case gets its own ``ANONYMISED`` event, so the chain
still verifies. A case under legal hold is refused.

issue 15, anonymise: what it removes, by table.

- Here (cases): the complaint's summary, description, desired outcome and triage note,
  its representative; points' words; contacts, evidence requests, notes, responses, point
  outcomes' reasons, the stages' requests and refusals, appeal companions, actions, concerns,
  the decision not to investigate and its advice,
  restrictions recorded on it; files sent as evidence (the rows keep size and date, the
  stored files are deleted after commit); every timeline event's text.
- The layers above (comms, learning, portal) cannot be imported from here: each registers a
  ``Scrubber`` in its ``AppConfig.ready`` (``register_scrubber``) that removes what it holds on
  the case (letters and their PDFs, emails and their attachments; remedies' descriptions and
  payment references, root cause notes; private links and drafts) in the same transaction,
  returning the stored files to delete after commit.
- The customer, once every one of their complaints is anonymised: name, contact details,
  address, postcode, tenancy reference and contact time blanked, adjustments and
  representatives deleted, and their disclosed vulnerabilities (``forget_vulnerabilities``);
  organisation and tenure (which the TSM counts by) kept.

What stays: reference, dates, stage, state, outcomes per point, category, themes, service area,
root cause, remedy amounts, kinds and dates, deadlines, extensions (with their reasons, which the
dashboard lists: the landlord's words about its own delay), channel, organisation, stock type,
team and owner: every column the reports read. An optional text that was filled in stays filled
(``kept``): whether it was is sometimes a figure.

Bounded work: a fixed number of queries per case whatever it holds (one UPDATE per table, one
for every timeline event, one redaction event naming them all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import StepNotAllowed
from putright.cases.models import (
    Action,
    AppealHearing,
    Attachment,
    CaseNote,
    Complaint,
    Concern,
    Contact,
    Customer,
    EventKind,
    EvidenceRequest,
    InvestigationDeclined,
    Point,
    PointOutcome,
    ReasonableAdjustment,
    Representative,
    Response,
    Restriction,
    Stage,
    TimelineEvent,
)
from putright.cases.services import redaction, timeline
from putright.cases.services.vulnerabilities import forget_vulnerabilities
from putright.procedure.states import OPEN

#: What replaces removed free text where a column must hold something.
REMOVED = "[removed]"
#: The anonymised customer's name, as pages show it.
ANONYMISED_FIRST_NAME = "Anonymised"
ANONYMISED_LAST_NAME = "customer"

#: Removes what a higher layer holds on one complaint (inside the transaction, the case locked);
#: returns the names of stored files (default storage) to delete once the transaction commits.
Scrubber = Callable[[Complaint], list[str]]

_SCRUBBERS: list[Scrubber] = []


def register_scrubber(scrubber: Scrubber) -> None:
    """Called from an app's ``ready``: remove that app's personal data from a complaint too."""
    if scrubber not in _SCRUBBERS:
        _SCRUBBERS.append(scrubber)


def anonymise_complaint(complaint: Complaint, *, actor: User | None, reason: str) -> Complaint:
    """Remove what identifies the person from ``complaint``, keep what the figures count; return it."""
    if not reason.strip():
        raise ValueError("Anonymising a complaint needs a reason.")
    reason = reason.strip()
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if case.legal_hold_since is not None:
            raise StepNotAllowed(
                "anonymise", f"{case.reference} is under legal hold: {case.legal_hold_reason}"
            )
        if case.anonymised_at is not None:
            return case
        files = _scrub(case)
        for scrubber in _SCRUBBERS:
            files += scrubber(case)
        redaction.redact_case_text(case, REMOVED, actor, reason)
        case.anonymised_at = timezone.now()
        case.version += 1  # a form opened before on the case is stale now
        case.save(
            update_fields=[
                "anonymised_at",
                "version",
                "summary",
                "description",
                "desired_outcome",
                "triage_note",
                "representative",
                "submission_key",
                "updated_at",
            ]
        )
        timeline.append(
            timeline.event(
                case,
                EventKind.ANONYMISED,
                f"Personal details removed: {reason}",
                actor=actor,
                reason=reason,
            )
        )
        files += _anonymise_customer_when_done(case.customer_id)
        _delete_after_commit(files)
        return case


def kept(column: str) -> Case:
    """An optional text column's words removed, its emptiness kept: "" stays "", the rest is REMOVED.

    Whether a column was filled in can be a figure (an extension "beyond the policy's limit" is
    one with a good reason), so a filled one is replaced, never emptied.
    """
    return Case(When(**{column: ""}, then=Value("")), default=Value(REMOVED))


def _scrub(case: Complaint) -> list[str]:
    """Blank the case's own free text (the columns on ``case`` are saved by the caller)."""
    case.summary = REMOVED
    case.description = REMOVED
    case.desired_outcome = REMOVED if case.desired_outcome else ""
    case.triage_note = REMOVED if case.triage_note else ""
    case.representative = None
    case.submission_key = None
    Point.objects.filter(complaint=case).update(summary=REMOVED)
    Contact.objects.filter(complaint=case).update(summary=REMOVED)
    EvidenceRequest.objects.filter(complaint=case).update(description=REMOVED)
    CaseNote.objects.filter(complaint=case).update(text=REMOVED)
    # Extensions keep their reasons: the dashboard counts the reasons given most often (the
    # landlord's words about its own delay, e.g. "waiting for the contractor's report").
    Stage.objects.filter(complaint=case).update(
        request_text=kept("request_text"), refusal_reason=kept("refusal_reason")
    )
    Response.objects.filter(stage__complaint=case).update(summary=REMOVED)
    PointOutcome.objects.filter(point__complaint=case).update(reasons=kept("reasons"))
    AppealHearing.objects.filter(stage__complaint=case).update(
        companion_name=kept("companion_name"), companion_relationship=kept("companion_relationship")
    )
    Action.objects.filter(complaint=case).update(description=REMOVED, completion_note=kept("completion_note"))
    Concern.objects.filter(complaint=case).update(description=REMOVED, outcome=kept("outcome"))
    InvestigationDeclined.objects.filter(complaint=case).update(reason=REMOVED, legal_advice=REMOVED)
    Restriction.objects.filter(complaint=case).update(
        reason=REMOVED,
        restrictions=REMOVED,
        review_conclusion=kept("review_conclusion"),
        end_reason=kept("end_reason"),
        contact_meanwhile=kept("contact_meanwhile"),
    )
    attachments = Attachment.objects.filter(complaint=case)
    files = [name for name in attachments.values_list("file", flat=True) if name]
    attachments.update(
        file="", name=REMOVED, description=kept("description"), sha256="", uploaded_by_label=REMOVED
    )
    return files


def _anonymise_customer_when_done(customer_id: int) -> list[str]:
    """Anonymise the customer once none of their complaints still holds their details."""
    if Complaint.objects.filter(customer_id=customer_id, anonymised_at__isnull=True).exists():
        return []
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    files: list[str] = []
    forget_vulnerabilities(customer)  # issue 15, vuln: special category data, nothing of it kept
    ReasonableAdjustment.objects.filter(customer=customer).delete()
    Complaint.objects.filter(customer=customer).update(representative=None)
    Representative.objects.filter(customer=customer).delete()
    # restrictions recorded on no complaint (or on one since anonymised) lose their words too
    Restriction.objects.filter(customer=customer).update(
        reason=REMOVED, restrictions=REMOVED, review_conclusion="", end_reason="", contact_meanwhile=""
    )
    Customer.objects.filter(pk=customer.pk).update(
        title="",
        first_name=ANONYMISED_FIRST_NAME,
        last_name=ANONYMISED_LAST_NAME,
        email="",
        phone="",
        address="",
        postcode="",
        tenancy_reference="",
        preferred_contact_time="",
    )
    return files


def _delete_after_commit(names: list[str]) -> None:
    """Delete the stored files once the rows that named them are committed blank."""
    if not names:
        return

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


# Erasure: the customer's right to erasure, through the same path


class ErasureRefused(StepNotAllowed):
    """A complaint of the customer is open or under legal hold: nothing was changed."""


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a customer would remove (the dry run shows it; ``erase_customer`` does it)."""

    customer: Customer
    complaints: list[Complaint]
    blockers: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return not self.blockers


def erasure_plan(customer: Customer) -> ErasurePlan:
    """The customer's complaints, why erasure is refused (each open or held one, named), and what goes."""
    complaints = list(Complaint.objects.filter(customer=customer).order_by("received_at", "pk"))
    open_states = {state.value for state in OPEN}
    blockers = []
    for case in complaints:
        if case.anonymised_at is not None:
            continue
        if case.state in open_states:
            blockers.append(f"{case.reference} is still open")
        if case.legal_hold_since is not None:
            blockers.append(f"{case.reference} is under legal hold: {case.legal_hold_reason}")
    ids = [case.pk for case in complaints if case.anonymised_at is None]
    counts = {
        "complaints": len(ids),
        "timeline events": TimelineEvent.objects.filter(complaint_id__in=ids).count(),
        "files": Attachment.objects.filter(complaint_id__in=ids).exclude(file="").count(),
        "notes": CaseNote.objects.filter(complaint_id__in=ids).count(),
        "contacts": Contact.objects.filter(complaint_id__in=ids).count(),
        "reasonable adjustments": ReasonableAdjustment.objects.filter(customer=customer).count(),
        "representatives": Representative.objects.filter(customer=customer).count(),
    }
    return ErasurePlan(customer, complaints, blockers, counts)


def erase_customer(customer: Customer, *, actor: User | None, reason: str) -> Customer:
    """Anonymise every complaint of ``customer`` and the customer; refused if any is open or held."""
    if not reason.strip():
        raise ValueError("Erasing a customer's personal data needs a reason.")
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        plan = erasure_plan(locked)
        if plan.blockers:
            raise ErasureRefused(
                "erase", "Personal data not erased, nothing changed: " + "; ".join(plan.blockers) + "."
            )
        for case in plan.complaints:
            anonymise_complaint(case, actor=actor, reason=f"Right to erasure: {reason.strip()}")
        # a customer with no complaints at all is anonymised directly
        files = _anonymise_customer_when_done(locked.pk) if not plan.complaints else []
        _delete_after_commit(files)
        return Customer.objects.get(pk=locked.pk)
