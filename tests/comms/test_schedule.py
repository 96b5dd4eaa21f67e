"""The schedule: each run of each job is enqueued once, however many workers ask and however
long they were away."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from putright.comms import schedule
from putright.comms.models import Job

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)
EVERY_JOB = ["deliver-due-emails", "sweep-deadlines", "send-daily-digests", "housekeeping"]


def enqueued() -> Counter[str]:
    return Counter(
        path.rsplit(".", 1)[-1] for path in DBTaskResult.objects.values_list("task_path", flat=True)
    )


def test_two_workers_checking_in_the_same_minute_enqueue_each_job_once():
    with time_machine.travel(START, tick=False) as clock:
        assert schedule.run_due_jobs() == EVERY_JOB  # the first check starts every job
        clock.shift(dt.timedelta(seconds=30))
        assert schedule.run_due_jobs() == []
    assert enqueued() == {
        "deliver_due_emails": 1,
        "sweep_deadlines": 1,
        "send_daily_digests": 1,
        "housekeeping": 1,
    }
    assert Job.objects.get(name="deliver-due-emails").next_run_at == START + dt.timedelta(minutes=1)
    assert Job.objects.get(name="housekeeping").next_run_at == START + dt.timedelta(days=1)


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
    }


def test_the_sweep_interval_is_a_setting(settings):
    settings.PUTRIGHT_SWEEP_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        schedule.run_due_jobs()
        clock.shift(dt.timedelta(minutes=5))
        assert "sweep-deadlines" in schedule.run_due_jobs()
