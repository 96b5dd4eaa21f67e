"""The case timeline: every step, in order, never changed afterwards.

Event kinds are numbered in ranges by area, like Zulip's audit log, so that a
report can ask for "everything about the appeal" (300-399) and a new kind
never renumbers an old one. A correction or a reopening is a new event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from putright.procedure import chain


class EventKind(models.IntegerChoices):
    # 100-199: intake and triage
    COMPLAINT_LOGGED = 100, "Complaint logged"
    ACCEPTED = 110, "Accepted at stage 1"
    RESOLVED_INFORMALLY = 111, "Resolved informally"
    NOT_ACCEPTED = 112, "Not accepted"
    # issue 14, importer: brought in from the landlord's old system, its history dated as there
    IMPORTED = 120, "Imported from another system"
    # 200-299: investigating and responding
    CONTACT_RECORDED = 200, "Contact recorded"
    EVIDENCE_REQUESTED = 201, "Evidence requested"
    EVIDENCE_ADDED = 202, "Evidence added"
    EXTENDED = 210, "Response date extended"
    RESPONDED = 220, "Response given"
    ACTION_ADDED = 230, "Action agreed"
    ACTION_COMPLETED = 231, "Action completed"
    CLOSED = 240, "Closed"
    # 300-399: review and appeal
    ESCALATED = 300, "Escalated to stage 2"
    APPEAL_REQUESTED = 310, "Appeal requested"
    APPEAL_REFUSED = 311, "Appeal refused"
    APPEAL_SCHEDULED = 312, "Appeal meeting arranged"
    APPEAL_DECIDED = 313, "Appeal decided"
    FINAL_RESPONSE = 314, "Final response sent"
    # 400-499: the case itself
    WITHDRAWN = 400, "Withdrawn by the customer"
    REASSIGNED = 410, "Reassigned"
    NEW_MATTER_RAISED = 420, "New matter raised as a new complaint"
    NEW_MATTER_SIGNPOSTED = 421, "New matter signposted"
    RAISED_FROM = 422, "Raised during another complaint"
    # 500-599: concerns and restrictions
    CONCERN_FLAGGED = 500, "Concern flagged"
    CONCERN_REFERRED = 501, "Concern referred"
    CONCERN_CLOSED = 502, "Concern closed"
    RESTRICTION_RECORDED = 510, "Restriction recorded"
    # conduct: restrictions followed through (511-519), the decision not to investigate (520)
    RESTRICTION_REVIEWED = 511, "Restriction reviewed"
    RESTRICTION_RENEWED = 512, "Restriction renewed"
    RESTRICTION_ENDED = 513, "Restriction ended"
    NOT_INVESTIGATED = 520, "Decided not to investigate"
    # 600-699: what we sent and the clocks we watch
    LETTER_SENT = 600, "Letter sent"
    LETTER_POSTED = 601, "Letter posted"
    EMAIL_FAILED = 610, "Email could not be delivered"
    REMINDER_SENT = 620, "Deadline reminder sent"
    # points (issue 11): the points of an open complaint, before the stage 1 response (250-259),
    # and its summary line (430-434)
    POINT_ADDED = 250, "Point of complaint added"
    POINT_EDITED = 251, "Point of complaint reworded"
    POINT_SPLIT = 252, "Point of complaint split"
    SUMMARY_EDITED = 430, "Summary changed"
    # Slice "letters" (issue 11): 602-609 and 611-619.
    INFORMATION_ADDED = 602, "Information sent by the customer"
    # Slice "team" (issue 11): internal notes (staff only, never shown to the customer).
    NOTE_ADDED = 440, "Internal note added"
    # 700-799: learning (issue 12): what the case taught and how it was put right
    LEARNING_RECORDED = 700, "Theme or root cause recorded"
    REMEDY_OFFERED = 710, "Remedy offered"
    REMEDY_ACCEPTED = 711, "Remedy accepted"
    REMEDY_DECLINED = 712, "Remedy declined"
    REMEDY_PAID = 713, "Remedy paid"
    LEARNING_ACTION_LINKED = 720, "Linked to a learning action"
    LEARNING_ACTION_COMPLETED = 721, "A linked learning action was completed"
    # reports (issue 13): the acknowledgement, a fact of its own on each stage
    ACKNOWLEDGED = 203, "Acknowledged"
    STOCK_TYPE_CHANGED = 431, "Stock type corrected"
    # issue 15, sar: the customer was given a copy of everything held about them
    SUBJECT_ACCESS_EXPORTED = 450, "Subject access export made"
    # issue 15, audit: free text removed through the one audited path (anonymisation, erasure)
    TEXT_REDACTED = 451, "Text removed"
    # issue 15, retention: the person removed and the figures kept, at the end of the retention
    # period or at the customer's request (erasure); a legal hold stops both
    ANONYMISED = 452, "Personal details removed"
    LEGAL_HOLD_PLACED = 453, "Legal hold placed"
    LEGAL_HOLD_LIFTED = 454, "Legal hold lifted"
    # issue 15, vuln: a disclosed vulnerability (Code 5.10); the summary names the kind, never the detail
    VULNERABILITY_RECORDED = 460, "Vulnerability recorded"
    VULNERABILITY_REVIEWED = 461, "Vulnerability reviewed"
    VULNERABILITY_CONSENT_WITHDRAWN = 462, "Consent to hold a vulnerability withdrawn"


class ImmutableQuerySet(models.QuerySet["TimelineEvent"]):
    def bulk_create(self, objs: Iterable[TimelineEvent], *args: Any, **kwargs: Any) -> list[TimelineEvent]:
        """Chain the events to their cases' latest ones, in the same transaction as the insert."""
        events = list(objs)
        with transaction.atomic(using=self.db):
            link(events, self.db)
            return super().bulk_create(events, *args, **kwargs)

    def create_first(self, objs: Iterable[TimelineEvent]) -> list[TimelineEvent]:
        """The first events of complaints inserted in this transaction, chained from the genesis.

        issue 16, overhead: no other transaction can see such a complaint, so none can have
        appended to its chain or be appending now: its head need not be locked and read. That
        read, with its savepoint, was three of a new complaint's queries (and compiling the
        locking query a millisecond). The events and the heads are written as ``bulk_create``
        writes them, in the caller's transaction.
        """
        events = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            link(events, self.db, new=True)
            return super().bulk_create(events)

    def update(self, **kwargs: Any) -> int:
        raise TypeError("Timeline events are never changed; record a new event instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Timeline events are never deleted; record a new event instead.")


class TimelineEvent(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.PROTECT, related_name="timeline")
    kind = models.PositiveSmallIntegerField(choices=EventKind.choices)
    stage_number = models.PositiveSmallIntegerField(default=0)
    occurred_at = models.DateTimeField(help_text="When it happened.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When it was typed in.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Who acted, as shown on the timeline.")
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    # issue 15, audit: the chain (putright/procedure/chain.py). Empty only on rows written by a
    # version before the chain, while an upgrade migrates (db_default), which verify reports.
    text_digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    hash = models.CharField(max_length=64, blank=True, default="", db_default="")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            models.Index(fields=["complaint", "occurred_at"], name="timeline_complaint_time"),
            # issue 15, audit: a case's chain in recorded order, and its latest link
            models.Index(fields=["complaint", "id"], name="timeline_complaint_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Timeline events are never changed; record a new event instead.")
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            link([self], using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Timeline events are never deleted; record a new event instead.")


def stored_data(data: Any) -> Any:
    """The data as the database gives it back (dates as strings, decimals as text)."""
    return json.loads(_encoder.encode(data))


_encoder = DjangoJSONEncoder()


def content_of(event: TimelineEvent, text: str) -> dict[str, Any]:
    """What the event's hash covers, with ``text`` as its text digest."""
    return chain.content(
        complaint=event.complaint_id,
        kind=event.kind,
        stage=event.stage_number,
        occurred_at=event.occurred_at,
        actor=event.actor_id,
        actor_label=event.actor_label,
        text=text,
    )


class ChainHead(models.Model):
    """issue 15, chainhead: a case's chain head, where deleting its latest events shows.

    Its own narrow table, one row per case, not columns on the complaint: the complaint's
    row is saved whole by many steps (``complaint.save()`` from an instance read before an
    event was appended would write an old head back), and rewriting its wide row on every
    event would cost more on PostgreSQL. Contention is the same either way: every append
    already locks the complaint's row (``link``), so two writers of one head queue there.
    """

    complaint = models.OneToOneField(
        "cases.Complaint", primary_key=True, on_delete=models.CASCADE, related_name="chain_head"
    )
    events = models.PositiveIntegerField(help_text="How many events the case's chain has.")
    hash = models.CharField(max_length=64, help_text="The hash of the case's latest event.")
    signature = models.CharField(
        max_length=64, blank=True, default="", help_text="HMAC-SHA256 of the head with PUTRIGHT_AUDIT_KEY."
    )

    def __str__(self) -> str:
        return f"chain head of complaint {self.complaint_id}: {self.events} events"


def audit_key() -> bytes:
    """The key that signs chain heads (PUTRIGHT_AUDIT_KEY), empty when none is set."""
    return str(getattr(settings, "PUTRIGHT_AUDIT_KEY", "") or "").encode()


def new_heads(heads: dict[int, tuple[str, int]]) -> list[ChainHead]:
    """The head rows to store for ``{complaint id: (latest hash, number of events)}``, signed if keyed."""
    key = audit_key()
    return [
        ChainHead(
            complaint_id=pk,
            hash=head,
            events=count,
            signature=chain.head_signature(key, pk, count, head) if key else "",
        )
        for pk, (head, count) in heads.items()
    ]


def store_heads(heads: dict[int, tuple[str, int]], using: str = "default") -> None:
    """Write the cases' heads in one statement (insert, or update the row already there)."""
    if heads:
        ChainHead.objects.using(using).bulk_create(
            new_heads(heads),
            update_conflicts=True,
            unique_fields=["complaint"],
            update_fields=["hash", "events", "signature"],
        )


def link(events: list[TimelineEvent], using: str, *, new: bool = False) -> None:
    """Give each new event its text digest and hash, chained to its case's stored head.

    The cases are locked first (in id order, so two writers cannot deadlock), so two
    events written at once on one case cannot both chain to the same previous one.
    Called inside the transaction that inserts them; the cases' heads are written here.

    issue 15, chainhead: a new event chains to the stored head, not to the latest event
    left in the table, so an event appended after the latest ones were deleted does not
    hide the deletion: its link breaks.

    ``new``: the cases were inserted in this transaction (``create_first``), so they have no
    head yet and no other writer: nothing is locked or read.
    """
    if new:
        _chain(events, dict.fromkeys({e.complaint_id for e in events}, (chain.GENESIS, 0)), using)
        return
    from putright.cases.models.complaints import Complaint

    ids = sorted({e.complaint_id for e in events})
    # One query whatever the number of cases: lock them and read each one's stored head.
    head: models.QuerySet[ChainHead, Any] = models.QuerySet(ChainHead, using=using).filter(
        complaint_id=models.OuterRef("pk")
    )
    locked = (
        Complaint.objects.using(using)
        .select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .annotate(
            head=models.Subquery(head.values("hash")[:1]), count=models.Subquery(head.values("events")[:1])
        )
        .values_list("pk", "head", "count")
    )
    heads = {pk: (chain.GENESIS, 0) if hash_ is None else (hash_, count) for pk, hash_, count in locked}
    _chain(events, heads, using)


def _chain(events: list[TimelineEvent], heads: dict[int, tuple[str, int]], using: str) -> None:
    """Hash each event onto its case's head, in order, and store the new heads."""
    for event in events:
        previous, count = heads[event.complaint_id]
        event.text_digest = chain.text_digest(event.summary, stored_data(event.data))
        event.hash = chain.event_hash(previous, content_of(event, event.text_digest))
        heads[event.complaint_id] = (event.hash, count + 1)
    store_heads(heads, using)


def stored_head(complaint_id: int, using: str = "default") -> tuple[str, int]:
    """The case's stored head: its latest hash and number of events ((GENESIS, 0) when none)."""
    found = (
        models.QuerySet(ChainHead, using=using)
        .filter(complaint_id=complaint_id)
        .values_list("hash", "events")
        .first()
    )
    return found if found is not None else (chain.GENESIS, 0)
