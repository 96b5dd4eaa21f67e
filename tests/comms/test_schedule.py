"""The schedule: each run of each job is enqueued once, however many workers ask and however
long they were away."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from putright.comms.models import Job
from putright.worker import schedule
from tests.comms.helpers import at_once

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)
EVERY_JOB = [
    "deliver-due-emails",
    "sweep-deadlines",
    "send-daily-digests",
    "housekeeping",
    "verify-timeline-chains",  # issue 15, audit
]


def enqueued() -> Counter[str]:
    return Counter(
        path.rsplit(".", 1)[-1] for path in DBTaskResult.objects.values_list("task_path", flat=True)
    )


def test_a_second_check_in_the_same_minute_enqueues_nothing_more():
    with time_machine.travel(START, tick=False) as clock:
        assert schedule.run_due_jobs() == EVERY_JOB  # the first check starts every job
        clock.shift(dt.timedelta(seconds=30))
        assert schedule.run_due_jobs() == []
    assert enqueued() == {
        "deliver_due_emails": 1,
        "sweep_deadlines": 1,
        "send_daily_digests": 1,
        "housekeeping": 1,
        "verify_timeline_chains": 1,
    }
    assert Job.objects.get(name="deliver-due-emails").next_run_at == START + dt.timedelta(minutes=1)
    assert Job.objects.get(name="housekeeping").next_run_at == START + dt.timedelta(days=1)
    assert Job.objects.get(name="verify-timeline-chains").next_run_at == START + dt.timedelta(days=7)


@pytest.mark.django_db(transaction=True)
def test_workers_checking_at_the_same_moment_enqueue_each_job_once():
    """Four workers (threads, each with its own connection) check together: first when no job has
    run yet (each races to create the job's row), then a minute later when one job is due again."""
    for now, expected in (
        (START, EVERY_JOB),
        (START + dt.timedelta(minutes=1), ["deliver-due-emails"]),
    ):
        started = at_once(lambda now=now: schedule.run_due_jobs(now), count=4)
        assert sorted(name for names in started for name in names) == sorted(expected)  # type: ignore[attr-defined]
    assert enqueued() == {
        "deliver_due_emails": 2,
        "sweep_deadlines": 1,
        "send_daily_digests": 1,
        "housekeeping": 1,
        "verify_timeline_chains": 1,
    }
    assert Job.objects.get(name="deliver-due-emails").next_run_at == START + dt.timedelta(minutes=2)


def test_each_job_runs_at_its_own_interval():
    with time_machine.travel(START, tick=False) as clock:
        schedule.run_due_jobs()
        started = Counter()
        for _ in range(60):  # an hour, checked every minute
            clock.shift(dt.timedelta(minutes=1))
            started.update(schedule.run_due_jobs())
    assert started == {"deliver-due-emails": 60, "sweep-deadlines": 4, "send-daily-digests": 4}


def test_after_a_three_hour_pause_each_due_job_runs_once_not_once_per_missed_turn():
    with time_machine.travel(START, tick=False) as clock:
        schedule.run_due_jobs()
        clock.shift(dt.timedelta(hours=3))
        assert schedule.run_due_jobs() == ["deliver-due-emails", "sweep-deadlines", "send-daily-digests"]
        assert schedule.run_due_jobs() == []
        clock.shift(dt.timedelta(minutes=1))
        assert schedule.run_due_jobs() == ["deliver-due-emails"]
    assert enqueued() == {
        "deliver_due_emails": 3,
        "sweep_deadlines": 2,
        "send_daily_digests": 2,
        "housekeeping": 1,
        "verify_timeline_chains": 1,
    }


def test_the_sweep_interval_is_a_setting(settings):
    settings.PUTRIGHT_SWEEP_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        schedule.run_due_jobs()
        clock.shift(dt.timedelta(minutes=5))
        assert "sweep-deadlines" in schedule.run_due_jobs()
