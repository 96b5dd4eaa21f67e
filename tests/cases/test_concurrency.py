"""Two people working on one complaint at once: a stale edit is refused, and nothing is ever lost.

These tests use real threads, each with its own database connection, on a real
(committed) database: the SQLite test database is a file, so threads share it
and its IMMEDIATE transactions queue the writers; on PostgreSQL the row lock
(select_for_update) does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from putright.cases.errors import StaleCase
from putright.cases.models import Action, Complaint, EventKind
from putright.cases.services import changes, responses
from tests.cases.helpers import at, day, kinds

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs: Callable[[threading.Barrier], object]) -> list[object]:
    """Run each job in its own thread, lined up at a barrier; return what each returned or raised."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results: list[object] = [None] * len(jobs)

    def work(index: int, job: Callable[[threading.Barrier], object]) -> None:
        try:
            results[index] = job(barrier)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a thread is stuck"
    return results


def test_two_edits_of_the_same_version_one_wins_and_the_other_is_told_to_reload(
    journey, senior, officer, second_officer
):
    with at("Wed 2026-03-04 09:00"):
        complaint = journey.until("contacted")
        version = complaint.version
        events = complaint.timeline.count()

        def reassign_to(owner):
            def job(barrier: threading.Barrier) -> object:
                seen = Complaint.objects.get(pk=complaint.pk)  # both read version N ...
                barrier.wait()  # ... then both act on it
                changes.reassign(seen, owner=owner, actor=senior, expected_version=seen.version)
                return owner

            return job

        results = run_together(reassign_to(second_officer), reassign_to(senior))

    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert isinstance(losers[0], StaleCase)
    assert (losers[0].expected, losers[0].actual) == (version, version + 1)
    assert losers[0].message == (
        "Someone else has changed this complaint since you opened it "
        f"(you saw version {version}, it is now version {version + 1}). "
        "Reload it to see their change, then try again."
    )
    complaint.refresh_from_db()
    assert complaint.owner == winners[0]
    assert complaint.version == version + 1
    assert complaint.timeline.count() == events + 1
    assert kinds(complaint)[-1] == EventKind.REASSIGNED


def test_two_actions_added_at_once_without_a_version_are_both_kept(journey, officer, second_officer):
    with at("Thu 2026-03-12 16:00"):
        complaint = journey.until("responded")
        version = complaint.version

        def add(description, owner):
            def job(barrier: threading.Barrier) -> object:
                barrier.wait()
                return responses.add_action(
                    Complaint.objects.get(pk=complaint.pk),
                    description=description,
                    due_on=day("Fri 2026-03-20"),
                    owner=owner,
                    actor=owner,
                )

            return job

        results = run_together(
            add("Repair the roof", officer), add("Refund the call-out fee", second_officer)
        )

    assert not [r for r in results if isinstance(r, Exception)], results
    complaint.refresh_from_db()
    assert complaint.version == version + 2
    assert sorted(Action.objects.filter(complaint=complaint).values_list("description", flat=True)) == [
        "Refund the call-out fee",
        "Repair the roof",
    ]
    assert kinds(complaint)[-2:] == [EventKind.ACTION_ADDED, EventKind.ACTION_ADDED]
