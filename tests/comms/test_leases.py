"""Leases and claims: one holder at a time, a dead holder's lease lapses, and two workers asking
at the same moment (two threads, two database connections) never both win."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from putright.comms import leases
from putright.comms.email import delivery, outbox
from putright.comms.models import Job
from tests.comms.helpers import at_once, letter_email

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_one_holder_at_a_time_until_the_lease_lapses():
    now = timezone.now()
    assert leases.take("sweep", "worker-a", 5 * MINUTE, now=now)
    assert not leases.take("sweep", "worker-b", 5 * MINUTE, now=now + MINUTE)
    assert leases.take("sweep", "worker-a", 5 * MINUTE, now=now + MINUTE)  # the holder may renew
    # worker-a dies: its lease lapses and worker-b may take over.
    assert leases.take("sweep", "worker-b", 5 * MINUTE, now=now + 7 * MINUTE)
    leases.release("sweep", "worker-a")  # a late release by the old holder changes nothing
    assert Job.objects.get(name="sweep").leased_by == "worker-b"
    leases.release("sweep", "worker-b", {"reminders": 3})
    job = Job.objects.get(name="sweep")
    assert (job.leased_by, job.leased_until, job.last_result) == ("", None, {"reminders": 3})
    assert leases.take("sweep", "worker-c", 5 * MINUTE)


@pytest.mark.django_db
def test_held_runs_the_work_only_for_the_holder_and_gives_the_lease_back():
    with leases.held("digest", 5 * MINUTE) as mine:
        assert mine
        with leases.held("digest", 5 * MINUTE) as also_mine:
            assert not also_mine
    assert Job.objects.get(name="digest").leased_until is None


@pytest.mark.django_db
def test_a_message_claimed_once_cannot_be_claimed_again():
    email = outbox.queue(letter_email(), purpose="letter")
    assert delivery.claim(email.pk) is not None
    assert delivery.claim(email.pk) is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_message_at_once_one_wins():
    for _ in range(5):
        email = outbox.queue(letter_email(), purpose="letter")
        assert sorted(at_once(lambda pk=email.pk: delivery.claim(pk) is not None, count=4)) == [
            False,
            False,
            False,
            True,
        ]


def _taker(name: str):
    """A ``take`` for each thread, each under its own holder name."""
    holders = iter(f"worker-{i}" for i in range(100))
    lock = threading.Lock()

    def take() -> bool:
        with lock:
            holder = next(holders)
        return leases.take(name, holder, 5 * MINUTE)

    return take


@pytest.mark.django_db(transaction=True)
def test_two_workers_taking_one_lease_at_once_one_wins():
    for n in range(5):
        Job.objects.create(name=f"sweep-{n}", next_run_at=timezone.now())
        assert sorted(at_once(_taker(f"sweep-{n}"), count=4)) == [False, False, False, True]
