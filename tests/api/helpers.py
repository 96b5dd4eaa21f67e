"""Helpers for the HTTP tests: log a complaint and take steps over the API only, at checked London times.

Times are written the way tests/cases/helpers.py writes them, weekday first
("Mon 2026-03-02 10:00"), and the weekday is checked. Every request runs with
the clock standing still at its time (``at``): the services refuse an
``occurred_at`` in the future, so the clock is moved, never patched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.api.conftest import ApiClient, instant
from tests.cases.helpers import at, end_of, on

Case = dict[str, Any]

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def iso(when: str) -> str:
    """ISO 8601 with its offset, from "Mon 2026-03-02 10:00"."""
    return on(when).isoformat()


def log_complaint(client: ApiClient, customer, received: str, *, now: str | None = None, **fields) -> Case:
    """POST /complaints for ``customer``, received at ``received``, sent at ``now`` (default: then)."""
    body = {
        "organisation": customer.organisation.short_name,
        "customer_id": customer.pk,
        "channel": "phone",
        "received_at": iso(received),
        "category": "service_failure",
        "summary": "Leaking roof not repaired",
        "description": "The roof has leaked since January and the repair was cancelled twice.",
        "points": ["The repair was not done", "Nobody called back"],
        **fields,
    }
    with at(now or received):
        reply = client.post("complaints", body)
    assert reply.status_code == 201, reply.json()
    return reply.json()


def step(client: ApiClient, case: Case, path: str, when: str, *, expect: int = 200, **fields) -> Case:
    """POST a step to /complaints/{ref}/{path} at ``when`` with the case's version; the new case."""
    with at(when):
        reply = client.post(f"complaints/{case['reference']}/{path}", {"version": case["version"], **fields})
    assert reply.status_code == expect, reply.json()
    return reply.json()


def read(client: ApiClient, reference: str, when: str) -> Case:
    with at(when):
        reply = client.get(f"complaints/{reference}")
    assert reply.status_code == 200, reply.json()
    return reply.json()


def outcomes(case: Case, outcome: str = "upheld") -> list[dict[str, object]]:
    """An outcome for every point of the complaint."""
    return [{"point_id": p["id"], "outcome": outcome, "reasons": "We got this wrong"} for p in case["points"]]


def deadlines(case: Case) -> dict[str, dict[str, Any]]:
    """The case's deadlines by name: due_at and met_at as instants, due_date as text, status."""
    return {
        d["name"]: {
            "due_at": instant(d["due_at"]),
            "due_date": d["due_date"],
            "met_at": instant(d["met_at"]),
            "status": d["status"],
        }
        for d in case["deadlines"]
    }


def deadline(due_at: dt.datetime, status: str, met_at: dt.datetime | None = None) -> dict[str, Any]:
    """What ``deadlines`` gives for one deadline, worked out by hand."""
    return {
        "due_at": due_at,
        "due_date": due_at.date().isoformat(),
        "met_at": met_at,
        "status": status,
    }


def kinds(case: Case) -> list[int]:
    return [e["kind"] for e in case["timeline"]]


def is_problem(reply, status: int, kind: str) -> dict[str, Any]:
    """Check a reply is problem details of ``kind`` with ``status``; its body."""
    assert reply.status_code == status, reply.content
    assert reply["Content-Type"] == "application/problem+json"
    body = reply.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["type"] == f"https://putright.org.uk/problems/{kind}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == reply.wsgi_request.path
    return body


# The standard journey of tests/cases/conftest.py, over HTTP.

JOURNEY = {
    "received": "Mon 2026-03-02 10:00",
    "accepted": "Mon 2026-03-02 11:00",
    "contacted": "Tue 2026-03-03 09:30",
    "responded": "Thu 2026-03-12 15:00",
    "escalated": "Fri 2026-03-13 10:00",
    "contacted2": "Mon 2026-03-16 10:00",
    "responded2": "Thu 2026-03-19 15:00",
    "appealed": "Mon 2026-03-23 10:00",
}
FULL_PANEL = {"board_member": "Bea Board", "resident": "Rita Resident", "executive": "Ed Executive"}


class Journey:
    """Drive a complaint along the standard journey over HTTP, up to and including a named step."""

    def __init__(self, api, customer, frontline, officer, senior) -> None:
        self.customer = customer
        self.frontline = api.as_(frontline)
        self.officer = api.as_(officer)
        self.senior = api.as_(senior)
        self.officer_name = officer.username
        self.senior_name = senior.username

    def until(self, last: str, **log_fields) -> Case:
        assert last in JOURNEY, f"no step {last!r} in the journey"
        case: Case = {}
        for name, when in JOURNEY.items():
            case = getattr(self, name)(case, when, **(log_fields if name == "received" else {}))
            if name == last:
                break
        return case

    def received(self, _: Case, when: str, **fields) -> Case:
        return log_complaint(self.frontline, self.customer, when, **fields)

    def accepted(self, case: Case, when: str) -> Case:
        return step(self.officer, case, "accept", when, owner=self.officer_name, reasoning="A complaint.")

    def contacted(self, case: Case, when: str) -> Case:
        return step(self.officer, case, "contacts", when, method="phone", summary="Talked it through")

    def responded(self, case: Case, when: str) -> Case:
        return step(
            self.officer, case, "responses", when, method="letter", summary="Sorry", outcomes=outcomes(case)
        )

    def escalated(self, case: Case, when: str) -> Case:
        return step(
            self.senior,
            case,
            "escalate",
            when,
            grounds=["b"],
            explanation="The offer is too low",
            owner=self.senior_name,
        )

    def contacted2(self, case: Case, when: str) -> Case:
        return step(self.senior, case, "contacts", when, method="phone", summary="Review call")

    def responded2(self, case: Case, when: str) -> Case:
        return step(
            self.senior, case, "responses", when, method="letter", summary="Review", outcomes=outcomes(case)
        )

    def appealed(self, case: Case, when: str) -> Case:
        return step(
            self.frontline,
            case,
            "appeal",
            when,
            criteria=["a"],
            explanation="Point 2 was never looked at",
        )


__all__ = ["at", "end_of", "on"]


# issue 12, points: closing (and refusing an appeal) needs each point's learning.


def record_learning(
    client: ApiClient, case: Case, when: str, *, theme: str = "leaks", root_cause: str = "missed_appointment"
) -> Case:
    """A theme on every point and a root cause on every upheld one, through the API; the new case."""
    for point in case["points"]:
        latest = point["outcomes"][-1]["outcome"] if point["outcomes"] else None
        fields: dict[str, Any] = {}
        if point["learning"]["theme"] is None:
            fields["theme"] = theme
        if latest in ("upheld", "partially_upheld") and point["learning"]["root_cause"] is None:
            fields["root_cause"] = root_cause
        if fields:
            case = step(client, case, f"points/{point['id']}/learning", when, **fields)
    return case
