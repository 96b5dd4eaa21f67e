"""The steps a customer takes on their own case: a review, an appeal, more information, withdrawal
and consent. Each is offered only when the procedure allows it, refused with the procedure's
reason if posted anyway, and never made on a stale copy of the case.

Dates (hand-worked, see test_follow.py): a review asked for on Fri 13 March 2026 means contact by
the end of Fri 20 March; an appeal asked for on Mon 23 March means a meeting by Wed 22 April.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.models import Attachment, Complaint, EventKind, Representative, Stage
from putright.cases.selectors.reviewers import reviewer_for
from putright.cases.services import escalation, responses, triage
from putright.cases.services.customers import add_representative, create_customer
from putright.portal import access
from tests.cases.conftest import Journey
from tests.cases.helpers import at, snapshot
from tests.conftest import sign_in_with_code

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def text(response) -> str:
    body = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&#x27;", "'").replace("&quot;", '"').split())


def let_in(client: Client, complaint: Complaint) -> None:
    client.cookies[access.VISIT_COOKIE] = access.signed_visit({complaint.pk: ""})


def url(name: str, complaint: Complaint, *args: object) -> str:
    return reverse(f"portal:{name}", args=[complaint.reference, *args])


def staff(
    username: str, role: str, org: Organisation, *, first: str | None = None, active: bool = True
) -> User:
    user = User.objects.create_user(
        username=username, password="x", first_name=first or username.title(), role=role, is_active=active
    )
    user.organisations.add(org)
    return user


# Asking for a review ----------------------------------------------------------------


def test_a_review_is_asked_for_with_grounds_and_goes_to_a_senior_manager(client, journey, senior):
    complaint = journey.until("responded")
    let_in(client, complaint)
    with at("Fri 2026-03-13 10:00"):
        form = client.get(url("review", complaint))
        page = text(form)
        assert "Your complaint has not been handled in line with the complaints policy" in page
        assert "You are unhappy with the way the complaint has been handled" in page
        done = client.post(
            url("review", complaint),
            {"version": complaint.version, "grounds": ["a", "b"], "explanation": "The offer is too low"},
            follow=True,
        )
    assert (
        "You have asked for a review. We will contact you about your review by Friday 20 March 2026."
        in text(done)
    )
    assert "We are reviewing your complaint" in text(done)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.owner) == ("stage2", senior)
    review = Stage.objects.get(complaint=complaint, number=2)
    assert (review.grounds, review.request_text) == (["a", "b"], "The offer is too low")
    event = complaint.timeline.get(kind=EventKind.ESCALATED)
    assert (event.actor, event.actor_label) == (None, "Ada Lovelace (online)")


def test_a_review_needs_a_ground_when_the_policy_says_so(client, journey):
    complaint = journey.until("responded")
    let_in(client, complaint)
    before = snapshot(complaint)
    with at("Fri 2026-03-13 10:00"):
        response = client.post(
            url("review", complaint), {"version": complaint.version, "explanation": "Unfair"}
        )
    assert response.status_code == 400
    assert "Select at least one reason why you want a review" in text(response)
    assert snapshot(complaint) == before


def test_a_review_is_offered_only_after_a_response(client, journey):
    complaint = journey.until("contacted")
    let_in(client, complaint)
    with at("Wed 2026-03-04 12:00"):
        assert "Ask for a review" not in text(client.get(url("case", complaint)))
        page = client.get(url("review", complaint))
    assert page.status_code == 200
    assert "You cannot ask for a review now" in text(page)
    assert "You can ask for a review after we have sent you our response to your complaint." in text(page)
    assert "<form" not in page.content.decode().split("main-content")[1].split("footer")[0]


def test_a_review_posted_when_the_procedure_does_not_allow_it_is_refused_with_its_reason(client, journey):
    complaint = journey.until("escalated")
    let_in(client, complaint)
    before = snapshot(complaint)
    with at("Fri 2026-03-13 12:00"):
        response = client.post(url("review", complaint), {"version": complaint.version, "grounds": ["a"]})
    assert response.status_code == 409
    page = text(response)
    assert "You cannot ask for a review now" in page
    assert "Nothing has been changed" in page
    assert "You have already asked for a review. We are looking at your complaint again." in page
    assert "Escalate" not in page and "Stage 2" not in page
    assert snapshot(complaint) == before


def test_a_stale_version_changes_nothing_and_says_so_then_sending_again_works(client, journey, officer):
    complaint = journey.until("responded")
    let_in(client, complaint)
    seen = complaint.version
    with at("Fri 2026-03-13 09:00"):
        responses.add_action(
            complaint, description="Fix the roof", due_on=complaint.received_at.date(), actor=officer
        )
    before = snapshot(complaint)
    with at("Fri 2026-03-13 10:00"):
        stale = client.post(url("review", complaint), {"version": seen, "grounds": ["b"], "explanation": "x"})
    assert stale.status_code == 400
    assert "Your complaint changed while you were on this page, so we have not saved your answer" in text(
        stale
    )
    assert snapshot(complaint) == before
    complaint.refresh_from_db()
    assert f'name="version" value="{complaint.version}"' in stale.content.decode()
    assert 'value="b"' in stale.content.decode() and "checked" in stale.content.decode()
    with at("Fri 2026-03-13 10:05"):
        again = client.post(url("review", complaint), {"version": complaint.version, "grounds": ["b"]})
    assert again.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "stage2"


# Who takes a review asked for online --------------------------------------------------


def test_the_reviewer_is_the_senior_manager_with_fewest_open_reviews_ties_by_name(journey, org, senior, log):
    complaint = journey.until("responded")
    amy = staff("amy", Role.SENIOR_MANAGER, org, first="Amy")
    assert reviewer_for(complaint) == amy  # no open reviews each: Amy before Sam
    other = journey.until("responded")
    with at("Fri 2026-03-13 10:00"):
        escalation.escalate(other, grounds={"a"}, owner=amy, actor=amy)
    assert reviewer_for(complaint) == senior  # Amy has one open review now


def test_the_reviewer_is_never_the_stage_1_handler_nor_inactive_nor_from_elsewhere_nor_an_administrator(
    org, senior, log, officer
):
    elsewhere = Organisation.objects.create(
        name="Other Homes", short_name="OH", kind=OrganisationKind.LANDLORD
    )
    staff("abe", Role.SENIOR_MANAGER, elsewhere, first="Abe")
    staff("ann", Role.SENIOR_MANAGER, org, first="Ann", active=False)
    staff("al", Role.RESOLUTION_OFFICER, org, first="Al")
    staff("ada", Role.ADMINISTRATOR, org, first="Ada")  # runs the system; takes no reviews
    group_manager = staff("zoe", Role.SENIOR_MANAGER, org.parent, first="Zoe")
    with at("Mon 2026-03-02 10:00"):
        complaint = log("2026-03-02 10:00")
    with at("Mon 2026-03-02 11:00"):
        triage.accept(
            complaint, owner=senior, actor=senior, reasoning="Meets the definition."
        )  # Sam handles stage 1
    assert reviewer_for(complaint) == group_manager  # a Senior Manager of the group above


def test_with_nobody_to_take_a_review_the_customer_is_asked_to_call(client, journey, org, senior):
    org.phone = "0800 371 860"
    org.save()
    complaint = journey.until("responded")
    senior.is_active = False
    senior.save()
    let_in(client, complaint)
    before = snapshot(complaint)
    with at("Fri 2026-03-13 10:00"):
        page = client.get(url("review", complaint))
        posted = client.post(url("review", complaint), {"version": complaint.version, "grounds": ["a"]})
    assert "Please call us to ask for a review" in text(page)
    assert "0800 371 860" in text(page)
    assert "Please call us to ask for a review" in text(posted)
    assert snapshot(complaint) == before


# Asking for an appeal ---------------------------------------------------------------


def test_an_appeal_is_asked_for_after_the_review_with_criteria(client, journey):
    complaint = journey.until("responded2")
    let_in(client, complaint)
    with at("Mon 2026-03-23 10:00"):
        page = text(client.get(url("appeal", complaint)))
        assert "Flagship Group has failed to respond to the complaint within the agreed timescale" in page
        missing = client.post(url("appeal", complaint), {"version": complaint.version, "criteria": ["a"]})
        assert missing.status_code == 400
        assert "Tell us why you want to appeal" in text(missing)
        done = client.post(
            url("appeal", complaint),
            {
                "version": complaint.version,
                "criteria": ["a", "c"],
                "explanation": "Point 2 was never looked at",
            },
            follow=True,
        )
    assert "You have asked for an appeal." in text(done)
    assert "We will hold your appeal meeting by Wednesday 22 April 2026." in text(done)
    complaint.refresh_from_db()
    assert complaint.state == "appeal_requested"
    appeal = Stage.objects.get(complaint=complaint, number=3)
    assert appeal.grounds == ["a", "c"]
    assert complaint.timeline.get(kind=EventKind.APPEAL_REQUESTED).actor_label == "Ada Lovelace (online)"


def test_no_review_or_appeal_after_the_final_response(client, journey):
    complaint = journey.until("final")
    let_in(client, complaint)
    before = snapshot(complaint)
    with at("Mon 2026-04-27 12:00"):
        page = text(client.get(url("case", complaint)))
        posted = client.post(
            url("appeal", complaint),
            {"version": complaint.version, "criteria": ["a"], "explanation": "Again"},
        )
    assert "Ask for a review" not in page and "Ask for an appeal" not in page
    assert posted.status_code == 409
    assert "You have already asked for an appeal." in text(posted)
    assert "Request appeal" not in text(posted)
    assert snapshot(complaint) == before


# Adding information or evidence -------------------------------------------------------


def test_information_is_kept_as_words_on_the_case_and_a_photo_as_itself(client, journey, officer):
    complaint = journey.until("contacted")
    let_in(client, complaint)
    with at("Tue 2026-03-03 12:00"):
        done = client.post(
            url("information", complaint),
            {
                "version": complaint.version,
                "information": "The leak is worse after the rain.\nIt drips onto the bed.",
                "file": SimpleUploadedFile("ceiling.png", PNG, content_type="image/png"),
            },
            follow=True,
        )
    assert "Thank you. We have added this to your complaint." in text(done)
    assert "We will send you our response by Monday 16 March 2026." in text(done)
    # The words are not a file: the only attachment is the photo.
    (photo,) = Attachment.objects.filter(complaint=complaint)
    assert (photo.name, photo.content_type) == ("ceiling.png", "image/png")
    # The customer reads back what they wrote, as words, beside the photo's name.
    page = text(done)
    wrote = "You wrote on Tuesday 3 March 2026: The leak is worse after the rain. It drips onto the bed."
    assert wrote in page
    assert "ceiling.png" in page and ".txt" not in page
    assert "The leak is worse after the rain.<br>It drips onto the bed." in done.content.decode()
    note = complaint.timeline.get(kind=EventKind.INFORMATION_ADDED)
    assert (note.actor_label, note.data["text"]) == (
        "Ada Lovelace (online)",
        "The leak is worse after the rain.\nIt drips onto the bed.",
    )
    assert complaint.timeline.get(kind=EventKind.EVIDENCE_ADDED).actor_label == "Ada Lovelace (online)"
    # Staff read it on the case page, under what the customer wrote.
    staff_client = Client()
    with at("Tue 2026-03-03 12:30"):
        sign_in_with_code(staff_client, officer)
        case_page = staff_client.get(reverse("web:case", args=[complaint.reference]))
    staff_text = text(case_page)
    assert (
        "What the customer wrote Tuesday 3 March 2026 at 12:00, from Ada Lovelace (online) "
        "The leak is worse after the rain. It drips onto the bed."
    ) in staff_text


def test_information_on_its_own_changes_the_case_once_and_refuses_a_stale_page(client, journey):
    complaint = journey.until("contacted")
    let_in(client, complaint)
    version = complaint.version
    with at("Tue 2026-03-03 12:00"):
        client.post(url("information", complaint), {"version": version, "information": "A first note"})
        again = client.post(
            url("information", complaint), {"version": version, "information": "A second note"}
        )
    assert again.status_code in (400, 409)
    notes = complaint.timeline.filter(kind=EventKind.INFORMATION_ADDED).values_list("summary", flat=True)
    assert list(notes) == ["A first note"]
    assert not Attachment.objects.filter(complaint=complaint).exists()


def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_kept(client, journey):
    complaint = journey.until("accepted")
    let_in(client, complaint)
    before = snapshot(complaint)
    with at("Tue 2026-03-03 12:00"):
        response = client.post(
            url("information", complaint),
            {
                "version": complaint.version,
                "information": "See the photo",
                "file": SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg"),
            },
        )
    assert response.status_code == 400
    assert "photo.jpg is not what its name says" in text(response)
    assert snapshot(complaint) == before
    assert not Attachment.objects.filter(complaint=complaint).exists()


def test_an_empty_information_form_says_what_to_do(client, journey):
    complaint = journey.until("accepted")
    let_in(client, complaint)
    with at("Tue 2026-03-03 12:00"):
        response = client.post(
            url("information", complaint), {"version": complaint.version, "information": " "}
        )
    assert response.status_code == 400
    assert "Write something or choose a file to add" in text(response)


# Withdrawing ------------------------------------------------------------------------


def test_a_complaint_is_withdrawn_only_after_saying_yes(client, journey):
    complaint = journey.until("accepted")
    let_in(client, complaint)
    with at("Tue 2026-03-03 12:00"):
        unanswered = client.post(url("withdraw", complaint), {"version": complaint.version})
        assert "Select yes if you want to withdraw your complaint" in text(unanswered)
        no = client.post(url("withdraw", complaint), {"version": complaint.version, "confirm": "no"})
        assert no.status_code == 302
        complaint.refresh_from_db()
        assert complaint.state == "stage1"
        yes = client.post(
            url("withdraw", complaint),
            {"version": complaint.version, "confirm": "yes", "reason": "It was fixed"},
            follow=True,
        )
    assert "You have withdrawn your complaint." in text(yes)
    assert "You withdrew your complaint" in text(yes)
    assert "Withdraw your complaint" not in text(yes)
    complaint.refresh_from_db()
    assert complaint.state == "withdrawn"
    event = complaint.timeline.get(kind=EventKind.WITHDRAWN)
    assert (event.summary, event.actor_label) == (
        "Withdrawn by the customer: It was fixed",
        "Ada Lovelace (online)",
    )


# Consent ----------------------------------------------------------------------------


def test_consent_is_given_for_an_mp_then_withdrawn(client, journey):
    complaint = journey.until("responded")
    let_in(client, complaint)
    with at("Fri 2026-03-13 10:00"):
        unticked = client.post(
            url("consent", complaint), {"kind": "designated_person", "name": "Jo Bloggs MP"}
        )
        assert unticked.status_code == 400
        assert "Tick the box to give your consent" in text(unticked)
        given = client.post(
            url("consent", complaint),
            {
                "kind": "designated_person",
                "name": "Jo Bloggs MP",
                "role": "MP for North Norfolk",
                "email": "jo@example.org",
                "agree": ["yes"],
            },
            follow=True,
        )
    assert "Jo Bloggs MP can now act for you on your complaint." in text(given)
    assert "Jo Bloggs MP Designated person (MP, councillor): MP for North Norfolk" in text(given)
    person = Representative.objects.get(customer=complaint.customer)
    assert (person.kind, person.consent_how, person.has_consent) == (
        "designated_person",
        "given online by the customer",
        True,
    )
    let_in(client, complaint)  # a new visit: one lasts 30 minutes without a page (issue 15)
    with at("Fri 2026-03-13 14:00"):
        confirm = client.get(url("consent-withdraw", complaint, person.pk))
        assert "Stop Jo Bloggs MP acting for you" in text(confirm)
        withdrawn = client.post(
            url("consent-withdraw", complaint, person.pk), {"confirm": "yes"}, follow=True
        )
    assert "Jo Bloggs MP can no longer act for you." in text(withdrawn)
    assert "Nobody acts for you at the moment." in text(withdrawn)
    person.refresh_from_db()
    assert person.consent_withdrawn_at is not None and not person.has_consent


def test_someone_elses_representative_cannot_be_touched(client, journey, org):
    complaint = journey.until("accepted")
    stranger = create_customer(organisation=org, first_name="Bob", last_name="Other", phone="1")
    theirs = add_representative(
        customer=stranger,
        name="Their Friend",
        kind="family_or_friend",
        consent_given_at=complaint.received_at,
        consent_how="letter",
    )
    let_in(client, complaint)
    response = client.post(url("consent-withdraw", complaint, theirs.pk), {"confirm": "yes"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.has_consent


# Every step page, with and without errors, says what it is for -------------------------


@pytest.mark.parametrize("name", ["review", "information", "withdraw", "consent"])
def test_step_pages_have_a_back_link_and_a_cancel(client, journey, name):
    complaint = journey.until("responded")
    let_in(client, complaint)
    with at("Fri 2026-03-13 10:00"):
        page = client.get(url(name, complaint))
    assert page.status_code == 200
    body = page.content.decode()
    assert "govuk-back-link" in body and "Cancel" in body
    assert f'href="{url("case", complaint)}"' in body
