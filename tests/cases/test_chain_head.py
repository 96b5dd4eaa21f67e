"""issue 15, chainhead: each case's chain head is stored, so deleting its latest events shows.

Tampering is done as an attacker with database access would: raw SQL, past PostgreSQL's
trigger (tests/cases/test_audit_chain.py's ``sql``). Cases are driven through the real
services.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from putright.cases.models import ChainHead, Complaint, TimelineEvent
from putright.cases.selectors.chain import verify
from putright.cases.services import investigation
from putright.cases.services.redaction import redact_event_text
from putright.procedure import chain
from tests.cases.test_audit_chain import check, events_of, sql


def head_of(complaint: Complaint) -> ChainHead:
    return ChainHead.objects.get(complaint=complaint)


def test_every_append_moves_the_stored_head_to_the_latest_event(journey, officer):
    complaint = journey.until("contacted")
    events = events_of(complaint)
    head = head_of(complaint)
    assert (head.events, head.hash, head.signature) == (len(events), events[-1].hash, "")
    investigation.record_contact(complaint, method="phone", summary="Called back", actor=officer)
    latest = events_of(complaint)[-1]
    head.refresh_from_db()
    assert (head.events, head.hash) == (len(events) + 1, latest.hash)
    assert check(complaint).ok


def test_deleting_the_latest_event_is_named_by_case_and_where_the_chain_stops(journey):
    complaint = journey.until("contacted")
    other = journey.until("contacted")
    events = events_of(complaint)
    sql("DELETE FROM {t} WHERE id = %s", events[-1].pk)
    result = verify()
    [broken] = result.broken
    n = len(events) - 1
    assert (broken.reference, broken.position, broken.event_id) == (complaint.reference, n, events[-2].pk)
    assert broken.problem == f"events missing after #{n}"
    assert str(broken).startswith(
        f"{complaint.reference}: event {n} (id {events[-2].pk}): events missing after #{n}"
    )
    assert check(other).ok


def test_deleting_every_event_of_a_case_still_shows(journey):
    complaint = journey.until("accepted")
    sql("DELETE FROM {t} WHERE complaint_id = %s", complaint.pk)
    [broken] = check(complaint).broken
    assert (broken.reference, broken.problem) == (complaint.reference, "events missing after #0")


def test_an_event_appended_after_a_deletion_does_not_hide_it(journey, officer):
    complaint = journey.until("contacted")
    events = events_of(complaint)
    sql("DELETE FROM {t} WHERE id = %s", events[-1].pk)
    investigation.record_contact(complaint, method="phone", summary="Called back", actor=officer)
    [broken] = check(complaint).broken
    # The new event chains to the stored head, the deleted event's hash: its link breaks.
    assert (broken.position, broken.problem) == (len(events), "link broken")


def test_deleting_a_middle_event_is_still_caught_at_the_link(journey):
    complaint = journey.until("contacted")
    events = events_of(complaint)
    sql("DELETE FROM {t} WHERE id = %s", events[1].pk)
    [broken] = check(complaint).broken
    assert (broken.position, broken.event_id, broken.problem) == (2, events[2].pk, "link broken")


def test_a_deleted_head_is_named(journey):
    complaint = journey.until("accepted")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ChainHead._meta.db_table} WHERE complaint_id = %s", [complaint.pk])  # noqa: S608
    [broken] = check(complaint).broken
    assert (broken.reference, broken.problem) == (complaint.reference, "no stored head")


def test_a_redaction_keeps_the_head_and_the_chain_green(journey, officer):
    complaint = journey.until("contacted")
    first = events_of(complaint)[0]
    redaction = redact_event_text(first, "[removed]", officer, "retention period ended")
    head = head_of(complaint)
    assert (head.events, head.hash) == (len(events_of(complaint)), redaction.hash)
    assert check(complaint).ok


def test_with_a_key_the_head_is_signed_and_a_recomputed_chain_without_it_shows(journey, settings):
    settings.PUTRIGHT_AUDIT_KEY = "a secret from the environment"
    complaint = journey.until("contacted")
    events = events_of(complaint)
    head = head_of(complaint)
    key = settings.PUTRIGHT_AUDIT_KEY.encode()
    assert head.signature == chain.head_signature(key, complaint.pk, len(events), events[-1].hash)
    result = check(complaint)
    assert result.ok and result.keyed
    # A database administrator deletes the latest event and moves the head back, without the key.
    sql("DELETE FROM {t} WHERE id = %s", events[-1].pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ChainHead._meta.db_table} SET events = %s, hash = %s WHERE complaint_id = %s",  # noqa: S608
            [len(events) - 1, events[-2].hash, complaint.pk],
        )
    [broken] = check(complaint).broken
    assert broken.problem == "head signature does not match"
    # Without the key the same edit passes: what the unkeyed chain does not stand against.
    settings.PUTRIGHT_AUDIT_KEY = ""
    assert check(complaint).ok


BEFORE = ("cases", "0023_retention_fields")
AFTER = ("cases", "0024_chainhead_heads")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", ["", "a secret from the environment"])
def test_the_migration_fills_the_heads_of_cases_made_before_it(journey, settings, key):
    settings.PUTRIGHT_AUDIT_KEY = key
    first = journey.until("contacted")
    second = journey.until("accepted")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        executor.loader.build_graph()
        executor.migrate([AFTER])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    for complaint in (first, second):
        events = events_of(complaint)
        head = head_of(complaint)
        assert (head.events, head.hash) == (len(events), events[-1].hash)
        assert bool(head.signature) == bool(key)
    result = verify()
    assert result.ok and result.cases == 2
    # and the filled head still catches a deleted latest event
    sql("DELETE FROM {t} WHERE id = %s", events_of(first)[-1].pk)
    assert [b.reference for b in verify().broken] == [first.reference]


def test_the_bulk_writers_store_the_heads_of_the_cases_they_write(db):
    import datetime as dt

    from putright.bench.seeding import seed

    seed(30, seed=7, now=dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC), batch=7)  # cases across batches
    assert (
        ChainHead.objects.count() == Complaint.objects.filter(timeline__isnull=False).distinct().count() > 0
    )
    assert sum(ChainHead.objects.values_list("events", flat=True)) == TimelineEvent.objects.count()
    assert verify().ok


def test_the_checks_moment_is_the_rules_however_the_driver_gives_it():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from putright.cases.selectors.chain import _moment

    aware = dt.datetime(2026, 3, 29, 0, 30, 0, 1234, tzinfo=dt.UTC)
    expected = chain.utc_iso(aware)
    assert expected == "2026-03-29T00:30:00.001234+00:00"
    assert _moment(aware) == expected
    assert _moment(aware.replace(tzinfo=None)) == expected  # SQLite: naive, in UTC
    assert _moment(aware.astimezone(ZoneInfo("Europe/London"))) == expected
    assert _moment("2026-03-29 00:30:00.001234") == expected
    assert _moment(dt.datetime(2026, 3, 29, tzinfo=dt.UTC)) == "2026-03-29T00:00:00.000000+00:00"
