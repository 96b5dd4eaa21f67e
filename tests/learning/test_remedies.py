"""Remedies through their services: offered, accepted or declined, paid; every move allowed and refused.

The standard journey (tests/cases/conftest.py) gives a complaint responded to at stage 1 on
Thu 2026-03-12 15:00, every point upheld; remedies are recorded the next day or later.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from putright.cases.errors import InvalidInput, NotFound, StaleCase, StepNotAllowed
from putright.cases.models import EventKind
from putright.cases.services import responses
from putright.learning.models import Remedy
from putright.learning.remedy_selectors import remedies_of, suggestion, totals
from putright.learning.services.remedies import (
    accept_remedy,
    decline_remedy,
    offer_remedy,
    pay_remedy,
)
from tests.cases.conftest import Journey
from tests.cases.helpers import at, day, kinds, last_event, refused

pytestmark = pytest.mark.django_db

NEXT_DAY = "Fri 2026-03-13 10:00"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def responded(log, officer, senior):
    return Journey(log, officer, senior).until("responded")


def money_offer(complaint, officer, **extra):
    fields = {
        "remedy_type": "financial",
        "description": "For the days without heating",
        "amount": "60.00",
        "purpose": "loss_of_amenity",
        "rate_key": "no_heating_or_hot_water",
        "rate_units": 12,
        "actor": officer,
    }
    fields.update(extra)
    return offer_remedy(complaint, **fields)


def test_money_is_offered_accepted_and_paid_each_with_its_timeline_event(responded, officer):
    point = responded.points.get(number=1)
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer, point_id=point.pk)
    assert (remedy.amount, remedy.purpose, remedy.status, remedy.offered_on) == (
        Decimal("60.00"),
        "loss_of_amenity",
        "offered",
        day("Fri 2026-03-13"),
    )
    assert (remedy.stage_number, remedy.point, remedy.rate_key, remedy.rate_units) == (
        1,
        point,
        "no_heating_or_hot_water",
        12,
    )
    event = last_event(responded)
    assert event.kind == EventKind.REMEDY_OFFERED
    assert event.summary == (
        "Remedy offered: £60.00 for loss of amenity (use of the home) (For the days without heating), "
        "for point 1."
    )
    assert event.data["remedy"] == remedy.pk and event.data["amount"] == "60.00"

    with at("Mon 2026-03-16 09:00"):
        accept_remedy(responded, remedy_id=remedy.pk, accepted_on=day("Sat 2026-03-14"), actor=officer)
    with at("Wed 2026-03-18 09:00"):
        pay_remedy(
            responded,
            remedy_id=remedy.pk,
            paid_on=day("Tue 2026-03-17"),
            payment_reference="BACS 4471",
            actor=officer,
        )
    remedy.refresh_from_db()
    assert (remedy.status, remedy.accepted_on, remedy.paid_on, remedy.payment_reference) == (
        "paid",
        day("Sat 2026-03-14"),
        day("Tue 2026-03-17"),
        "BACS 4471",
    )
    assert kinds(responded)[-3:] == [
        EventKind.REMEDY_OFFERED,
        EventKind.REMEDY_ACCEPTED,
        EventKind.REMEDY_PAID,
    ]
    assert last_event(responded).summary == (
        "Remedy paid on 17 March 2026: £60.00 for loss of amenity (use of the home) "
        "(For the days without heating), reference BACS 4471."
    )


def test_an_apology_is_offered_and_declined(responded, officer):
    with at(NEXT_DAY):
        remedy = offer_remedy(
            responded, remedy_type="apology", description="A written apology from the manager", actor=officer
        )
        decline_remedy(responded, remedy_id=remedy.pk, actor=officer)
    remedy.refresh_from_db()
    assert (remedy.status, remedy.declined_on, remedy.amount) == ("declined", day("Fri 2026-03-13"), None)
    assert last_event(responded).summary == (
        "The customer declined the remedy on 13 March 2026: an apology (A written apology from the manager)."
    )


def test_totals_count_offered_accepted_and_paid_money(responded, officer):
    with at(NEXT_DAY):
        paid = money_offer(responded, officer)
        accepted = money_offer(
            responded, officer, amount="20.00", rate_key="missed_appointment", rate_units=1
        )
        declined = money_offer(responded, officer, amount="5.00", rate_key="", rate_units=None)
        offer_remedy(responded, remedy_type="apology", description="Sorry", actor=officer)
        for remedy in (paid, accepted):
            accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        decline_remedy(responded, remedy_id=declined.pk, actor=officer)
        pay_remedy(responded, remedy_id=paid.pk, payment_reference="Rent account credit", actor=officer)
    found = totals(remedies_of(responded))
    assert (found.offered, found.accepted, found.paid, found.declined) == (
        Decimal("85.00"),
        Decimal("80.00"),
        Decimal("60.00"),
        Decimal("5.00"),
    )


# Refusals: a clear reason, and nothing changed


def test_money_is_paid_only_once_accepted(responded, officer):
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        with refused(responded, StepNotAllowed, "The customer must accept the offer before it is paid."):
            pay_remedy(responded, remedy_id=remedy.pk, payment_reference="X1", actor=officer)


def test_only_money_is_paid(responded, officer):
    with at(NEXT_DAY):
        remedy = offer_remedy(
            responded, remedy_type="action", description="Replace the boiler", actor=officer
        )
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        with refused(
            responded,
            StepNotAllowed,
            "Only money is paid: record an apology or an action as accepted or declined.",
        ):
            pay_remedy(responded, remedy_id=remedy.pk, payment_reference="X1", actor=officer)


@pytest.mark.parametrize(
    ("first", "then", "message"),
    [
        (accept_remedy, decline_remedy, "A remedy that is accepted cannot become declined."),
        (decline_remedy, accept_remedy, "The customer declined this remedy: offer a new one instead."),
    ],
)
def test_an_answer_once_given_is_not_changed(responded, officer, first, then, message):
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        first(responded, remedy_id=remedy.pk, actor=officer)
        with refused(responded, StepNotAllowed, message):
            then(responded, remedy_id=remedy.pk, actor=officer)


def test_a_paid_remedy_changes_no_more(responded, officer):
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        pay_remedy(responded, remedy_id=remedy.pk, payment_reference="X1", actor=officer)
        with refused(
            responded, StepNotAllowed, "This remedy has been paid: nothing further can change on it."
        ):
            pay_remedy(responded, remedy_id=remedy.pk, payment_reference="X2", actor=officer)


def test_dates_are_never_in_the_future_nor_before_the_move_before(responded, officer):
    with at(NEXT_DAY):
        with refused(responded, InvalidInput, "offered_on: cannot be in the future"):
            money_offer(responded, officer, offered_on=day("Sat 2026-03-14"))
        with refused(
            responded, InvalidInput, "offered_on: cannot be before the complaint was received (2 March 2026)"
        ):
            money_offer(responded, officer, offered_on=day("Sun 2026-03-01"))
        remedy = money_offer(responded, officer, offered_on=day("Thu 2026-03-12"))
        with refused(
            responded, StepNotAllowed, "The date cannot be before the remedy was offered (12 March 2026)."
        ):
            accept_remedy(responded, remedy_id=remedy.pk, accepted_on=day("Wed 2026-03-11"), actor=officer)
        with refused(responded, StepNotAllowed, "The date cannot be in the future."):
            accept_remedy(responded, remedy_id=remedy.pk, accepted_on=day("Sat 2026-03-14"), actor=officer)
        accept_remedy(responded, remedy_id=remedy.pk, accepted_on=day("Fri 2026-03-13"), actor=officer)
        with refused(
            responded, StepNotAllowed, "The date cannot be before the remedy was accepted (13 March 2026)."
        ):
            pay_remedy(
                responded,
                remedy_id=remedy.pk,
                paid_on=day("Thu 2026-03-12"),
                payment_reference="X",
                actor=officer,
            )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": None}, "Give the amount offered, in pounds."),
        ({"amount": "-5"}, "Give the amount offered, in pounds."),
        (
            {"purpose": None},
            (
                "Say what the money is for: time and trouble, distress and inconvenience, "
                "loss of amenity or costs."
            ),
        ),
    ],
)
def test_money_needs_an_amount_and_a_purpose(responded, officer, fields, message):
    with at(NEXT_DAY), refused(responded, StepNotAllowed, message):
        money_offer(responded, officer, **fields)
    assert not Remedy.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"amount": "12.345"},
            "amount: give the amount in pounds and pence, with no more than 2 decimal places",
        ),
        ({"amount": "lots"}, "amount: give the amount in pounds, for example 60 or 60.00"),
        (
            {"purpose": "fun"},
            "purpose: must be time_and_trouble, distress_and_inconvenience, loss_of_amenity or costs",
        ),
        ({"remedy_type": "hug"}, "remedy_type: must be apology, explanation, action, financial or other"),
        (
            {"rate_key": "no_wifi"},
            "rate: 'no_wifi' is not one of the compensation rates of this complaint's policy",
        ),
        ({"rate_units": 0}, "units: give how many days, weeks or occasions, at least 1"),
        (
            {"rate_key": "", "rate_units": 3},
            "units: give the compensation rate the days, weeks or occasions count for",
        ),
        (
            {"remedy_type": "apology", "amount": None, "purpose": None},
            "rate: only money is worked out from a compensation rate",
        ),
    ],
)
def test_bad_input_is_refused_by_its_field(responded, officer, fields, message):
    with at(NEXT_DAY), refused(responded, InvalidInput, message):
        money_offer(responded, officer, **fields)
    assert not Remedy.objects.exists()


def test_an_apology_has_no_amount_and_says_what_was_offered(responded, officer):
    with at(NEXT_DAY):
        with refused(
            responded,
            StepNotAllowed,
            "Only a financial remedy has an amount: record money as a financial remedy.",
        ):
            offer_remedy(responded, remedy_type="apology", description="Sorry", amount="10", actor=officer)
        with refused(responded, StepNotAllowed, "Say what was offered to put things right."):
            offer_remedy(responded, remedy_type="apology", description="  ", actor=officer)


def test_a_point_and_a_remedy_must_be_of_this_complaint(responded, officer, log):
    with at(NEXT_DAY):
        other = log("2026-03-13 09:00")
        with refused(responded, InvalidInput, "point: that point is not part of this complaint"):
            money_offer(responded, officer, point_id=other.points.first().pk)
        remedy = money_offer(responded, officer)
        with pytest.raises(NotFound):
            accept_remedy(other, remedy_id=remedy.pk, actor=officer)
        with refused(responded, NotFound, f"No remedy {remedy.pk + 100} on this complaint."):
            accept_remedy(responded, remedy_id=remedy.pk + 100, actor=officer)


def test_remedies_are_offered_only_on_a_complaint_in_progress(log, officer):
    with at(NEXT_DAY):
        received = log("2026-03-13 09:00")
        with refused(received, StepNotAllowed):
            money_offer(received, officer)


def test_a_remedy_offered_before_closing_is_still_answered_and_paid_after(responded, officer):
    from putright.learning.models import RootCause, Theme
    from putright.learning.services.points import record_point_learning

    theme, cause = Theme.objects.first(), RootCause.objects.first()
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        for point in responded.points.all():
            record_point_learning(responded, point_id=point.pk, theme=theme, root_cause=cause, actor=officer)
        responses.close(responded, actor=officer)
    with at("Mon 2026-03-16 09:00"):
        with refused(responded, StepNotAllowed):
            money_offer(responded, officer, amount="61.00")
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        pay_remedy(responded, remedy_id=remedy.pk, payment_reference="X9", actor=officer)
    assert Remedy.objects.get().status == "paid"


# Replays and stale edits


def test_the_same_offer_twice_is_kept_once(responded, officer):
    with at(NEXT_DAY):
        first = money_offer(responded, officer, expected_version=responded.version)
        version = responded.version
        again = money_offer(responded, officer, expected_version=version - 1)
    assert again == first and Remedy.objects.count() == 1
    responded.refresh_from_db()
    assert responded.version == version


def test_the_same_answer_twice_changes_nothing_the_second_time(responded, officer):
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        version = responded.version
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer, expected_version=version - 1)
        responded.refresh_from_db()
        assert responded.version == version
        pay_remedy(responded, remedy_id=remedy.pk, payment_reference="BACS 1", actor=officer)
        events = len(kinds(responded))
        pay_remedy(responded, remedy_id=remedy.pk, payment_reference="BACS 1", actor=officer)
        assert len(kinds(responded)) == events


def test_a_stale_edit_is_refused(responded, officer):
    with at(NEXT_DAY):
        remedy = money_offer(responded, officer)
        with refused(responded, StaleCase):
            accept_remedy(
                responded, remedy_id=remedy.pk, actor=officer, expected_version=responded.version - 1
            )
        with refused(responded, StaleCase):
            offer_remedy(
                responded,
                remedy_type="apology",
                description="Sorry",
                actor=officer,
                expected_version=responded.version - 1,
            )


# Suggestions from the policy's rates


def test_a_suggestion_shows_its_working(responded):
    found = suggestion(responded, "no_heating_or_hot_water", "12")
    assert found.amount == Decimal("60.00")
    assert found.working == "Each day without heating or hot water: £5.00 a day × 12 days = £60.00"
    one = suggestion(responded, "missed_appointment", 1)
    assert (
        one.working == "Each appointment we missed without notice: £20.00 an occasion × 1 occasion = £20.00"
    )


def test_a_capped_rate_counts_what_was_already_offered_under_it(responded, officer):
    capped = suggestion(responded, "complaint_handling_delay", 12)
    assert (capped.amount, capped.working) == (
        Decimal("100.00"),
        (
            "Each week our response was late: £10.00 a week × 12 weeks = £120.00, "
            "capped at £100.00 by the policy"
        ),
    )
    with at(NEXT_DAY):
        first = money_offer(
            responded,
            officer,
            amount="60.00",
            purpose="time_and_trouble",
            rate_key="complaint_handling_delay",
            rate_units=6,
        )
    rest = suggestion(responded, "complaint_handling_delay", 6)
    assert (rest.amount, rest.working) == (
        Decimal("40.00"),
        (
            "Each week our response was late: £10.00 a week × 6 weeks = £60.00, "
            "capped at £40.00 by the policy (£60.00 already offered under this rate)"
        ),
    )
    with at(NEXT_DAY):
        money_offer(
            responded,
            officer,
            amount="40.00",
            purpose="time_and_trouble",
            rate_key="complaint_handling_delay",
            rate_units=4,
        )
    with pytest.raises(InvalidInput) as info:
        suggestion(responded, "complaint_handling_delay", 1)
    assert info.value.detail == (
        "£100.00 has already been offered under “Each week our response was late”, "
        "the most the policy pays under it for one complaint (£100.00)"
    )
    with at(NEXT_DAY):
        decline_remedy(responded, remedy_id=first.pk, actor=officer)
    assert suggestion(responded, "complaint_handling_delay", 10).amount == Decimal("60.00")


@pytest.mark.parametrize(
    ("rate", "units", "message"),
    [
        ("no_wifi", 1, "rate: choose one of the compensation rates of this complaint's policy"),
        ("missed_appointment", 0, "units: give the number of occasions, at least 1"),
        ("missed_appointment", "two", "units: give the number of occasions as a whole number"),
        ("no_heating_or_hot_water", 4000, "units: give the number of days, at most 3650"),
    ],
)
def test_a_suggestion_refuses_what_it_cannot_work_out(responded, rate, units, message):
    with pytest.raises(InvalidInput) as info:
        suggestion(responded, rate, units)
    assert info.value.message == message
