"""issue 16, search: the full-text index follows every change of the words it holds, in the
same transaction, whatever makes the change (a service, a queryset update, a bulk insert), and
forgets words that are blanked. Run on SQLite (FTS5) and PostgreSQL (tsvector and GIN)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from putright.cases import search_index
from putright.cases.bulk import skip_foreign_key_triggers
from putright.cases.models import Complaint, Contact, Customer, Point, copied_from
from putright.cases.selectors.search import text_matches
from putright.cases.services import investigation, points, triage
from putright.cases.services.customers import create_customer
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db


def found(text: str, *, notes: bool = False) -> set[str]:
    return set(Complaint.objects.filter(text_matches(text, notes=notes)).values_list("reference", flat=True))


@pytest.fixture
def mould(log, org):
    customer = create_customer(
        organisation=org, first_name="Zoë", last_name="O'Brien", phone="01603 222222", postcode="CB5 8AA"
    )
    with at("Mon 2026-03-02 11:00"):
        return log(
            "2026-03-02 10:00",
            customer=customer,
            summary="Mouldy bathroom ceiling",
            description="Black mould came back after the repair.",
            points=["The extractor fan was never fitted"],
        )


@pytest.fixture
def other(log):
    with at("Mon 2026-03-02 11:00"):
        return log(
            "2026-03-02 10:30", summary="Broken gate", description="The gate hinge snapped.", points=["Gate"]
        )


def test_the_start_of_a_word_finds_it_in_any_field(mould, other):
    ref = mould.reference
    assert found("mou") == {ref}, "the start of mould and mouldy"
    assert found("BATHROOM ceil") == {ref}, "every word typed, any case"
    assert found("extractor") == {ref}, "a point's words"
    assert found("zoe") == found("Zoë") == found("o'brien") == found("brien") == {ref}, "the customer's name"
    assert found("cb5") == found("CB5 8AA") == {ref}, "the postcode"
    assert found("ould") == set(), "the middle of a word is not searched (the index holds words)"
    assert found("mould gate") == set(), "every word must be found"
    assert found("gate") == {other.reference}


def test_a_reference_typed_any_way(mould, other):
    ref = mould.reference  # "PR-" and six characters
    code = ref.removeprefix("PR-")
    for typed in (ref, ref.lower(), code, code.lower(), f"PR{code}", f"pr {code}", ref[:6], code[:3]):
        assert mould.reference in found(typed), typed
    assert found(ref) == {ref}
    confusable = "PR-" + code.replace("0", "O").replace("1", "I")
    assert found(confusable) >= {ref}, "a whole reference is read as the reference it means"


def test_each_edit_is_searchable_in_its_own_transaction_and_the_old_words_are_gone(mould, officer, frontline):
    ref = mould.reference
    with at("Mon 2026-03-02 12:00"):
        triage.accept(mould, owner=officer, actor=officer, reasoning="Meets the definition.")
        with transaction.atomic():
            points.edit_summary(mould, summary="Damp in the kitchen", actor=officer)
            assert found("damp kitchen") == {ref} and found("mouldy") == set()
            point = mould.points.get()
            points.edit_point(
                mould, point_id=point.pk, wording="The ventilation unit is broken", actor=officer
            )
            assert found("ventilation") == {ref} and found("extractor") == set()
            points.add_point(mould, wording="Compensation for redecorating", actor=officer)
            assert found("redecorat") == {ref}
            investigation.record_contact(
                mould, method="phone", summary="Surveyor visit booked", actor=officer
            )
            assert found("surveyor", notes=True) == {ref}
            assert found("surveyor") == set(), "staff notes only when asked for"
            Customer.objects.filter(pk=mould.customer_id).update(last_name="Okafor", postcode="IP1 2AB")
            assert found("okafor ip1") == {ref} and found("brien") == set() and found("cb5") == set()
            Complaint.objects.filter(pk=mould.pk).update(description="Plaster falling from the wall")
            assert found("plaster") == {ref} and found("black") == set()


def test_a_triage_note_is_a_note(log, frontline):
    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
        triage.resolve_informally(complaint, resolution="Gardening contractor came back", actor=frontline)
    assert found("contractor", notes=True) == {complaint.reference}
    assert found("contractor") == set()


def test_blanked_text_is_forgotten(mould):
    """Anonymising blanks words with queryset updates: the index must forget them."""
    with at("Mon 2026-03-02 12:00"):
        investigation.record_contact(mould, method="phone", summary="Spoke to Zoë at home", actor=None)
    with transaction.atomic():
        Complaint.objects.filter(pk=mould.pk).update(summary="", description="", triage_note="")
        Point.objects.filter(complaint=mould).update(summary="")
        Contact.objects.filter(complaint=mould).update(summary="")
        Customer.objects.filter(pk=mould.customer_id).update(first_name="", last_name="", postcode="")
    for word in ("mould", "bathroom", "extractor", "zoe", "brien", "cb5", "spoke"):
        assert found(word, notes=True) == set(), word
    assert found(mould.reference) == {mould.reference}, "the reference stays"


def test_a_change_rolled_back_leaves_the_index_as_it_was(mould):
    with pytest.raises(RuntimeError), transaction.atomic():
        Complaint.objects.filter(pk=mould.pk).update(summary="Rats in the loft")
        assert found("rats") == {mould.reference}
        raise RuntimeError
    assert found("rats") == set()
    assert found("mouldy") == {mould.reference}


def test_deleted_points_leave_the_index(mould, other):
    Point.objects.filter(complaint=mould).delete()
    assert found("extractor") == set() and found("mouldy") == {mould.reference}
    assert found("gate") == {other.reference}


def test_bulk_writes_are_indexed_even_with_foreign_key_triggers_off(mould):
    """The bulk writers (bench seed, the importer) turn PostgreSQL's triggers off for speed;
    the index's run anyway (ENABLE ALWAYS)."""
    with transaction.atomic():
        skip_foreign_key_triggers()
        Point.objects.bulk_create(
            [
                Point(complaint=mould, number=n, summary=f"Skirting board {n}", **copied_from(mould))
                for n in (2, 3)
            ]
        )
        Complaint.objects.filter(pk=mould.pk).update(summary="Condensation")
    assert found("skirting") == {mould.reference}
    assert found("condensation") == {mould.reference} and found("mouldy") == set()


def test_triggers_a_migration_dropped_are_put_back_and_the_index_rebuilt(mould):
    """SQLite drops a table's triggers when a migration rebuilds the table."""
    name = (
        "putright_search_complaint_update"
        if connection.vendor == "sqlite"
        else "putright_search_complaint_changed"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses pending checks
        cursor.execute(
            f"DROP TRIGGER {name}" + ("" if connection.vendor == "sqlite" else " ON cases_complaint")
        )
    Complaint.objects.filter(pk=mould.pk).update(summary="Woodworm")
    assert found("woodworm") == set(), "missed while the trigger was gone"
    assert search_index.ensure(connection) is True
    assert found("woodworm") == {mould.reference}
    assert search_index.installed_triggers(connection) == search_index.trigger_names(connection)
    assert search_index.ensure(connection) is False
