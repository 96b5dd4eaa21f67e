"""``putright worker``: run background tasks and start the recurring jobs when they are due.

Two things run side by side in one process. A scheduler thread calls
``schedule.run_due_jobs`` every ``--interval`` seconds (cheap: one UPDATE per
job; several workers may run it, each run is enqueued once). The main thread
runs the task queue's own worker: django-tasks-db's ``Worker`` for the database
queue, or django-rq's ``rqworker`` when PUTRIGHT_TASKS=redis. SIGTERM or
SIGINT stops both after the task in hand (a second signal stops at once).

``--once`` runs the due jobs and every task that is ready, then exits: for
tests, and for a cron line where no long-running process is wanted.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from putright.worker.schedule import run_due_jobs

logger = logging.getLogger("putright.worker")


class Scheduler(threading.Thread):
    """Calls ``run_due_jobs`` now and every ``interval`` seconds until stopped."""

    def __init__(self, interval: float) -> None:
        super().__init__(name="putright-scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.tick()
                self.stopping.wait(self.interval)
        finally:
            connections.close_all()  # this thread's own connections

    def tick(self) -> None:
        try:
            started = run_due_jobs()
        except Exception:
            # A database that is briefly away must not end the schedule: try again next tick.
            logger.exception("The scheduler could not check the jobs; trying again in %ss", self.interval)
            connections.close_all()
            return
        if started:
            logger.info("Scheduled: %s", ", ".join(started))

    def stop(self) -> None:
        self.stopping.set()


class TaskWorker(DatabaseWorker):
    """django-tasks-db's worker, which also stops the scheduler when it is told to stop."""

    def __init__(self, scheduler: Scheduler | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scheduler = scheduler

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        super().shutdown(signum, frame)


class Command(BaseCommand):
    help = "Run background tasks (email delivery, the deadline sweep, digests) and the recurring jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Start the jobs that are due, run every task that is ready, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=15.0,
            help="Seconds between checks for due jobs (default 15).",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=1.0,
            help="Seconds the database queue waits when it is empty (default 1).",
        )

    def handle(self, *args: Any, once: bool, interval: float, poll: float, **options: Any) -> None:
        if interval <= 0 or poll < 0:
            raise CommandError("--interval must be above 0 and --poll 0 or more")
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if once:
            started = run_due_jobs()
            logger.info("Scheduled: %s", ", ".join(started) or "nothing due")
            self._run_tasks(backend, scheduler=None, once=True, poll=poll)
            return
        scheduler = Scheduler(interval)
        logger.info(
            "putright worker starting: %s queue, due jobs checked every %ss", _kind(backend), interval
        )
        scheduler.start()
        try:
            self._run_tasks(backend, scheduler=scheduler, once=False, poll=poll)
        finally:
            scheduler.stop()
            scheduler.join(timeout=30)
            logger.info("putright worker stopped")

    def _run_tasks(self, backend: object, *, scheduler: Scheduler | None, once: bool, poll: float) -> None:
        if isinstance(backend, DatabaseBackend):
            worker = TaskWorker(
                scheduler,
                queue_names=["*"],
                interval=poll,
                batch=once,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=not once,
                max_tasks=None,
                worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
            if not once:
                worker.configure_signals()
            worker.run()
        elif _kind(backend) == "redis":
            # rq installs its own SIGTERM/SIGINT handling (finish the job in hand, then stop).
            queues = sorted(getattr(backend, "queues", None) or ["default"])
            call_command("rqworker", *queues, job_class="django_tasks_rq.Job", burst=once)
        else:
            raise CommandError(f"putright worker cannot run tasks for {type(backend).__name__}")


def _kind(backend: object) -> str:
    if isinstance(backend, DatabaseBackend):
        return "database"
    return "redis" if type(backend).__module__.startswith("django_tasks_rq") else type(backend).__name__
