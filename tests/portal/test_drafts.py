"""Drafts of web complaints: their files, sending them once, and the dates promised.

The dates, by hand, with the policy's rules (a clock starts at once on a
working day before 17:00, otherwise at 00:00 on the next working day):

- sent Thu 24 December 2026 15:00: first contact within 24 working hours is
  Tue 29 December 15:00 (9 hours left on the 24th; Fri 25 to Mon 28 are
  Christmas, the weekend and the Boxing Day substitute; 15 hours on the 29th);
  the response within 10 working days is the end of Tue 12 January 2027.
- sent Wed 23 December 2026 18:00, after 17:00: the clocks start at 00:00 on
  Thu 24 December, so 24 working hours run out at the end of that day; the
  response is again the end of Tue 12 January 2027 (day 0 is Thu 24).
- sent Fri 27 March 2026 16:59, before 17:00 on the Friday before the clocks go
  forward: 7 hours 1 minute left on the Friday, the weekend does not count,
  16 hours 59 minutes more on Mon 30 March: 16:59 (BST, not GMT). The
  response: Mon 30 (1), Tue 31 (2), Wed 1 April (3), Thu 2 (4), then Good
  Friday 3 and Easter Monday 6 do not count, Tue 7 (5), Wed 8 (6), Thu 9 (7),
  Fri 10 (8), Mon 13 (9), Tue 14 April (10).
"""

from __future__ import annotations

import datetime as dt

import pytest

from putright.accounts.models import Organisation, OrganisationKind
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Customer, Representative
from putright.cases.policies import calendar_for, current_policy
from putright.portal import drafts, limits
from putright.portal.models import Draft, DraftFile, RateEvent
from putright.procedure.guards import Rules
from tests.cases.helpers import at, on

HERE = "192.0.2.1"

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def submission(org: Organisation, **changes) -> drafts.Submission:
    fields = {
        "organisation": org,
        "tenure": "tenant",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "address": "1 Cromer Road\nNorth Walsham",
        "postcode": "NR28 0NB",
        "email": "ada@example.org",
        "phone": "",
        "preferred_contact": "email",
        "preferred_contact_time": "",
        "category": "service_failure",
        "summary": "The roof leaks",
        "description": "The roof leaks and nobody came.",
        "desired_outcome": "",
        "matter_date": dt.date(2026, 12, 1),
    }
    return drafts.Submission(**{**fields, **changes})


@pytest.mark.parametrize(
    ("sent", "contact", "response"),
    [
        ("Thu 2026-12-24 15:00", "Tuesday 29 December 2026 at 15:00", "Tuesday 12 January 2027"),
        ("Wed 2026-12-23 18:00", "Thursday 24 December 2026", "Tuesday 12 January 2027"),
        ("Fri 2026-03-27 16:59", "Monday 30 March 2026 at 16:59", "Tuesday 14 April 2026"),
    ],
)
def test_the_promised_dates_follow_the_policy_and_the_calendar(org, sent, contact, response):
    policy = current_policy().policy
    promise = drafts.promise(Rules(policy, calendar_for(policy, org)), on(sent))
    assert (promise.contact_by, promise.respond_by) == (contact, response)
    assert (promise.contact_period, promise.response_period) == ("24 working hours", "10 working days")


def test_the_confirmation_dates_of_a_stored_complaint_use_its_own_policy(org):
    with at("Thu 2026-12-24 15:00"):
        complaint, _made = drafts.submit(drafts.start(address=HERE), submission(org), address="192.0.2.1")
    promise = drafts.promise_for(complaint)
    assert promise.contact_by == "Tuesday 29 December 2026 at 15:00"
    assert promise.respond_by == "Tuesday 12 January 2027"


def test_a_draft_is_sent_once(org):
    draft = drafts.start(address=HERE)
    with at("Thu 2026-12-24 15:00"):
        first, made = drafts.submit(draft, submission(org), address="192.0.2.1")
        again, made_again = drafts.submit(draft, submission(org), address="192.0.2.1")
    assert (made, made_again) == (True, False)
    assert first == again and Complaint.objects.count() == 1
    draft.refresh_from_db()
    assert draft.complaint == first and draft.submitted_at == on("Thu 2026-12-24 15:00")


def test_a_refusal_by_a_service_stores_nothing_at_all(org):
    draft = drafts.start(address=HERE)
    drafts.add_file(draft, "roof.png", PNG, address=HERE)
    with at("Thu 2026-12-24 15:00"), pytest.raises(InvalidInput):
        drafts.submit(draft, submission(org, category="not_a_reason"), address="192.0.2.1")
    assert Complaint.objects.count() == Customer.objects.count() == 0
    assert not RateEvent.objects.filter(bucket__startswith="complain:").exists()  # the send was not counted
    draft.refresh_from_db()
    assert draft.complaint is None and draft.files.count() == 1


def test_over_a_limit_nothing_is_stored_and_the_draft_stays(org):
    with at("Thu 2026-12-24 14:00"):
        for _ in range(drafts.BY_EMAIL.allowed):
            limits.count(drafts.BY_EMAIL, "ada@example.org")
    draft = drafts.start(address=HERE)
    with at("Thu 2026-12-24 15:00"), pytest.raises(limits.RateLimited) as refused:
        drafts.submit(draft, submission(org), address="192.0.2.1")
    assert refused.value.retry_at == on("Fri 2026-12-25 14:00")
    assert Complaint.objects.count() == Customer.objects.count() == 0
    assert RateEvent.objects.filter(bucket=drafts.BY_ADDRESS.bucket).count() == 0  # rolled back too
    assert Draft.objects.get(pk=draft.pk).complaint is None


def test_someone_acting_gives_their_own_contact_details_to_the_representative_record(org):
    acting = drafts.Acting(name="Byron King", kind="advocate", role="Support worker")
    with at("Thu 2026-12-24 15:00"):
        complaint, _ = drafts.submit(
            drafts.start(address=HERE),
            submission(org, acting=acting, phone="01603 111111"),
            address="192.0.2.1",
        )
    representative = Representative.objects.get()
    assert complaint.representative == representative
    assert (representative.email, representative.phone) == ("ada@example.org", "01603 111111")
    assert (complaint.customer.email, complaint.customer.phone, complaint.customer.preferred_contact) == (
        "",
        "",
        "letter",
    )


def test_files_are_checked_by_their_bytes_and_counted(org, settings):
    draft = drafts.start(address=HERE)
    with pytest.raises(InvalidInput, match=r"report\.pdf is not a real PDF file: it is a text file"):
        drafts.add_file(draft, "report.pdf", b"plain words", address=HERE)
    assert DraftFile.objects.count() == 0
    for number in range(drafts.MAX_FILES):
        drafts.add_file(draft, f"photo{number}.png", PNG, address=HERE)
    with pytest.raises(InvalidInput, match=r"You can send up to 10 files\. Remove one to add another"):
        drafts.add_file(draft, "one-more.png", PNG, address=HERE)
    assert draft.files.count() == drafts.MAX_FILES


def test_a_removed_or_discarded_file_leaves_nothing_on_disk(org):
    draft = drafts.start(address=HERE)
    kept = drafts.add_file(draft, "roof.png", PNG, address=HERE)
    other = drafts.add_file(draft, "letter.txt", b"Dear tenant", address=HERE)
    assert drafts.remove_file(draft, kept.pk).name == "roof.png"
    assert not kept.file.storage.exists(kept.file.name)
    assert drafts.remove_file(drafts.start(address=HERE), other.pk) is None  # not that draft's file
    drafts.discard(draft)
    assert not other.file.storage.exists(other.file.name)
    assert Draft.objects.filter(pk=draft.pk).count() == DraftFile.objects.count() == 0


def test_the_landlords_are_the_organisations_marked_so(org):
    assert drafts.landlords() == [org]
    Organisation.objects.filter(kind=OrganisationKind.LANDLORD).update(kind=OrganisationKind.SERVICE)
    assert [o.name for o in drafts.landlords()] == ["Flagship Group", "Victory Housing Trust"]
