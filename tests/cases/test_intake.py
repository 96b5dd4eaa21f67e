"""Logging a complaint: stored, with its points and its first timeline event, before anything else."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, TimelineEvent
from putright.cases.services import customers, intake
from tests.cases.helpers import at, kinds, on


def test_a_logged_complaint_awaits_triage_with_numbered_points_and_its_first_event(log, frontline):
    with at("Mon 2026-03-02 10:05"):
        complaint = log("2026-03-02 10:00", points=["  The repair was not done ", "", "Nobody called back"])

    assert complaint.state == "received"
    assert complaint.stage == 0
    assert complaint.version == 1
    assert re.fullmatch(r"PR-[0-9A-HJKMNP-TV-Z]{6}", complaint.reference)
    # Blank points are dropped and the rest numbered from 1, trimmed.
    assert list(complaint.points.values_list("number", "summary")) == [
        (1, "The repair was not done"),
        (2, "Nobody called back"),
    ]
    assert (complaint.policy.name, complaint.policy.version) == (
        "Flagship Group Customer Complaints Procedure",
        "1.2",
    )
    # No clock runs until the complaint is accepted at stage 1.
    assert not complaint.deadlines.exists()
    event = complaint.timeline.get()
    assert event.kind == EventKind.COMPLAINT_LOGGED
    assert event.summary == "Complaint received by phone: Leaking roof not repaired"
    assert event.actor == frontline
    assert event.actor_label == "Fran Staff"
    assert event.occurred_at == on("Mon 2026-03-02 10:00")
    assert event.recorded_at == on("Mon 2026-03-02 10:05")


def test_a_complaint_without_separate_points_has_its_summary_as_its_one_point(log):
    with at("Mon 2026-03-02 10:05"):
        complaint = log("2026-03-02 10:00", points=[], summary="  Rude call handler ")

    assert list(complaint.points.values_list("number", "summary")) == [(1, "Rude call handler")]
    assert complaint.summary == "Rude call handler"


def test_a_letter_is_logged_at_the_time_it_arrived_not_the_time_it_was_typed(log):
    # The letter arrived on Friday afternoon and is typed in on Monday morning:
    # the complaint was received on Friday, and every clock counts from then.
    with at("Mon 2026-03-09 09:15"):
        complaint = log("2026-03-06 14:20", channel="letter", actor=None, on_behalf_of="Post room")

    event = complaint.timeline.get()
    assert complaint.received_at == on("Fri 2026-03-06 14:20")
    assert event.occurred_at == on("Fri 2026-03-06 14:20")
    assert event.recorded_at == on("Mon 2026-03-09 09:15")
    assert event.summary == "Complaint received by letter: Leaking roof not repaired"
    assert event.actor is None
    assert event.actor_label == "Post room"


def test_a_complaint_from_the_web_form_is_shown_as_made_by_the_customer(log):
    with at("Sat 2026-03-07 22:40"):
        complaint = log("2026-03-07 22:39", channel="web", actor=None)

    assert complaint.timeline.get().actor_label == "The customer"
    assert complaint.channel == "web"


def test_a_reference_clash_is_retried_with_a_fresh_reference(log, monkeypatch):
    with at("Mon 2026-03-02 10:05"):
        first = log("2026-03-02 10:00")
        offered = iter([first.reference, "PR-7K3M9Q"])
        monkeypatch.setattr(intake, "new_reference", lambda: next(offered))
        second = log("2026-03-02 10:01")

    assert second.reference == "PR-7K3M9Q"
    assert Complaint.objects.count() == 2
    assert kinds(second) == [EventKind.COMPLAINT_LOGGED]


NAIVE = dt.datetime(2026, 3, 2, 10, 0)


@pytest.mark.parametrize(
    ("fields", "field", "detail"),
    [
        ({"received_at": NAIVE}, "received_at", "give a time zone (or an offset such as +00:00)"),
        ({"received_at": on("Mon 2026-03-02 12:00")}, "received_at", "cannot be in the future"),
        ({"channel": "carrier_pigeon"}, "channel", None),
        ({"category": "weather"}, "category", "'weather' is not one of the policy's reasons to complain"),
        ({"summary": "   "}, "summary", "say in a line what the complaint is about"),
        ({"description": ""}, "description", "say what went wrong"),
        # Received on 2 March: a matter "on 3 March" has not happened yet.
        ({"matter_date": dt.date(2026, 3, 3)}, "matter_date", "cannot be after the complaint was received"),
        (
            {"became_aware_on": dt.date(2026, 3, 3)},
            "became_aware_on",
            "cannot be after the complaint was received",
        ),
    ],
    ids=[
        "naive",
        "future",
        "channel",
        "category",
        "summary",
        "description",
        "matter-date",
        "became-aware",
    ],
)
def test_a_bad_complaint_is_refused_with_the_field_named_and_nothing_is_stored(log, fields, field, detail):
    with at("Mon 2026-03-02 11:00"), pytest.raises(InvalidInput) as refused:
        log("2026-03-02 10:00", **fields)

    assert refused.value.field == field
    if detail:
        assert refused.value.detail == detail
    assert Complaint.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


def test_a_complaint_received_a_few_minutes_ahead_of_the_server_clock_is_accepted(log):
    # A laptop clock four minutes fast is tolerated (up to five minutes).
    with at("Mon 2026-03-02 10:00"):
        complaint = log("2026-03-02 10:04")

    assert complaint.received_at == on("Mon 2026-03-02 10:04")


def test_a_representative_must_act_for_the_customer_who_complains(log, org, customer):
    other = customers.create_customer(organisation=org, first_name="Bob", last_name="Other", phone="01603 1")
    mp = customers.add_representative(
        customer=other,
        name="Jane Smith MP",
        kind="designated_person",
        consent_given_at=on("Mon 2026-02-02 09:00"),
        consent_how="Signed consent form",
    )

    with at("Mon 2026-03-02 11:00"), pytest.raises(InvalidInput) as refused:
        log("2026-03-02 10:00", representative=mp, channel="representative")

    assert refused.value.message == "representative: acts for another customer"
    assert Complaint.objects.count() == 0


def test_a_complaint_about_another_landlord_is_refused_for_this_customer(db, customer, frontline):
    from putright.accounts.models import Organisation, OrganisationKind
    from putright.cases.errors import InvalidInput
    from putright.cases.models import Complaint
    from putright.cases.services.intake import log_complaint
    from tests.conftest import london

    stranger = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    with pytest.raises(InvalidInput) as refused:
        log_complaint(
            organisation=stranger,
            customer=customer,
            channel="phone",
            received_at=london("2026-03-02 10:00"),
            summary="Leak",
            description="The roof leaks.",
            category="service_failure",
            actor=frontline,
        )
    assert refused.value.field == "organisation"
    assert "Ada Lovelace is a customer of Victory Housing Trust" in refused.value.message
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_contractor_acting_for_the_landlord_is_accepted(db, org, customer, frontline):
    from putright.accounts.models import Organisation, OrganisationKind
    from putright.cases.services.intake import log_complaint
    from tests.conftest import london

    roofer = Organisation.objects.create(
        name="Roofs Ltd", short_name="RL", kind=OrganisationKind.CONTRACTOR, acting_for=org
    )
    complaint = log_complaint(
        organisation=roofer,
        customer=customer,
        channel="phone",
        received_at=london("2026-03-02 10:00"),
        summary="Rude roofer",
        description="The roofer was rude.",
        category="service_failure",
        actor=frontline,
    )
    assert complaint.organisation == roofer
