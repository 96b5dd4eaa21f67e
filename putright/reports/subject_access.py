"""Subject access: everything held about one customer, as a zip they can read (issue 15, sar).

It sits in ``reports`` because it reads across every layer below: the case record (cases),
the letters and emails sent (comms) and the remedies (learning); the staff page (web) and the
command (operations) sit above it.

The zip holds ``README.txt`` (what it holds, when, by whom, the redactions), ``customer.json``
(everything, in one document), and per complaint ``complaints/REF/summary.html`` (readable,
self-contained), its letters as sent (the stored PDFs), its emails as text, and the files on the
case. Reading is a fixed number of queries however many complaints the customer has (prefetched
once each); making the export appends an event to each case's timeline (cases.services).

Letters and emails sent to the customer (or their representative) are given as sent: the
customer already holds them. Everything else passes through the redactor (sar_redaction).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, FileField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Replace, Upper
from django.template.loader import render_to_string
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import (
    CaseNote,
    Complaint,
    Contact,
    Customer,
    PointOutcome,
    Response,
    Stage,
    TimelineEvent,
)
from putright.cases.services.subject_access import record_export
from putright.comms.letters.letter_context import role_words
from putright.comms.letters.letterhead import letterhead_for
from putright.comms.letters.pdf import LetterPage, letter_pdf
from putright.comms.models import Letter, OutboundEmail
from putright.procedure.wording import long_date
from putright.reports.sar_redaction import Redactor

#: Fields of no use to the customer and of some use to an attacker (keys, internal leases).
SKIPPED = {
    "submission_key",
    "idempotency_key",
    "claimed_until",
    "headers",
    "message_id",
    "body_html",
    "next_attempt_at",
    "sha256",
}


class CustomerNotFound(LookupError):
    """No customer (the user may see) matches; or several do, and one must be chosen."""


@dataclass(frozen=True)
class Found:
    customer: Customer
    complaints: int


# Finding the customer


def _visible(user: User | None) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("organisation")
    visible = None if user is None else visible_organisation_ids(user)
    return customers if visible is None else customers.filter(organisation_id__in=visible)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def find_customers(user: User | None, words: str, *, limit: int = 50) -> list[Found]:
    """Customers the user may see whose name contains the words, or whose email, postcode or
    complaint reference is the words; with how many complaints each has."""
    words = words.strip()
    if not words:
        return []
    match = Q(email__iexact=words) | Q(
        pk__in=Complaint.objects.filter(reference__iexact=words).values("customer")
    )
    match |= Q(pk__in=_postcode_matches(_compact(words)))
    name = Q()
    for word in words.split():
        name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    match |= name
    count = (
        Complaint.objects.filter(customer=OuterRef("pk"))
        .order_by()
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        _visible(user)
        .filter(match)
        .annotate(complaint_count=Subquery(count))
        .order_by("last_name", "first_name", "pk")[:limit]
    )
    return [Found(customer, customer.complaint_count or 0) for customer in rows]


def _postcode_matches(compact: str) -> Any:
    return (
        Customer.objects.annotate(compact=Replace(Upper("postcode"), Value(" "), Value("")))
        .filter(compact=compact)
        .values("pk")
    )


def customer_for(
    user: User | None,
    *,
    customer_id: int | None = None,
    email: str | None = None,
    reference: str | None = None,
) -> Customer:
    """The one customer named; ``CustomerNotFound`` when none (the user may see) or several."""
    customers = _visible(user)
    if customer_id is not None:
        customers = customers.filter(pk=customer_id)
    elif email:
        customers = customers.filter(email__iexact=email.strip())
    elif reference:
        customers = customers.filter(complaints__reference__iexact=reference.strip())
    else:
        raise CustomerNotFound("name the customer: their id, email or a complaint reference")
    found: list[Customer] = list(customers.distinct()[:5])
    if not found:
        raise CustomerNotFound("no customer matches")
    if len(found) > 1:
        ids = ", ".join(f"{c.pk} ({c.full_name}, {c.organisation})" for c in found)
        raise CustomerNotFound(f"several customers match; choose one by --customer-id: {ids}")
    return found[0]


# Reading everything


def _complaints_of(customer: Customer) -> list[Complaint]:
    """Every complaint with all it holds: one query per kind of record, however many complaints."""
    stages = Stage.objects.order_by("number").prefetch_related(
        Prefetch(
            "responses",
            Response.objects.order_by("occurred_at", "pk").prefetch_related(
                Prefetch("outcomes", PointOutcome.objects.order_by("point__number"))
            ),
        )
    )
    return list(
        Complaint.objects.filter(customer=customer)
        .select_related("organisation")
        .order_by("received_at", "pk")
        .prefetch_related(
            "points",
            Prefetch("stages", stages),
            "deadlines",
            Prefetch("timeline", TimelineEvent.objects.order_by("occurred_at", "pk")),
            Prefetch("contacts", Contact.objects.order_by("occurred_at", "pk")),
            "remedies",
            "actions",
            "evidence_requests",
            Prefetch("letters", Letter.objects.select_related("sent_by").order_by("sent_at", "pk")),
            Prefetch("emails", OutboundEmail.objects.defer("body_html").order_by("created_at", "pk")),
            "attachments",
            Prefetch("notes", CaseNote.objects.order_by("written_at", "pk")),
        )
    )


@dataclass
class Export:
    """What the zip will hold, read and redacted; ``files`` are (path in the zip, bytes)."""

    customer: Customer
    complaints: list[Complaint]
    made_at: dt.datetime
    made_by: str
    document: dict[str, Any]
    files: list[tuple[str, bytes]] = field(default_factory=list)


class _Builder:
    def __init__(self, customer: Customer, redactor: Redactor) -> None:
        self.customer = customer
        self.redactor = redactor
        own = {a.lower() for a in [customer.email, *(r.email for r in customer.representatives.all())] if a}
        self.own_addresses = own

    def record(self, obj: Model, where: str, *, clean: bool = True) -> dict[str, Any]:
        """Every stored field of ``obj``: staff as name or title, text redacted, files by name."""
        out: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in SKIPPED:
                continue
            value = getattr(obj, f.attname)
            if f.is_relation:
                if f.related_model is User:
                    out[f.name] = (
                        self.redactor.person_field(value, where) if clean else self.redactor.person(value)
                    )
                else:
                    out[f.attname] = value
                continue
            if isinstance(f, FileField):
                out[f.name] = value.name if value else ""
                continue
            if isinstance(value, str | list | dict) and clean:
                value = self.redactor.clean_json(value, f"{where}, {f.verbose_name}")
            out[f.name] = value
            if f.choices and value not in (None, ""):
                out[f"{f.name}_words"] = str(dict(f.flatchoices).get(value, value))
        return out

    def customer_part(self) -> dict[str, Any]:
        c = self.customer
        part = self.record(c, "customer record", clean=False)
        part["organisation"] = str(c.organisation)
        part["adjustments"] = [self.record(a, "reasonable adjustment") for a in c.adjustments.all()]
        part["representatives"] = [
            self.record(r, "representative", clean=False) for r in c.representatives.all()
        ]
        part["restrictions"] = [self.record(r, "restriction") for r in c.restrictions.all()]
        # issue 15, vuln: what they told us of their vulnerabilities (Code 5.10), theirs to see;
        # after a withdrawal, only the kind and the dates are left, and so given
        part["vulnerabilities"] = [self.record(v, "vulnerability") for v in c.vulnerabilities.all()]
        return part

    def complaint_part(self, case: Complaint, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        ref = case.reference
        part = self.record(case, f"{ref}")
        part["organisation"] = str(case.organisation)
        part["points"] = [self.record(p, f"{ref} point {p.number}") for p in case.points.all()]
        part["stages"] = [self._stage(case, s) for s in case.stages.all()]
        part["deadlines"] = [self.record(d, f"{ref} deadline") for d in case.deadlines.all()]
        part["timeline"] = [self._event(case, e) for e in case.timeline.all()]
        part["contacts"] = [self.record(c, f"{ref} contact") for c in case.contacts.all()]
        part["remedies"] = [self.record(r, f"{ref} remedy") for r in case.remedies.all()]
        part["actions"] = [self.record(a, f"{ref} action") for a in case.actions.all()]
        part["evidence_requests"] = [
            self.record(e, f"{ref} evidence request") for e in case.evidence_requests.all()
        ]
        part["notes"] = [self.record(n, f"{ref} internal note") for n in case.notes.all()]
        part["letters"] = [
            self._letter(case, n, letter, files) for n, letter in enumerate(case.letters.all(), 1)
        ]
        part["emails"] = [self._email(case, n, email, files) for n, email in enumerate(case.emails.all(), 1)]
        part["files"] = [self._file(case, n, a, files) for n, a in enumerate(case.attachments.all(), 1)]
        return part

    def _stage(self, case: Complaint, stage: Stage) -> dict[str, Any]:
        where = f"{case.reference} stage {stage.number}"
        part = self.record(stage, where)
        part["responses"] = []
        for response in stage.responses.all():
            answer = self.record(response, f"{where} response")
            answer["outcomes"] = [self.record(o, f"{where} outcome") for o in response.outcomes.all()]
            part["responses"].append(answer)
        return part

    def _event(self, case: Complaint, event: TimelineEvent) -> dict[str, Any]:
        where = f"{case.reference} timeline ({event.get_kind_display()}, {event.occurred_at:%Y-%m-%d})"
        part = self.record(event, where)
        part["what"] = event.get_kind_display()
        part["who"] = part["actor"] if event.actor_id else part["actor_label"]
        return part

    def _letter(
        self, case: Complaint, n: int, letter: Letter, files: list[tuple[str, bytes]]
    ) -> dict[str, Any]:
        part = self.record(letter, f"{case.reference} letter {n}", clean=False)
        path = f"complaints/{case.reference}/letters/{n:02d}-{letter.kind}-{letter.sent_at:%Y-%m-%d}.pdf"
        files.append((path, _letter_pdf(case, letter)))
        part["file_in_export"] = path
        return part

    def _email(
        self, case: Complaint, n: int, email: OutboundEmail, files: list[tuple[str, bytes]]
    ) -> dict[str, Any]:
        theirs = any(str(a).lower() in self.own_addresses for a in [*email.to, *email.cc])
        part = self.record(email, f"{case.reference} email {n}", clean=not theirs)
        part["sent_to_the_customer"] = theirs
        path = f"complaints/{case.reference}/emails/{n:02d}.txt"
        to = ", ".join(map(str, part["to"]))
        head = f"Subject: {part['subject']}\nTo: {to}\nSent: {email.sent_at or ''}\n\n"
        files.append((path, (head + part["body_text"]).encode()))
        part["file_in_export"] = path
        return part

    def _file(
        self, case: Complaint, n: int, attachment: Any, files: list[tuple[str, bytes]]
    ) -> dict[str, Any]:
        part = self.record(attachment, f"{case.reference} file {n}")
        safe = re.sub(r"[^\w.-]+", "_", attachment.name)[-100:] or "file"
        path = f"complaints/{case.reference}/files/{n:02d}-{safe}"
        if not attachment.file:  # issue 15, anonymise: deleted with the personal details
            part["file_in_export"] = None
            return part
        with attachment.file.open("rb") as stored:
            files.append((path, stored.read()))
        part["file_in_export"] = path
        return part


def _letter_pdf(case: Complaint, letter: Letter) -> bytes:
    """The PDF as stored; if the file is gone, drawn again from the words as sent."""
    try:
        with letter.pdf.open("rb") as stored:
            return bytes(stored.read())
    except (FileNotFoundError, ValueError):
        sender = letter.sent_by
        page = LetterPage(
            letterhead=letterhead_for(case.organisation),
            date=long_date(timezone.localtime(letter.sent_at).date()),
            recipient_name=letter.recipient_name,
            recipient_address=letter.recipient_address,
            reference=case.reference,
            subject=letter.subject,
            body=letter.body,
            signed_by=(sender.get_full_name() or sender.username) if sender else "",
            signer_role=role_words(sender),
            large_print=letter.large_print,
        )
        return letter_pdf(page)


def _others_of(customer: Customer) -> Iterable[Customer]:
    return Customer.objects.filter(organisation_id=customer.organisation_id).only(
        "pk", "first_name", "last_name", "email", "phone"
    )


def build_export(customer: Customer, *, actor: User | None, now: dt.datetime | None = None) -> Export:
    """Read and redact everything held about ``customer`` (nothing is written)."""
    made_at = now or timezone.now()
    customer = (
        Customer.objects.select_related("organisation")
        .prefetch_related("adjustments", "representatives", "restrictions", "vulnerabilities")
        .get(pk=customer.pk)
    )
    staff = User.objects.only("pk", "username", "first_name", "last_name", "email", "role", "job_title")
    redactor = Redactor(staff, _others_of(customer), customer)
    builder = _Builder(customer, redactor)
    complaints = _complaints_of(customer)
    files: list[tuple[str, bytes]] = []
    made_by = str(actor) if actor else "putright (an operator's command)"
    document = {
        "export": {
            "made_at": made_at,
            "made_by": made_by,
            "about": "Everything putright holds about this customer (UK GDPR article 15).",
        },
        "customer": builder.customer_part(),
        "complaints": [builder.complaint_part(case, files) for case in complaints],
    }
    document["redactions"] = [r.as_dict() for r in redactor.redactions()]
    return Export(customer, complaints, made_at, made_by, document, files)


def make_export(customer: Customer, out: IO[bytes], *, actor: User | None) -> Export:
    """Write the zip to ``out`` and record the export on each case (in one transaction)."""
    export = build_export(customer, actor=actor)
    write_zip(export, out)
    record_export(
        export.complaints, actor=actor, made_at=export.made_at, redactions=len(export.document["redactions"])
    )
    return export


# Writing the zip


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def write_zip(export: Export, out: IO[bytes]) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(export))
        archive.writestr("customer.json", as_json(export.document))
        for part in export.document["complaints"]:
            html = render_to_string(
                "reports/subject_access_summary.html",
                {
                    "complaint": part,
                    "customer": export.document["customer"],
                    "export": export.document["export"],
                },
            )
            archive.writestr(f"complaints/{part['reference']}/summary.html", html)
        for path, content in export.files:
            archive.writestr(path, content)


def readme(export: Export) -> str:
    doc = export.document
    lines = [
        f"Subject access export for {export.customer.full_name} ({export.customer.organisation})",
        f"Made at {export.made_at:%Y-%m-%d %H:%M} UTC by {export.made_by}.",
        "",
        "What it holds:",
        "- customer.json: everything held about the customer, in one JSON document: the customer",
        "  record, reasonable adjustments, disclosed vulnerabilities, representatives, restrictions,",
        "  and each complaint with",
        "  its points, stages, responses and outcomes, deadlines, timeline, contacts, remedies,",
        "  actions, evidence requests, internal notes, letters, emails and files.",
        "- complaints/REFERENCE/summary.html: each complaint, readable in any web browser.",
        "- complaints/REFERENCE/letters/: the letters as sent (PDF).",
        "- complaints/REFERENCE/emails/: the emails sent about the complaint (text).",
        "- complaints/REFERENCE/files/: the files held on the complaint.",
        "",
        f"Complaints ({len(doc['complaints'])}): " + ", ".join(c["reference"] for c in doc["complaints"]),
        "",
        "Letters and emails sent to the customer or their representative are given as sent.",
        "Elsewhere, names of staff below the disclosed grade are replaced by their job title or",
        "role, and other customers' names, email addresses and phone numbers are replaced, as",
        "the Data Protection Act 2018 (schedule 2, part 3) allows. Each is marked",
        "[redacted: reason] where it was.",
        "",
        f"Redactions ({sum(r['count'] for r in doc['redactions'])}):",
    ]
    lines += [f"- {r['where']}: {r['reason']} ({r['count']})" for r in doc["redactions"]] or ["- none"]
    return "\n".join(lines) + "\n"
