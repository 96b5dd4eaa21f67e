"""issue 15, audit: every timeline event is chained to its case's previous one, and a change shows.

Cases are driven through the real services (tests/cases/conftest.py's journey); tampering is
done as an attacker with database access would: a plain queryset update or raw SQL.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.cases.models import Complaint, TimelineEvent
from putright.cases.models.timeline import stored_head
from putright.cases.selectors.chain import verify
from putright.cases.services import investigation
from putright.cases.services.redaction import redact_event_text
from putright.comms.models import Job
from putright.procedure import chain
from putright.worker import schedule, tasks
from tests.cases.helpers import at
from tests.cases.test_concurrency import run_together


def events_of(complaint: Complaint) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(complaint=complaint).order_by("pk"))


def check(complaint: Complaint):
    return verify(Complaint.objects.filter(pk=complaint.pk))


@contextmanager
def as_database_owner():
    """Tamper as a superuser could: on PostgreSQL, with the trigger that refuses changes not fired."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")


def sql(statement: str, *params: object) -> None:
    with as_database_owner(), connection.cursor() as cursor:
        cursor.execute(statement.replace("{t}", TimelineEvent._meta.db_table), params)


def rewrite(event: TimelineEvent, **values: object) -> None:
    """Change a stored event past the model's refusal (and PostgreSQL's)."""
    with as_database_owner():
        models.QuerySet(TimelineEvent).filter(pk=event.pk).update(**values)


def test_each_event_of_a_new_case_chains_to_the_one_before(journey):
    complaint = journey.until("contacted")
    events = events_of(complaint)
    assert len(events) >= 3
    previous = chain.GENESIS
    for event in events:
        assert event.text_digest == chain.text_digest(event.summary, event.data)
        content = chain.content(
            complaint=complaint.pk,
            kind=event.kind,
            stage=event.stage_number,
            occurred_at=event.occurred_at,
            actor=event.actor_id,
            actor_label=event.actor_label,
            text=event.text_digest,
        )
        assert event.hash == chain.event_hash(previous, content)
        previous = event.hash
    result = check(complaint)
    assert result.ok and (result.cases, result.events) == (1, len(events))


def test_the_models_own_update_is_still_refused(journey):
    complaint = journey.until("accepted")
    with pytest.raises(TypeError, match="never changed"):
        TimelineEvent.objects.filter(complaint=complaint).update(summary="x")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_still_refuses_a_changed_text_or_hash_outside_the_redaction(journey):
    complaint = journey.until("accepted")
    first = events_of(complaint)[0]
    for change in ({"summary": "x"}, {"hash": "0" * 64}, {"text_digest": ""}):
        with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
            models.QuerySet(TimelineEvent).filter(pk=first.pk).update(**change)


def test_a_changed_summary_is_named_by_case_and_position(journey):
    complaint = journey.until("contacted")
    second = events_of(complaint)[1]
    rewrite(second, summary="Nothing happened")
    [broken] = check(complaint).broken
    assert (broken.reference, broken.position, broken.event_id) == (complaint.reference, 2, second.pk)
    assert broken.problem == "text changed"
    assert broken.expected == second.text_digest


def test_a_changed_date_by_raw_sql_breaks_that_link(journey):
    complaint = journey.until("contacted")
    third = events_of(complaint)[2]
    sql("UPDATE {t} SET occurred_at = %s WHERE id = %s", "2020-01-01 00:00:00+00:00", third.pk)
    [broken] = check(complaint).broken
    assert (broken.position, broken.problem, broken.found) == (3, "link broken", third.hash)


def test_a_deleted_event_breaks_the_link_of_the_one_after(journey):
    complaint = journey.until("contacted")
    events = events_of(complaint)
    sql("DELETE FROM {t} WHERE id = %s", events[1].pk)
    [broken] = check(complaint).broken
    assert (broken.position, broken.event_id, broken.problem) == (2, events[2].pk, "link broken")


def test_two_events_swapped_are_found_at_the_first_of_them(journey):
    complaint = journey.until("contacted")
    a, b = events_of(complaint)[1:3]
    sql("UPDATE {t} SET id = %s WHERE id = %s", -1, a.pk)
    sql("UPDATE {t} SET id = %s WHERE id = %s", a.pk, b.pk)
    sql("UPDATE {t} SET id = %s WHERE id = %s", b.pk, -1)
    [broken] = check(complaint).broken
    assert broken.position == 2 and broken.problem == "link broken"


def test_a_redacted_text_is_gone_and_the_chain_still_holds(journey, officer):
    complaint = journey.until("contacted")
    first = events_of(complaint)[0]
    redaction = redact_event_text(first, "[removed]", officer, "retention period ended")
    first.refresh_from_db()
    assert first.summary == "[removed]" and first.data == {}
    assert redaction.data == {
        "event": first.pk,
        "reason": "retention period ended",
        "text_digest": first.text_digest,
    }
    assert events_of(complaint)[-1] == redaction
    assert check(complaint).ok
    # Any other change of text is still tampering.
    second = events_of(complaint)[1]
    rewrite(second, summary="rewritten")
    [broken] = check(complaint).broken
    assert (broken.position, broken.problem) == (2, "text changed")


def test_a_redaction_needs_a_reason_and_changes_nothing_without_one(journey, officer):
    complaint = journey.until("accepted")
    count = complaint.timeline.count()
    first = events_of(complaint)[0]
    with pytest.raises(ValueError, match="reason"):
        redact_event_text(first, "[removed]", officer, " ")
    assert complaint.timeline.count() == count
    first.refresh_from_db()
    assert first.summary != "[removed]"


@pytest.mark.django_db(transaction=True)
def test_two_contacts_recorded_at_once_chain_one_after_the_other(journey, officer, second_officer):
    with at("Wed 2026-03-04 09:00"):
        complaint = journey.until("contacted")
        before = complaint.timeline.count()

        def contact(actor, words):
            def job(barrier: threading.Barrier) -> object:
                seen = Complaint.objects.get(pk=complaint.pk)
                barrier.wait()
                return investigation.record_contact(seen, method="phone", summary=words, actor=actor)

            return job

        results = run_together(
            contact(officer, "Called Olivia"), contact(second_officer, "Called her landlord")
        )
    assert not [r for r in results if isinstance(r, Exception)], results
    events = events_of(complaint)
    assert len(events) >= before + 2
    hashes = [e.hash for e in events]
    assert len(set(hashes)) == len(hashes)
    assert check(complaint).ok


def test_the_worker_checks_weekly_and_health_reports_it(journey, client):
    assert any(j.name == tasks.AUDIT_JOB and j.every.days == 7 for j in schedule.recurring())
    assert client.get("/health").json()["background"]["timeline_chains"] == {
        "last_verified": None,
        "result": "never run",
    }
    complaint = journey.until("contacted")
    assert tasks.verify_timeline_chains.call()["ok"] is True
    shown = client.get("/health").json()["background"]["timeline_chains"]
    assert shown["result"] == "ok" and shown["cases"] == 1 and shown["last_verified"]

    second = events_of(complaint)[1]
    rewrite(second, summary="rewritten")
    assert tasks.verify_timeline_chains.call()["ok"] is False
    response = client.get("/health")
    assert response.status_code == 200  # liveness does not fail for it
    shown = response.json()["background"]["timeline_chains"]
    assert shown["result"] == "broken" and shown["broken"] == 1
    assert shown["first_broken"][0].startswith(
        f"{complaint.reference}: event 2 (id {second.pk}): text changed"
    )
    assert Job.objects.get(name=tasks.AUDIT_JOB).last_result["ok"] is False
    assert client.get("/ready").status_code == 200


def test_the_weekly_check_runs_in_slices_and_lets_the_worker_send_between_them(journey, client, monkeypatch):
    """issue 16: a pass over a million cases is many short runs, each of AUDIT_SLICE cases; between
    them the job is due at once (so the schedule's next look, by any worker, claims the next slice and
    emails due meanwhile go first), and /health shows a pass only when it is whole."""
    monkeypatch.setattr(tasks, "AUDIT_SLICE", 2)
    first, second, third = (journey.until("contacted") for _ in range(3))
    rewrite(events_of(first)[1], summary="rewritten")

    assert tasks.verify_timeline_chains.call()["checked_up_to"] == second.pk
    assert client.get("/health").json()["background"]["timeline_chains"]["result"] == "never run"
    job = next(j for j in schedule.recurring() if j.name == tasks.AUDIT_JOB)
    assert schedule.claim_run(job, timezone.now()), "the next slice is due at once"

    whole = tasks.verify_timeline_chains.call()
    assert (whole["ok"], whole["cases"], whole["broken"]) == (False, 3, 1), (
        "the first slice's finding is kept"
    )
    assert whole["first_broken"][0].startswith(f"{first.reference}: event 2")
    shown = client.get("/health").json()["background"]["timeline_chains"]
    assert (shown["result"], shown["cases"]) == ("broken", 3)
    assert "running" not in Job.objects.get(name=tasks.AUDIT_JOB).last_result

    rewrite(events_of(third)[0], summary="rewritten too")
    assert tasks.verify_timeline_chains.call()["checked_up_to"] == second.pk, (
        "a new pass starts from the first case"
    )
    shown = client.get("/health").json()["background"]["timeline_chains"]
    assert (shown["result"], shown["broken"]) == ("broken", 1), "the last whole pass stays on show meanwhile"
    assert tasks.verify_timeline_chains.call()["broken"] == 2


BEFORE = ("cases", "0021_merge_subject_access_and_report_indexes")
AFTER = ("cases", "0022_timeline_chain")


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_written_before_it(journey):
    first = journey.until("contacted")
    second = journey.until("accepted")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        # The old version's events: no digest, no hash (the columns are gone).
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {TimelineEvent._meta.db_table}")  # noqa: S608
            assert cursor.fetchone()[0] == first.timeline.count() + second.timeline.count()
        executor.loader.build_graph()
        executor.migrate([AFTER])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    result = verify()
    assert result.ok and result.cases == 2
    assert not TimelineEvent.objects.filter(hash="").exists()


def test_a_new_complaints_first_event_is_chained_from_the_genesis_without_reading_a_head(log):
    """issue 16: no one else can see a complaint inserted in this transaction, so logging one
    neither locks nor reads its chain head; the head it stores is the first event's."""
    with CaptureQueriesContext(connection) as captured:
        complaint = log("2026-03-02 10:00")
    reads = [q["sql"] for q in captured if q["sql"].startswith("SELECT") and "cases_chainhead" in q["sql"]]
    assert not reads, reads
    (first,) = events_of(complaint)
    assert first.hash == chain.event_hash(
        chain.GENESIS,
        chain.content(
            complaint=complaint.pk,
            kind=first.kind,
            stage=first.stage_number,
            occurred_at=first.occurred_at,
            actor=first.actor_id,
            actor_label=first.actor_label,
            text=chain.text_digest(first.summary, first.data),
        ),
    )
    assert stored_head(complaint.pk) == (first.hash, 1)
    assert check(complaint).ok
