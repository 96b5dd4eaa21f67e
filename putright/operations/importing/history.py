"""A checked row written as the rows putright would have made had the complaint been handled in it.

The customer, the complaint (with a reference of putright's own beside theirs), its points,
each stage reached with its acknowledgement and response, the stage deadlines worked out
by the same procedure function the services use (``stage_clocks``) from the original
dates, met, cancelled or still open, the outcome on each point, and the timeline: the
historic events at their original dates, then one "imported from X, their ref Y" at the
time of the import. Rows go into the bulk writer's tables (``putright.cases.bulk``), the
one the bench fills, and are written a batch at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from putright.cases.bulk import Table
from putright.cases.models import (
    AcknowledgedVia,
    Channel,
    Complaint,
    Customer,
    Deadline,
    EventKind,
    Point,
    PointOutcome,
    Response,
    Stage,
    TimelineEvent,
)
from putright.cases.models.people import STOCK_TYPE_OF_TENURE
from putright.operations.importing.rows import Incoming
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import contact_name, ombudsman_direct, response_name, stage_clocks
from putright.procedure.policy import Anchor, Policy
from putright.procedure.states import FINISHED, State

#: Every table an import writes, in an order their foreign keys allow.
MODELS: tuple[Any, ...] = (Customer, Complaint, Point, Stage, Deadline, Response, PointOutcome, TimelineEvent)
_CHANNEL_WORDS = {c.value: str(c.label).lower() for c in Channel}
_ENDED = {
    State.CLOSED: (EventKind.CLOSED, "Closed"),
    State.WITHDRAWN: (EventKind.WITHDRAWN, "Withdrawn by the customer"),
    State.NOT_ACCEPTED: (EventKind.NOT_ACCEPTED, "Not accepted"),
    State.RESOLVED_INFORMALLY: (EventKind.RESOLVED_INFORMALLY, "Resolved informally"),
}


@dataclass
class Writer:
    """Adds one complaint's rows to ``tables``; remembers customers already written in this run."""

    tables: dict[Any, Table]
    policy_id: int
    policy: Policy
    calendars: dict[int, WorkingCalendar]  # by organisation id
    source_system: str
    now: dt.datetime
    customers: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _clocks: dict[tuple[Any, ...], tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.source_system} (imported)"

    def add(self, row: Incoming, reference: str) -> int:
        t = self.tables
        complaint = t[Complaint].new_id()
        events: list[tuple[dt.datetime, EventKind, int, str, dict[str, Any]]] = []
        channel = _CHANNEL_WORDS[row.channel]
        events.append(
            (
                row.received,
                EventKind.COMPLAINT_LOGGED,
                0,
                f"Complaint received by {channel}: {row.summary}",
                {},
            )
        )
        copied = {"complaint_received_at": row.received, "complaint_organisation_id": row.organisation.pk}
        points = [
            t[Point].add(complaint_id=complaint, number=n, summary=text, **copied)
            for n, text in enumerate(row.points, start=1)
        ]
        open_due: list[tuple[dt.datetime, str]] = []
        final_response = None
        if row.stage >= 1:
            events.append((row.received, EventKind.ACCEPTED, 1, "Accepted at stage 1", {}))
            open_due += self._stage(
                row, complaint, 1, row.received, row.acknowledged, row.responded, points, events
            )
        if row.stage >= 2 and row.escalated is not None:
            events.append((row.escalated, EventKind.ESCALATED, 2, "Escalated to stage 2", {}))
            open_due += self._stage(
                row,
                complaint,
                2,
                row.escalated,
                row.stage2_acknowledged,
                row.stage2_responded,
                points,
                events,
            )
            if row.stage2_responded is not None and self.policy.appeal is None:
                final_response = row.stage2_responded
        if row.state in _ENDED and row.closed is not None:
            kind, words = _ENDED[row.state]
            events.append((row.closed, kind, row.stage, words, {}))
        finished = row.state == State.CLOSED or row.state in FINISHED
        if finished:
            self._cancel_open(complaint, row.closed)
            open_due = []
        events.append(
            (
                self.now,
                EventKind.IMPORTED,
                row.stage,
                f"Imported from {self.source_system}, their ref {row.reference}",
                {"source_system": self.source_system, "source_reference": row.reference, "line": row.line},
            )
        )
        for at, kind, stage, summary, data in events:
            t[TimelineEvent].add(
                complaint_id=complaint,
                kind=kind.value,
                stage_number=stage,
                occurred_at=at,
                actor_label="putright import" if kind is EventKind.IMPORTED else self.label,
                summary=summary,
                data=data,
            )
        due_at, due_name = min(open_due) if open_due else (None, "")
        calendar = self.calendars[row.organisation.pk]
        t[Complaint].add(
            id=complaint,
            reference=reference,
            organisation_id=row.organisation.pk,
            customer_id=self._customer(row),
            policy_id=self.policy_id,
            channel=row.channel,
            received_at=row.received,
            category=row.category,
            summary=row.summary,
            description=row.description,
            stock_type=STOCK_TYPE_OF_TENURE.get(row.tenure, ""),
            state=row.state.value,
            stage=row.stage,
            triage_note=f"Imported from {self.source_system}.",
            next_due_at=due_at,
            next_due_name=due_name,
            final_response_at=final_response,
            ombudsman_direct_from=final_response and ombudsman_direct(calendar, self.policy, final_response),
            closed_at=row.closed if finished else None,
            source_system=self.source_system,
            source_reference=row.reference,
            version=len(events),
        )
        return complaint

    def _customer(self, row: Incoming) -> int:
        """One customer per name and address (or email) in each organisation, within a run."""
        key = (
            row.organisation.pk,
            row.first_name.casefold(),
            row.last_name.casefold(),
            row.postcode or row.email,
        )
        found = self.customers.get(key)
        if found is None:
            found = self.customers[key] = self.tables[Customer].add(
                organisation_id=row.organisation.pk,
                title=row.title,
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                phone=row.phone,
                address=row.address,
                postcode=row.postcode,
                tenure=row.tenure,
            )
        return found

    def _stage(
        self,
        row: Incoming,
        complaint: int,
        number: int,
        opened: dt.datetime,
        acknowledged: dt.datetime | None,
        responded: dt.datetime | None,
        points: list[int],
        events: list[tuple[dt.datetime, EventKind, int, str, dict[str, Any]]],
    ) -> list[tuple[dt.datetime, str]]:
        """A stage's row, its two deadlines and its events; the deadlines still open (due, name)."""
        t = self.tables
        # The complaint's receipt and organisation, as the reports read them (``cases.models.copied``).
        copied = {"complaint_received_at": row.received, "complaint_organisation_id": row.organisation.pk}
        stage = t[Stage].add(
            complaint_id=complaint,
            **copied,
            number=number,
            opened_at=opened,
            acknowledged_at=acknowledged,
            acknowledged_via=AcknowledgedVia.RECORDED.value if acknowledged else "",
            responded_at=responded,
        )
        contact_due, response_due = self._clocks_of(row, number, opened, acknowledged)
        contact_met = acknowledged or responded
        open_due = []
        for name, due, met in (
            (contact_name(number), contact_due, contact_met),
            (response_name(number), response_due, responded),
        ):
            t[Deadline].add(
                complaint_id=complaint,
                **copied,
                stage_id=stage,
                name=name,
                clock_started_at=opened,
                due_at=due,
                original_due_at=due,
                met_at=met,
            )
            if met is None:
                open_due.append((due, name))
        if acknowledged is not None:
            events.append(
                (acknowledged, EventKind.ACKNOWLEDGED, number, f"Acknowledged at stage {number}", {})
            )
        if responded is not None:
            response = t[Response].add(
                stage_id=stage,
                **copied,
                occurred_at=responded,
                summary=f"Stage {number} response, as recorded in {self.source_system}.",
            )
            if row.outcome and (number == row.stage):
                for point in points:
                    t[PointOutcome].add(response_id=response, point_id=point, outcome=row.outcome, **copied)
            events.append((responded, EventKind.RESPONDED, number, f"Stage {number} response given", {}))
        return open_due

    def _clocks_of(
        self, row: Incoming, number: int, opened: dt.datetime, acknowledged: dt.datetime | None
    ) -> tuple[dt.datetime, dt.datetime]:
        """``stage_clocks`` as the services call it, remembered: an export repeats its dates."""
        rules = self.policy.stage(number)
        contact_at = acknowledged if rules.response.anchor is Anchor.CONTACT else None
        key = (row.organisation.pk, number, opened, contact_at)
        found = self._clocks.get(key)
        if found is None:
            calendar = self.calendars[row.organisation.pk]
            found = self._clocks[key] = stage_clocks(calendar, rules, opened, contact_at=contact_at)
        return found

    def _cancel_open(self, complaint: int, at: dt.datetime | None) -> None:
        """A finished complaint's deadlines not met are cancelled when it ended: they no longer apply."""
        table = self.tables[Deadline]
        met, cancelled, owner = (table.index[n] for n in ("met_at", "cancelled_at", "complaint_id"))
        for deadline in reversed(table.rows):
            if deadline[owner] != complaint:
                break
            if deadline[met] is None:
                deadline[cancelled] = at
