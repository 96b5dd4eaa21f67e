"""Idempotency-Key: a write sent twice (a retry, a second click) happens once, with the same answer."""

from __future__ import annotations

import pytest

from putright.api.models import IdempotencyRecord
from putright.cases.models import Complaint, Contact, EventKind, TimelineEvent
from tests.api.helpers import Journey, is_problem, iso
from tests.cases.helpers import at, snapshot

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-04 12:00"


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


@pytest.fixture
def new_complaint(customer):
    """The body of a complaint received on Mon 2 March 2026 at 10:00."""
    return {
        "organisation": "VHT",
        "customer_id": customer.pk,
        "channel": "phone",
        "received_at": iso("Mon 2026-03-02 10:00"),
        "category": "service_failure",
        "summary": "Leaking roof not repaired",
        "description": "The roof has leaked since January.",
        "points": ["The repair was not done"],
    }


def test_the_same_key_and_body_twice_logs_one_complaint_and_answers_the_same(api, frontline, new_complaint):
    fran = api.as_(frontline)
    with at(NOW):
        first = fran.post("complaints", new_complaint, idempotency_key="intake-0001")
    with at("Wed 2026-03-04 12:05"):  # the retry comes five minutes later
        second = fran.post("complaints", new_complaint, idempotency_key="intake-0001")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert Complaint.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=EventKind.COMPLAINT_LOGGED).count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_replayed_answer_is_byte_for_byte_the_first_at_the_real_time(api, frontline, new_complaint):
    """Without time travel the instants carry microseconds: the replay must not lose them."""
    fran = api.as_(frontline)
    del new_complaint["received_at"]  # received now, to the microsecond
    first = fran.post("complaints", new_complaint, idempotency_key="intake-now")
    second = fran.post("complaints", new_complaint, idempotency_key="intake-now")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert Complaint.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused_and_nothing_is_done(api, frontline, new_complaint):
    fran = api.as_(frontline)
    with at(NOW):
        first = fran.post("complaints", new_complaint, idempotency_key="intake-0002")
        other = fran.post(
            "complaints", {**new_complaint, "summary": "Something else"}, idempotency_key="intake-0002"
        )

    body = is_problem(other, 422, "idempotency-key-reused")
    assert "intake-0002" in body["detail"]
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().summary == "Leaking roof not repaired"
    assert TimelineEvent.objects.count() == 1
    # The first answer is still the one the key gives.
    with at(NOW):
        again = fran.post("complaints", new_complaint, idempotency_key="intake-0002")
    assert again.json() == first.json()


def test_the_same_key_on_another_endpoint_is_refused(api, officer, journey):
    case = journey.until("accepted")
    olivia = api.as_(officer)
    with at(NOW):
        contact = olivia.post(
            f"complaints/{case['reference']}/contacts",
            {"version": case["version"], "method": "phone", "summary": "Called"},
            idempotency_key="shared",
        )
        evidence = olivia.post(
            f"complaints/{case['reference']}/evidence-requests",
            {"version": contact.json()["version"], "description": "Photos of the roof"},
            idempotency_key="shared",
        )
    assert contact.status_code == 200
    is_problem(evidence, 422, "idempotency-key-reused")
    assert not TimelineEvent.objects.filter(kind=EventKind.EVIDENCE_REQUESTED).exists()


def test_different_users_may_use_the_same_key_independently(api, frontline, officer, new_complaint):
    with at(NOW):
        by_fran = api.as_(frontline).post("complaints", new_complaint, idempotency_key="k-1")
        by_olivia = api.as_(officer).post(
            "complaints", {**new_complaint, "summary": "Another"}, idempotency_key="k-1"
        )

    assert (by_fran.status_code, by_olivia.status_code) == (201, 201)
    assert by_fran.json()["reference"] != by_olivia.json()["reference"]
    assert sorted(Complaint.objects.values_list("summary", flat=True)) == [
        "Another",
        "Leaking roof not repaired",
    ]


def test_a_step_repeated_with_the_same_key_happens_once(api, officer, journey):
    case = journey.until("accepted")
    olivia = api.as_(officer)
    payload = {"version": case["version"], "method": "phone", "summary": "Talked it through"}

    with at("Tue 2026-03-03 09:30"):
        first = olivia.post(f"complaints/{case['reference']}/contacts", payload, idempotency_key="call-1")
    with at("Tue 2026-03-03 09:31"):
        second = olivia.post(f"complaints/{case['reference']}/contacts", payload, idempotency_key="call-1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert first.json()["version"] == case["version"] + 1
    complaint = Complaint.objects.get(reference=case["reference"])
    assert complaint.version == case["version"] + 1
    assert complaint.timeline.filter(kind=EventKind.CONTACT_RECORDED).count() == 1
    assert Contact.objects.filter(complaint=complaint).count() == 1
    # Without a key the same body is a new request: refused now, as the version is old.
    with at("Tue 2026-03-03 09:32"):
        third = olivia.post(f"complaints/{case['reference']}/contacts", payload)
    assert is_problem(third, 409, "stale-version")["current_version"] == case["version"] + 1


def test_a_refused_request_does_not_use_up_its_key(api, officer, journey):
    case = journey.until("accepted")
    olivia = api.as_(officer)
    path = f"complaints/{case['reference']}/contacts"
    before = snapshot(Complaint.objects.get(reference=case["reference"]))

    with at(NOW):
        stale = olivia.post(
            path, {"version": case["version"] - 1, "method": "phone", "summary": "x"}, idempotency_key="k"
        )
    is_problem(stale, 409, "stale-version")
    assert snapshot(Complaint.objects.get(reference=case["reference"])) == before
    assert not IdempotencyRecord.objects.exists()

    with at(NOW):
        fixed = olivia.post(
            path, {"version": case["version"], "method": "phone", "summary": "x"}, idempotency_key="k"
        )
    assert fixed.status_code == 200


def test_a_key_longer_than_200_characters_is_422(api, frontline, new_complaint):
    with at(NOW):
        reply = api.as_(frontline).post("complaints", new_complaint, idempotency_key="k" * 201)
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == ["Idempotency-Key"]
    assert Complaint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_the_same_key_at_the_same_moment_act_once(api, officer, journey):
    import threading

    from django.db import connection

    case = journey.until("accepted")
    payload = {"version": case["version"], "method": "phone", "summary": "Called at once"}
    barrier = threading.Barrier(2)
    replies: list = []

    def send() -> None:
        try:
            olivia = api.as_(officer)
            barrier.wait(timeout=10)
            replies.append(
                olivia.post(f"complaints/{case['reference']}/contacts", payload, idempotency_key="dup")
            )
        finally:
            connection.close()

    with at("Tue 2026-03-03 09:30"):
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert sorted(r.status_code for r in replies) == [200, 200]
    assert replies[0].json() == replies[1].json()
    complaint = Complaint.objects.get(reference=case["reference"])
    assert Contact.objects.filter(complaint=complaint).count() == 1
    assert complaint.version == case["version"] + 1
