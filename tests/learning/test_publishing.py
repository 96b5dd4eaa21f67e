"""Publishing a quarter: a snapshot of the figures and approved entries, corrected only by a new version."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind
from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.learning.models import LearningEvent, LearningEventKind, Publication
from putright.learning.quarters import Quarter
from putright.learning.services.publishing import (
    NotAllowedToPublish,
    NothingToPublish,
    StalePublication,
    publish_quarter,
)
from tests.learning.publish_cases import make_quarter
from tests.learning.publish_entries import approved_entry, draft_entry

Q1 = Quarter.parse("2026-Q1")


@pytest.fixture
def entry(org, officer, senior):
    return approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Mould came back after it was treated.",
        we_did="We now check every treated home again after six weeks.",
    )


def test_a_first_version_keeps_the_figures_and_the_entries_words(log, officer, senior, org, entry):
    make_quarter(log, officer, senior)
    draft_entry(org, Q1, drafted_by=officer)  # not approved: not published
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    approved_entry(
        other, Q1, drafted_by=officer, approved_by=senior, you_said="Elsewhere", we_did="Elsewhere"
    )

    published = publish_quarter(org, Q1, senior)

    assert (published.version, published.quarter_start, published.correction_note) == (1, Q1.start, "")
    assert published.figures["received"] == 5
    assert published.figures["on_time_percent"] == 60
    assert published.figures["top_themes"][0] == {
        "key": "communication",
        "label": "Communication and information",
        "points": 3,
    }
    assert [(e["you_said"], e["we_did"], e["theme"]) for e in published.entries] == [
        (
            "Mould came back after it was treated.",
            "We now check every treated home again after six weeks.",
            "Repairs: damp and mould",
        )
    ]
    event = LearningEvent.objects.get(kind=LearningEventKind.QUARTER_PUBLISHED)
    assert (event.publication, event.actor, event.data["version"]) == (published, senior, 1)


def test_nothing_approved_cannot_be_published(org, officer, senior):
    draft_entry(org, Q1, drafted_by=officer)
    with pytest.raises(NothingToPublish) as refused:
        publish_quarter(org, Q1, senior)
    assert refused.value.message == (
        "Nothing is approved for Victory Housing Trust, April to June 2026: "
        "approve at least one entry before publishing the quarter."
    )
    assert isinstance(refused.value, StepNotAllowed)
    assert not Publication.objects.exists()
    assert not LearningEvent.objects.exists()


def test_a_double_click_publishes_once(org, senior, entry):
    first = publish_quarter(org, Q1, senior)
    again = publish_quarter(org, Q1, senior, expected_version=0)
    assert again == first
    assert Publication.objects.count() == 1
    assert LearningEvent.objects.filter(kind=LearningEventKind.QUARTER_PUBLISHED).count() == 1


def test_a_correction_is_a_new_version_with_a_note(org, officer, senior, entry):
    first = publish_quarter(org, Q1, senior)
    approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Repairs were late.",
        we_did="We hired two more.",
    )
    with pytest.raises(InvalidInput) as refused:
        publish_quarter(org, Q1, senior)
    assert refused.value.field == "correction_note"
    assert "say what this new version corrects" in refused.value.detail
    assert Publication.objects.count() == 1

    second = publish_quarter(org, Q1, senior, "  An entry approved late was missing.  ", expected_version=1)
    assert (second.version, second.correction_note) == (2, "An entry approved late was missing.")
    assert len(second.entries) == 2
    first.refresh_from_db()
    assert len(first.entries) == 1  # the first version is kept as it was
    # The same correction clicked twice: still version 2.
    assert publish_quarter(org, Q1, senior, "An entry approved late was missing.") == second
    with pytest.raises(TypeError):
        second.save()


def test_a_correction_note_naming_a_customer_is_refused(org, officer, senior, entry, customer):
    publish_quarter(org, Q1, senior)
    approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Repairs were late.",
        we_did="Two more fitters.",
    )
    name = customer.last_name
    with pytest.raises(InvalidInput) as refused:
        publish_quarter(org, Q1, senior, f"Added the entry Mrs {name} asked about.")
    assert refused.value.field == "correction_note"
    assert f"the public page would show “{name}” (a person's name)" in refused.value.detail
    assert Publication.objects.count() == 1


def test_a_new_version_that_would_change_nothing_is_refused(org, senior, entry):
    publish_quarter(org, Q1, senior)
    with pytest.raises(StepNotAllowed, match="Nothing has changed since version 1 was published"):
        publish_quarter(org, Q1, senior, "Typo")
    assert Publication.objects.count() == 1


def test_publishing_over_someone_elses_new_version_is_refused(org, officer, senior, entry):
    publish_quarter(org, Q1, senior)
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="More", we_did="More")
    with pytest.raises(StalePublication, match="Someone published version 1 of this quarter"):
        publish_quarter(org, Q1, senior, "Added one", expected_version=0)
    assert Publication.objects.count() == 1


def test_only_a_senior_manager_publishes(org, officer, entry):
    with pytest.raises(NotAllowedToPublish):
        publish_quarter(org, Q1, officer)
    assert not Publication.objects.exists()


def test_a_quarter_is_published_once_it_has_ended(org, officer, senior, time_machine):
    from tests.cases.helpers import on

    time_machine.move_to(on("Tue 2026-06-30 16:00"), tick=False)
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="Said", we_did="Did")
    with pytest.raises(InvalidInput, match="April to June 2026 runs until 30 June 2026"):
        publish_quarter(org, Q1, senior)
    time_machine.move_to(on("Wed 2026-07-01 09:00"), tick=False)
    assert publish_quarter(org, Q1, senior).version == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_publishing_at_once_publish_once(org, officer, senior):
    """On PostgreSQL the organisation's row is locked: the second waits, then finds the first's
    version saying the same and returns it. (SQLite runs one writer at a time anyway.)"""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    import importlib

    from django.apps import apps

    importlib.import_module("putright.learning.migrations.0002_default_lists").load(apps, None)
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="Said", we_did="Did")
    results, errors = [], []
    start = threading.Barrier(2)

    def publish():
        try:
            start.wait()
            results.append(publish_quarter(org, Q1, senior, expected_version=0).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Publication.objects.count() == 1
    assert LearningEvent.objects.filter(kind=LearningEventKind.QUARTER_PUBLISHED).count() == 1
