"""Fixtures for the case-service tests: a standard journey through the procedure, and the Code policy.

The standard journey (flagship policy, England and Wales) is the one the
tests below start from, every step through the real services at the time shown:

    received    Mon 2026-03-02 10:00  by phone, logged by front-line staff
    accepted    Mon 2026-03-02 11:00  stage 1, Olivia (Resolution Officer)
    contacted   Tue 2026-03-03 09:30  Olivia phones the customer
    responded   Thu 2026-03-12 15:00  stage 1 response, every point upheld
    escalated   Fri 2026-03-13 10:00  stage 2 on ground (b), Sam (Senior Manager)
    contacted2  Mon 2026-03-16 10:00  Sam phones the customer
    responded2  Thu 2026-03-19 15:00  stage 2 response: the final response so far
    appealed    Mon 2026-03-23 10:00  appeal on criterion (a)
    scheduled   Wed 2026-03-25 14:00  meeting agreed for Tue 2026-04-21 14:00, full panel
    decided     Thu 2026-04-23 16:00  the panel's decision
    final       Fri 2026-04-24 11:00  the appeal's outcome sent: the final response
"""

from __future__ import annotations

import pytest

from putright.cases.models import Complaint
from putright.cases.services import escalation, investigation, responses, triage
from tests.cases.helpers import at, on, wall
from tests.conftest import policy_in_force

JOURNEY = {
    "received": "Mon 2026-03-02 10:00",
    "accepted": "Mon 2026-03-02 11:00",
    "contacted": "Tue 2026-03-03 09:30",
    "responded": "Thu 2026-03-12 15:00",
    "escalated": "Fri 2026-03-13 10:00",
    "contacted2": "Mon 2026-03-16 10:00",
    "responded2": "Thu 2026-03-19 15:00",
    "appealed": "Mon 2026-03-23 10:00",
    "scheduled": "Wed 2026-03-25 14:00",
    "decided": "Thu 2026-04-23 16:00",
    "final": "Fri 2026-04-24 11:00",
}
MEETING = "Tue 2026-04-21 14:00"
FULL_PANEL = {"board_member": "Bea Board", "resident": "Rita Resident", "executive": "Ed Executive"}


def all_points(complaint: Complaint, outcome: str = "upheld") -> dict[int, tuple[str, str]]:
    return dict.fromkeys(complaint.points.values_list("pk", flat=True), (outcome, "We got this wrong"))


class Journey:
    """Drive a fresh complaint along the standard journey, up to and including a named step."""

    def __init__(self, log, officer, senior) -> None:
        self.log, self.officer, self.senior = log, officer, senior

    def until(self, last: str, **log_fields) -> Complaint:
        assert last in JOURNEY, f"no step {last!r} in the journey"
        complaint = None
        for name, when in JOURNEY.items():
            with at(when):
                complaint = getattr(self, name)(complaint, **(log_fields if name == "received" else {}))
            if name == last:
                break
        complaint.refresh_from_db()
        return complaint

    def received(self, _, **fields) -> Complaint:
        return self.log(wall(JOURNEY["received"]), **fields)

    def accepted(self, complaint: Complaint) -> Complaint:
        return triage.accept(
            complaint, owner=self.officer, actor=self.officer, reasoning="Meets the definition."
        )

    def contacted(self, complaint: Complaint) -> Complaint:
        investigation.record_contact(
            complaint, method="phone", summary="Talked it through", actor=self.officer
        )
        return complaint

    def responded(self, complaint: Complaint) -> Complaint:
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=self.officer
        )
        return complaint

    def escalated(self, complaint: Complaint) -> Complaint:
        escalation.escalate(
            complaint, grounds={"b"}, explanation="The offer is too low", owner=self.senior, actor=self.senior
        )
        return complaint

    def contacted2(self, complaint: Complaint) -> Complaint:
        investigation.record_contact(complaint, method="phone", summary="Review call", actor=self.senior)
        return complaint

    def responded2(self, complaint: Complaint) -> Complaint:
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Review", actor=self.senior
        )
        return complaint

    def appealed(self, complaint: Complaint) -> Complaint:
        escalation.request_appeal(
            complaint,
            criteria={"a"},
            explanation="Point 2 was never looked at",
            actor=None,
            on_behalf_of="The customer",
        )
        return complaint

    def scheduled(self, complaint: Complaint) -> Complaint:
        escalation.schedule_appeal(
            complaint,
            meeting_at=on(MEETING),
            location="Tom Moore House, North Walsham",
            panel=FULL_PANEL,
            agreed_with_customer=True,
            actor=self.senior,
        )
        return complaint

    def decided(self, complaint: Complaint) -> Complaint:
        escalation.decide_appeal(
            complaint, outcomes=all_points(complaint), summary="Upheld in full", actor=self.senior
        )
        return complaint

    def final(self, complaint: Complaint) -> Complaint:
        return escalation.record_final_response(complaint, method="letter", actor=self.senior)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff are made with passwords; a slow hasher would spend seconds per test on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


@pytest.fixture
def code_2024(settings):
    """Run a test under the Complaint Handling Code policy instead of the flagship one."""
    with policy_in_force(settings, "code-2024"):
        yield
