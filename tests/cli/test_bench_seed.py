"""``putright bench seed``: a database filled at scale, as rich as the demo, the same for a seed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F

from putright.accounts.models import HomesCount, Organisation, OrganisationKind, Role, User
from putright.bench.seeding import Writer, seed
from putright.bench.stories import MODELS, Generator
from putright.bench.world import build_world
from putright.cases import search_index
from putright.cases.bulk import Table, write_order
from putright.cases.models import (
    Action,
    Complaint,
    Contact,
    Customer,
    Deadline,
    Extension,
    Point,
    PointOutcome,
    Stage,
    TimelineEvent,
)
from putright.learning.models import LearningAction, LearningActionLink, PointLearning, Remedy
from putright.procedure.states import State
from tests.complaint_copies import assert_every_copy_is_its_complaints

NOW = dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC)  # a Monday


def test_300_complaints_hold_every_state_and_open_on_every_page(db, client):
    """One fill (the slow part) checked for each thing a report or a page needs."""
    filled = seed(300, seed=7, now=NOW, batch=120)
    assert filled.rows["cases.Complaint"] == 300
    every_state_and_what_each_stage_brings()
    deadlines_met_on_time_late_open_and_missed()
    learning_remedies_and_homes()
    the_pages_open(client)
    every_timeline_chain_holds_across_batches()
    assert_every_copy_is_its_complaints()  # issue 16, dash


def every_timeline_chain_holds_across_batches():
    """issue 15, audit: rows written in bulk are chained as the services chain them."""
    from putright.cases.selectors.chain import verify

    result = verify()
    assert result.ok, result.broken
    assert result.cases == 300 and result.events == TimelineEvent.objects.count()


def every_state_and_what_each_stage_brings():
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == {s.value for s in State}
    assert Stage.objects.filter(number=2).exists() and Stage.objects.filter(number=3).exists()
    stages = Stage.objects.count()
    acknowledged = Stage.objects.filter(acknowledged_at__isnull=False)
    assert acknowledged.count() > stages * 0.7
    assert set(acknowledged.values_list("acknowledged_via", flat=True)) == {"letter", "contact", "recorded"}
    assert Contact.objects.filter(acknowledges=True).exists()
    assert Extension.objects.exclude(reason="").exists()
    assert PointOutcome.objects.filter(outcome="upheld").exists()
    assert set(PointOutcome.objects.values_list("outcome", flat=True)) == {
        "upheld",
        "partially_upheld",
        "not_upheld",
    }
    not_accepted = Complaint.objects.filter(state=State.NOT_ACCEPTED)
    assert not not_accepted.filter(exclusion_reason="").exists()
    assert set(Complaint.objects.values_list("stock_type", flat=True)) == {"lcra", "lcho", ""}
    assert Action.objects.filter(completed_at__isnull=True).exists()
    assert Customer.objects.annotate(n=Count("complaints")).filter(n__gt=1).exists()
    assert TimelineEvent.objects.count() > 3 * Complaint.objects.count()


def deadlines_met_on_time_late_open_and_missed():
    deadlines = Deadline.objects.filter(cancelled_at__isnull=True)
    assert deadlines.filter(met_at__lte=F("due_at")).exists()
    assert deadlines.filter(met_at__gt=F("due_at")).exists()
    assert deadlines.filter(met_at__isnull=True, due_at__gt=NOW).exists()
    assert deadlines.filter(met_at__isnull=True, due_at__lt=NOW).exists()
    assert Deadline.objects.filter(cancelled_at__isnull=False).exists()
    # Open complaints carry their nearest deadline, for the lists' index.
    assert Complaint.objects.filter(state=State.STAGE1, next_due_at__isnull=False).exists()


def learning_remedies_and_homes():
    assert PointLearning.objects.filter(theme__isnull=False, service_area__isnull=False).exists()
    assert PointLearning.objects.filter(root_cause__isnull=False).exists()
    money = Remedy.objects.filter(remedy_type="financial")
    assert money.filter(amount__gt=0, status="paid").exists()
    assert Remedy.objects.filter(remedy_type="apology").exists()
    assert LearningAction.objects.exists() and LearningActionLink.objects.exists()
    landlords = Organisation.objects.filter(kind=OrganisationKind.LANDLORD)
    assert landlords.count() == 3
    for landlord in landlords:
        years = set(HomesCount.objects.filter(organisation=landlord).values_list("year", "stock_type"))
        assert {(2025, "lcra"), (2025, "lcho"), (2021, "lcra"), (2021, "lcho")} <= years
    assert User.objects.count() > 200


def test_the_same_seed_draws_the_same_rows_and_another_seed_others(db):
    def rows(seed_value: int) -> dict[str, list[list[object]]]:
        world = build_world("bench-password-1", NOW.date(), 5)
        tables = {model: Table(model, NOW) for model in MODELS}
        generator = Generator(world, tables, seed_value, NOW, 5)
        for _ in range(60):
            generator.complaint()
        return {model._meta.label: table.rows for model, table in tables.items()}

    first = rows(11)
    assert first["cases.Complaint"]
    assert rows(11) == first
    assert rows(12)["cases.Complaint"] != first["cases.Complaint"]


def the_pages_open(client):
    manager = User.objects.get(username="rachel.turner")
    assert manager.role == Role.SENIOR_MANAGER
    client.force_login(manager)
    assert client.get("/work/").status_code == 200
    assert client.get("/work/complaints/").status_code == 200
    for state in State:
        reference = Complaint.objects.filter(state=state).values_list("reference", flat=True).first()
        response = client.get(f"/work/complaints/{reference}/")
        assert response.status_code == 200, (state, reference)


def test_a_database_with_complaints_is_refused_unless_appending(db):
    out = io.StringIO()
    call_command("bench", "seed", "--complaints", "30", stdout=out, stderr=io.StringIO())
    assert "complaints a second" in out.getvalue()
    with pytest.raises(CommandError, match="already has 30 complaints"):
        call_command("bench", "seed", "--complaints", "10", stdout=io.StringIO())
    assert Complaint.objects.count() == 30
    call_command("bench", "seed", "--complaints", "20", "--append", stdout=out, stderr=io.StringIO())
    assert Complaint.objects.count() == 50
    references = Complaint.objects.values("reference").annotate(n=Count("id")).filter(n__gt=1)
    assert not references.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stat_xact_user_tables is PostgreSQL's")
def test_each_complaints_search_document_is_written_once_and_whole(db):
    """Points and contacts are written before their complaints (``cases.bulk.write_order``), so
    the search triggers build each document once, with every word in it, instead of once with
    the complaint, again with its points and again with its contacts (two dead rows each)."""
    already = search_writes()
    seed(120, seed=5, now=NOW)
    inserted, updated = (after - before for after, before in zip(search_writes(), already, strict=True))
    assert (inserted, updated) == (120, 0)
    before = documents()
    search_index.rebuild(connection)
    assert documents() == before  # whole: as a rebuild from the complaints' rows makes them


def search_writes() -> tuple[int, int]:
    """The search table's rows inserted and updated so far in this transaction (the test's
    transaction may hold other tests' writes, so a test compares before and after)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s",
            [search_index.TABLE],
        )
        return cursor.fetchone()


def documents() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT complaint_id, document::text FROM {search_index.TABLE}")  # noqa: S608
        return dict(cursor.fetchall())


def test_points_and_contacts_are_written_before_their_complaints_and_customers_before_both():
    order = write_order(MODELS)
    assert sorted(order, key=str) == sorted(MODELS, key=str)
    at = {model: order.index(model) for model in order}
    assert at[Customer] < at[Point] < at[Complaint] and at[Contact] < at[Complaint]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the background writer is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_batches_are_written_in_the_background_and_chain_across_them():
    """Batch N is written on a connection of its own while batch N+1 is made: every row arrives,
    every timeline chain holds across batches, the search finds them, and the writer's
    connection is closed at the end."""
    from putright.cases.selectors.chain import verify

    assert Writer.can_overlap()
    others = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
    others += "AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        cursor.execute(others)
        before = cursor.fetchone()[0]  # another test's server thread may still hold one open
    filled = seed(250, seed=9, now=NOW, batch=60)
    assert filled.rows["cases.Complaint"] == Complaint.objects.count() == 250
    assert filled.rows["cases.TimelineEvent"] == TimelineEvent.objects.count()
    assert filled.rows["cases.Point"] == Point.objects.count()
    assert filled.database_cpu_seconds is not None
    result = verify()
    assert result.ok, result.broken
    assert result.cases == 250
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search_index.TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 250
        cursor.execute(others)
        assert cursor.fetchone()[0] == before
