"""The start page and the complaint form, as a customer meets them, through the test client.

"Now" is Thu 24 December 2026 at 15:00 unless a test says otherwise: the last
working day before Christmas in England. By hand, with the policy's rules
(working days are Monday to Friday without bank holidays; a clock starts at
once on a working day before 17:00):

- first contact within 24 working hours: 9 hours are left of Thu 24 December;
  Fri 25 (Christmas Day), Sat 26, Sun 27 and Mon 28 (the Boxing Day substitute)
  do not count, so the other 15 hours run on Tue 29 December: 15:00 that day.
- a response within 10 working days of receipt: Tue 29 (1), Wed 30 (2),
  Thu 31 (3), Fri 1 January is New Year's Day, Mon 4 (4), Tue 5 (5), Wed 6 (6),
  Thu 7 (7), Fri 8 (8), Mon 11 (9), Tue 12 January 2027 (10).
- the time limit is 6 months: a matter of Tue 23 June 2026 is more than 6
  months before Thu 24 December 2026 (23 June + 6 months = 23 December); a
  matter of Wed 24 June 2026 is not.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation, OrganisationKind
from putright.cases.models import (
    Attachment,
    Channel,
    Complaint,
    ContactPreference,
    Customer,
    EventKind,
    ReasonableAdjustment,
    Representative,
    TimelineEvent,
)
from putright.portal import drafts, limits
from putright.portal.models import Draft, DraftFile, RateEvent
from tests.cases.helpers import at, day, on
from tests.design.helpers import date_boxes

pytestmark = pytest.mark.django_db

NOW = "Thu 2026-12-24 15:00"
CHECK = "/complain/check-your-answers/"
SENT = "/complain/sent/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(50)


def when(happened: str, found_out: str = "") -> dict[str, str]:
    """The "When did it happen?" page's boxes, from ISO dates: {"matter_date-day": "1", ...}."""
    return {**date_boxes("matter_date", happened), **date_boxes("became_aware_on", found_out)}


#: Good answers for every page a tenant is asked, in order.
TENANT = {
    "who": {"who": "tenant"},
    "name": {"first_name": "Ada", "last_name": "Lovelace"},
    "address": {"line_1": "1 Cromer Road", "line_2": "", "town": "North Walsham", "postcode": "nr280nb"},
    "contact": {"email": "ada@example.org", "phone": "", "preferred": "email", "preferred_time": "Mornings"},
    "help": {"kinds": ["large_print", "other_language"], "detail_other_language": "Polish"},
    "about": {"category": "service_failure"},
    "what-went-wrong": {
        "summary": "Roof leak not repaired",
        "description": "The roof has leaked since October and nobody came to fix it.",
    },
    "when": when("2026-12-01"),
    "put-right": {"desired_outcome": "Repair the roof and redecorate the bedroom."},
    "evidence": {"action": "continue"},
}


def text(response) -> str:
    """The page as a person reads it: tags removed, entities read, spaces collapsed."""
    from html import unescape

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def main(response) -> str:
    """The words of the main content only."""
    html = response.content.decode()
    return text(
        type("R", (), {"content": html[html.index('id="main-content"') : html.index("</main>")].encode()})
    )


def error_summary(response) -> str:
    html = response.content.decode()
    assert "govuk-error-summary" in html, "no error summary on the page"
    start = html.index("govuk-error-summary")
    return text(type("R", (), {"content": html[start : html.index("</ul>", start)].encode()}))


def answer(client: Client, slug: str, data: dict, *, change: bool = False):
    return client.post(f"/complain/{slug}/{'?change=1' if change else ''}", data)


def fill(client: Client, answers: dict = TENANT, **replace: dict) -> None:
    """Answer every page with good answers (``replace`` one page's), each leading to the next."""
    for slug, data in {**answers, **replace}.items():
        reply = answer(client, slug, data)
        assert reply.status_code == 302, f"{slug}: {main(reply)}"


def send(client: Client, data: dict | None = None):
    return client.post(CHECK, data or {})


def counts() -> dict[str, int]:
    return {
        "complaints": Complaint.objects.count(),
        "customers": Customer.objects.count(),
        "representatives": Representative.objects.count(),
        "attachments": Attachment.objects.count(),
    }


NOTHING = {"complaints": 0, "customers": 0, "representatives": 0, "attachments": 0}


# The start page


def test_the_start_page_says_what_can_and_cannot_be_complained_about_and_where_else_to_go(client, org):
    org.phone = "0800 371 860"
    org.save()
    page = main(client.get("/"))
    assert "You can complain if" in page
    assert "Our staff have acted inappropriately or been rude" in page
    assert "Your complaint will not be considered if" in page
    assert "You waited more than six months before making your complaint" in page
    assert "reporting a leaking tap is requesting a repair, not making a complaint" in page
    assert "You use threatening or abusive language or actions" in page
    assert (
        "To ask for a repair or another service for the first time, contact repairs on 0800 371 860." in page
    )
    assert (
        "To report a problem with a neighbour or another resident, contact the anti-social behaviour team "
        "on 0800 371 860." in page
    )
    assert "one of our Resolution Officers will contact you within 24 working hours. We" in page
    assert "We will try to give you our response within 10 working days. We will contact you" in page
    assert "Housing Ombudsman Service" in page


def test_the_start_page_starts_the_form_and_links_to_following_a_complaint(client, org):
    html = client.get("/").content.decode()
    assert re.search(r'<a href="/complain/"[^>]*class="govuk-button govuk-button--start"', html)
    assert 'href="/your-complaint/">Follow your complaint</a>' in html
    assert client.get("/complain/").headers["Location"] == "/complain/who/"


def test_looking_at_the_form_stores_nothing(client, org):
    for slug in ("who", "name", "address", "contact", "help", "about", "evidence"):
        assert client.get(f"/complain/{slug}/").status_code == 200
    assert client.get(CHECK).headers["Location"] == "/complain/who/"
    assert Draft.objects.count() == 0


# A complaint, start to finish


@pytest.fixture
def mailbox(delivered_mail):
    """What arrives at a real SMTP server on loopback, through the outbox and the worker's delivery."""
    return delivered_mail


def test_a_tenant_complains_and_is_told_the_reference_and_the_dates(
    client, org, mailbox, django_capture_on_commit_callbacks
):
    with at(NOW):
        fill(client)
        with django_capture_on_commit_callbacks(execute=True):
            assert send(client).headers["Location"] == SENT
        page = main(client.get(SENT))
    complaint = Complaint.objects.get()
    assert f"Complaint sent Your reference is {complaint.reference}" in page
    assert day("Tue 2026-12-29") and day("Tue 2027-01-12")
    assert "will contact you by Tuesday 29 December 2026 at 15:00" in page
    assert "give you our response by Tuesday 12 January 2027" in page
    assert "We have sent an email to ada@example.org with a link to follow your complaint" in page
    assert "enter your reference, your postcode and your surname" in page
    assert "There is also an option to refer your complaint to the Housing Ombudsman Service" in page
    [message] = mailbox
    assert message["To"] == "ada@example.org"
    assert complaint.reference in message["Subject"]


def _plain(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return " ".join(part.get_payload(decode=True).decode().split())
    raise AssertionError("no text/plain part")


def test_the_confirmation_email_repeats_the_reference_the_matter_and_the_dates_signed_by_the_landlord(
    client, org, mailbox, django_capture_on_commit_callbacks
):
    # The landlord chosen has its own email address but no phone: its group's phone is printed.
    org.email = "complaints@victory.example"
    org.save()
    org.parent.phone = "0808 157 0001"
    org.parent.save()
    with at(NOW):
        fill(client)
        with django_capture_on_commit_callbacks(execute=True):
            send(client)
    complaint = Complaint.objects.get()
    [message] = mailbox
    assert message["Subject"] == f"Your complaint {complaint.reference}: we have received it"
    plain = _plain(message)
    assert f"We have received it, and your reference is {complaint.reference}." in plain
    assert f"What your complaint is about: {complaint.summary}" in plain
    assert complaint.summary == "Roof leak not repaired"  # the customer's own one line
    # Not yet accepted: the stage 1 clocks from receipt, worded as what happens if it is (see above).
    assert "If we cannot, we will contact you by Tuesday 29 December 2026 at 15:00." in plain
    assert "We will try to give you our response by Tuesday 12 January 2027." in plain
    assert plain.endswith("Victory Housing Trust Phone 0808 157 0001 Email complaints@victory.example"), (
        plain[-200:]
    )
    assert "Flagship Group" not in plain
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert "Tuesday 12 January 2027" in html.get_payload(decode=True).decode()


def test_the_complaint_is_stored_as_the_customer_said_it(client, org):
    with at(NOW):
        fill(client)
        send(client)
    complaint = Complaint.objects.select_related("customer").get()
    customer = complaint.customer
    assert (customer.first_name, customer.last_name, customer.organisation) == ("Ada", "Lovelace", org)
    assert (customer.address, customer.postcode) == ("1 Cromer Road\nNorth Walsham", "NR28 0NB")
    assert (customer.email, customer.tenure) == ("ada@example.org", "tenant")
    assert (customer.preferred_contact, customer.preferred_contact_time) == (
        ContactPreference.EMAIL,
        "Mornings",
    )
    assert sorted(str(a) for a in ReasonableAdjustment.objects.filter(customer=customer)) == [
        "Another language: Polish",
        "Large print",
    ]
    assert complaint.channel == Channel.WEB
    assert complaint.received_at == on(NOW)
    assert complaint.organisation == org and complaint.state == "received"
    assert complaint.category == "service_failure"
    assert complaint.description == TENANT["what-went-wrong"]["description"]
    # The customer's own one line, not the first words of what went wrong.
    assert complaint.summary == "Roof leak not repaired"
    assert list(complaint.points.values_list("summary", flat=True)) == ["Roof leak not repaired"]
    assert complaint.desired_outcome == "Repair the roof and redecorate the bedroom."
    assert complaint.matter_date == dt.date(2026, 12, 1)
    draft = Draft.objects.get()
    assert draft.complaint == complaint and draft.submitted_at == on(NOW)


def test_the_timeline_says_it_came_by_the_web_form_and_when(client, org):
    with at(NOW):
        fill(client)
        send(client)
    first = TimelineEvent.objects.order_by("occurred_at", "pk").first()
    assert first.kind == EventKind.COMPLAINT_LOGGED
    assert first.summary.startswith("Complaint received by web form: ")
    assert first.data["channel"] == "web"
    assert first.occurred_at == on(NOW)
    assert (first.actor, first.actor_label) == (None, "Ada Lovelace")


def test_the_complaint_waits_for_triage_in_the_staff_workspace(client, org, frontline):
    with at(NOW):
        fill(client)
        send(client)
        reference = Complaint.objects.get().reference
        staff = Client()
        staff.force_login(frontline)
        home = staff.get("/work/").content.decode()
    triage = home[home.index('id="triage"') :]
    triage = text(type("R", (), {"content": triage[: triage.index("</table>")].encode()}))
    assert reference in triage and "Ada Lovelace" in triage


def test_someone_acting_for_a_tenant_is_recorded_as_their_representative_with_consent(client, org):
    acting = {
        "who": {"who": "someone_else"},
        "for-someone": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "tenure": "leaseholder",
            "kind": "family_or_friend",
            "role": "Daughter",
            "consent": "on",
        },
        "name": {"first_name": "Byron", "last_name": "King"},
    }
    with at(NOW):
        fill(client, {**acting, **{k: v for k, v in TENANT.items() if k not in acting}})
        check = main(client.get(CHECK))
        send(client)
        sent = main(client.get(SENT))
    assert "enter your reference, and the postcode and surname of Ada Lovelace." in sent
    assert (
        "Complaining for Ada Lovelace" in check
        and "How you know them I am a family member or friend (Daughter)" in check
    )
    complaint = Complaint.objects.select_related("customer", "representative").get()
    customer, representative = complaint.customer, complaint.representative
    assert (customer.full_name, customer.tenure, customer.email) == ("Ada Lovelace", "leaseholder", "")
    assert customer.postcode == "NR28 0NB"
    assert (representative.name, representative.kind, representative.role) == (
        "Byron King",
        "family_or_friend",
        "Daughter",
    )
    assert representative.email == "ada@example.org" and representative.has_consent
    assert representative.consent_given_at == on(NOW)
    assert representative.consent_how == "on the web form, confirmed by the representative"
    assert complaint.timeline.get().actor_label == "Byron King"


# Moving between pages


def test_back_keeps_the_answers(client, org):
    fill(client, {k: TENANT[k] for k in ("who", "name", "address")})
    back = client.get("/complain/name/").content.decode()
    assert 'value="Ada"' in back and 'value="Lovelace"' in back
    assert re.search(r'value="tenant"[^>]*checked', client.get("/complain/who/").content.decode())
    assert (
        '<a href="/complain/name/" class="govuk-back-link">Back</a>'
        in client.get("/complain/address/").content.decode()
    )
    assert '<a href="/" class="govuk-back-link">Back</a>' in client.get("/complain/who/").content.decode()


def _writes(captured: CaptureQueriesContext, table: str = "portal_draft") -> list[str]:
    return [q["sql"] for q in captured if q["sql"].startswith(f'UPDATE "{table}"')]


def test_moving_forward_through_unchanged_pages_rewrites_nothing_and_a_change_is_saved(client, org):
    """Back then Continue (or a Change link and no change) must not rewrite the saved answers (issue 16)."""
    fill(client)
    saved = Draft.objects.get()
    for slug in ("who", "name", "address", "contact", "help", "when", "evidence"):
        with CaptureQueriesContext(connection) as captured:
            reply = answer(client, slug, TENANT[slug])  # as typed: the postcode in lower case, dates in boxes
        assert reply.status_code == 302, slug
        assert _writes(captured) == [], f"{slug} was rewritten though nothing changed"
    assert Draft.objects.get().updated_at == saved.updated_at
    with CaptureQueriesContext(connection) as captured:
        answer(client, "name", {"first_name": "Augusta", "last_name": "Lovelace"})
    assert len(_writes(captured)) == 1
    assert Draft.objects.get().answers == {
        **saved.answers,
        "name": {"first_name": "Augusta", "last_name": "Lovelace"},
    }
    with CaptureQueriesContext(connection) as captured:
        answer(client, "help", {"kinds": ["large_print"]}, change=True)
    assert len(_writes(captured)) == 1 and Draft.objects.get().answers["help"]["kinds"] == ["large_print"]


def test_the_first_answer_makes_the_draft_with_it_in_one_write(client, org):
    with CaptureQueriesContext(connection) as captured:
        answer(client, "who", TENANT["who"])
    assert _writes(captured) == []
    assert [q["sql"] for q in captured if q["sql"].startswith('INSERT INTO "portal_draft"')]
    assert Draft.objects.get().answers == {"who": {"who": "tenant"}}


def test_a_change_link_returns_to_check_your_answers(client, org):
    with at(NOW):
        fill(client)
        check = client.get(CHECK).content.decode()
        change = (
            '<a class="govuk-link" href="/complain/name/?change=1">Change<span class="govuk-visually-hidden">'
        )
        assert f"{change} your name</span></a>" in check
        reply = answer(client, "name", {"first_name": "Augusta", "last_name": "King"}, change=True)
        assert reply.headers["Location"] == CHECK
        assert "Your name Augusta King" in main(client.get(CHECK))


def test_a_change_that_asks_a_new_question_asks_it_before_returning(client, org):
    with at(NOW):
        fill(client)
        reply = answer(client, "who", {"who": "someone_else"}, change=True)
        assert reply.headers["Location"] == "/complain/for-someone/?change=1"
        assert client.get(CHECK).headers["Location"] == "/complain/for-someone/"
        reply = answer(
            client,
            "for-someone",
            {
                "first_name": "Ann",
                "last_name": "Lee",
                "tenure": "tenant",
                "kind": "advocate",
                "consent": "on",
            },
            change=True,
        )
        assert reply.headers["Location"] == CHECK


@time_machine.travel(on(NOW), tick=False)
def test_the_landlord_is_asked_only_when_there_is_more_than_one(client, org):
    fill(client, {k: TENANT[k] for k in ("who", "name", "address", "contact", "help")})
    assert client.get("/complain/landlord/").headers["Location"] == "/complain/about/"
    other = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    reply = answer(client, "help", TENANT["help"])
    assert reply.headers["Location"] == "/complain/landlord/"
    page = main(client.get("/complain/landlord/"))
    assert "Who is your landlord? Suffolk Housing Victory Housing Trust" in page
    with at(NOW):
        fill(
            client,
            {
                "landlord": {"organisation": other.pk},
                **{k: v for k, v in TENANT.items() if k not in ("who", "name", "address", "contact", "help")},
            },
        )
        send(client)
    assert Complaint.objects.get().organisation == other


# What the time limit asks


def test_a_matter_older_than_the_time_limit_asks_why_and_is_not_refused(client, org):
    with at(NOW):
        fill(
            client,
            {k: TENANT[k] for k in ("who", "name", "address", "contact", "help", "about", "what-went-wrong")},
        )
        reply = answer(client, "when", when(str(day("Tue 2026-06-23"))))
        assert reply.headers["Location"] == "/complain/why-now/"
        page = main(client.get("/complain/why-now/"))
        assert "You told us it happened on Tuesday 23 June 2026. That is more than 6 months ago." in page
        assert "unless there is a good reason" in page
        empty = answer(client, "why-now", {"reason": ""})
        assert "Tell us why you did not complain sooner" in error_summary(empty)
        fill(
            client,
            {
                "why-now": {"reason": "I was in hospital."},
                "put-right": TENANT["put-right"],
                "evidence": TENANT["evidence"],
            },
        )
        assert "Why you are complaining now I was in hospital." in main(client.get(CHECK))
        send(client)
    complaint = Complaint.objects.get()
    assert complaint.matter_date == dt.date(2026, 6, 23)
    assert complaint.description.endswith(
        "Why I am complaining now (more than 6 months after it happened): I was in hospital."
    )


def test_a_matter_within_the_time_limit_is_not_asked_why(client, org):
    with at(NOW):
        reply = answer(client, "when", when(str(day("Wed 2026-06-24"))))
        assert reply.headers["Location"] == "/complain/put-right/"
        assert client.get("/complain/why-now/").headers["Location"] == "/complain/put-right/"


def test_a_later_date_of_finding_out_is_stored_and_the_time_limit_runs_from_it(client, org):
    # It happened on Tue 23 June 2026, more than 6 months before Thu 24 December 2026; found out
    # on Wed 24 June, which is not: the form does not ask why now.
    with at(NOW):
        fill(client, {**TENANT, "when": when("2026-06-23", found_out="2026-06-24")})
        page = main(client.get(CHECK))
        assert "When it happened Tuesday 23 June 2026" in page
        assert "When you found out about it Wednesday 24 June 2026" in page
        send(client)
    complaint = Complaint.objects.get()
    assert (complaint.matter_date, complaint.became_aware_on) == (dt.date(2026, 6, 23), dt.date(2026, 6, 24))


def test_a_late_complaint_is_told_both_dates_it_gave(client, org):
    # Found out on Mon 1 June 2026: 1 June + 6 months = 1 December, before Thu 24 December 2026.
    with at(NOW):
        reply = answer(client, "when", when("2026-01-05", found_out="2026-06-01"))
        assert reply.headers["Location"] == "/complain/why-now/"
        page = main(client.get("/complain/why-now/"))
    assert (
        "You told us it happened on Monday 5 January 2026 and that you found out about it on "
        "Monday 1 June 2026. That is more than 6 months ago."
    ) in page


def test_a_saved_date_comes_back_in_its_day_month_and_year_boxes(client, org):
    with at(NOW):
        answer(client, "when", when("2026-06-24", found_out="2026-07-02"))
        html = client.get("/complain/when/").content.decode()
    typed = dict(
        re.findall(r'name="([a-z_]+-(?:day|month|year))" type="text" inputmode="numeric" value="(\d+)"', html)
    )
    assert typed == {
        "matter_date-day": "24",
        "matter_date-month": "6",
        "matter_date-year": "2026",
        "became_aware_on-day": "2",
        "became_aware_on-month": "7",
        "became_aware_on-year": "2026",
    }
    assert 'type="date"' not in html


def test_the_error_summary_links_to_the_first_box_at_fault(client, org):
    with at(NOW):
        reply = answer(client, "when", {"matter_date-day": "3", "matter_date-year": "2026"})
    html = reply.content.decode()
    assert '<a href="#id_matter_date-month">The date it happened must include a month</a>' in html
    assert 'govuk-input--error" id="id_matter_date-month"' in html
    assert 'govuk-input--width-2" id="id_matter_date-day"' in html  # the day is not marked


# Bad input: a clear message, and nothing stored


BAD = [
    ("who", {}, "Choose who is making the complaint"),
    ("for-someone", {"tenure": "tenant", "kind": "advocate"}, "Enter their first name"),
    (
        "for-someone",
        {"first_name": "A", "last_name": "B", "tenure": "tenant", "kind": "advocate"},
        "Confirm that they agree to you making this complaint for them",
    ),
    ("name", {"first_name": "", "last_name": "Lovelace"}, "Enter your first name"),
    (
        "name",
        {"first_name": "A" * 101, "last_name": "Lovelace"},
        "First name must be 100 characters or fewer",
    ),
    ("address", {"line_1": "1 Road", "town": "Town", "postcode": ""}, "Enter the postcode"),
    (
        "address",
        {"line_1": "1 Road", "town": "Town", "postcode": "NR28 ONB"},
        "Enter a real postcode, like NR28 0NB",
    ),
    (
        "address",
        {"line_1": "", "town": "Town", "postcode": "NR28 0NB"},
        "Enter the first line of the address",
    ),
    ("contact", {"preferred": "phone"}, "Enter an email address or a phone number, so we can contact you"),
    (
        "contact",
        {"email": "ada@", "preferred": "email"},
        "Enter an email address in the correct format, like name@example.com",
    ),
    (
        "contact",
        {"phone": "12", "preferred": "phone"},
        "Enter a phone number, like 01632 960 001 or 07700 900 982",
    ),
    (
        "contact",
        {"phone": "01603 000000", "preferred": "email"},
        "Enter your email address, or choose another way to be contacted",
    ),
    ("contact", {"email": "ada@example.org"}, "Choose how you would like us to contact you"),
    ("help", {"kinds": ["other_language"]}, "Enter the language you need"),
    ("help", {"kinds": ["preferred_time"]}, "Enter the days or times that suit you"),
    ("about", {}, "Choose what your complaint is about"),
    ("about", {"category": "made_up"}, "Select a valid choice"),
    ("what-went-wrong", {"summary": "Roof", "description": "  "}, "Enter what went wrong"),
    (
        "what-went-wrong",
        {"summary": "Roof", "description": "x" * 5001},
        "What went wrong must be 5,000 characters or fewer",
    ),
    (
        "what-went-wrong",
        {"summary": " ", "description": "Leak"},
        "Enter what your complaint is about in one line",
    ),
    (
        "what-went-wrong",
        {"summary": "x" * 101, "description": "Leak"},
        "The one-line summary must be 100 characters or fewer",
    ),
    ("when", {}, "Enter the date it happened"),
    (
        "when",
        {"matter_date-day": "30", "matter_date-month": "2", "matter_date-year": "2026"},
        "The date it happened must be a real date",
    ),
    (
        "when",
        {"matter_date-day": "30", "matter_date-year": "2026"},
        "The date it happened must include a month",
    ),
    (
        "when",
        {"matter_date-day": "3", "matter_date-month": "2", "matter_date-year": "26"},
        "Year must include 4 numbers",
    ),
    (
        "when",
        when(str(day("Fri 2026-12-25"))),
        "The date it happened must be today or in the past",
    ),
    (
        "when",
        when("2026-12-01", found_out="2026-11-30"),
        "The date you found out about it must be the same as or after the date it happened",
    ),
    (
        "put-right",
        {"desired_outcome": "x" * 2001},
        "What would put things right must be 2,000 characters or fewer",
    ),
    ("evidence", {"action": "upload"}, "Select a file to upload"),
]


@pytest.mark.parametrize(("slug", "data", "message"), BAD, ids=[f"{s}-{m[:30]}" for s, _d, m in BAD])
def test_each_page_explains_what_is_wrong_and_stores_nothing(client, org, slug, data, message):
    with at(NOW):
        answer(client, "who", {"who": "someone_else"})  # so that every page is asked
        answer(client, "when", when("2026-01-01"))
        before = Draft.objects.get().answers
        reply = answer(client, slug, data)
    assert reply.status_code == 400
    assert message in error_summary(reply)
    assert (
        message in main(reply).split("There is a problem", 1)[1].split(message, 1)[1]
    )  # beside the answer too
    assert "<title>Error: " in reply.content.decode()
    assert Draft.objects.get().answers == before
    assert counts() == NOTHING


def test_a_long_answer_shows_its_limit_and_is_not_cut_off_by_the_browser(client, org):
    html = client.get("/complain/what-went-wrong/").content.decode()
    assert 'data-module="govuk-character-count" data-maxlength="5000"' in html
    assert "You can enter up to 5,000 characters" in html
    assert ' maxlength="5000"' not in html
    assert 'aria-describedby="id_description-info id_description-hint"' in html


# Evidence


def upload(client: Client, name: str, content: bytes, *, action: str = "upload"):
    return client.post("/complain/evidence/", {"file": SimpleUploadedFile(name, content), "action": action})


def test_files_are_added_one_at_a_time_listed_and_removable(client, org):
    fill(client, {k: TENANT[k] for k in ("who", "name")})
    assert upload(client, "roof.png", PNG).headers["Location"] == "/complain/evidence/"
    upload(client, "letter.txt", b"Dear tenant, we will come on Monday.")
    page = client.get("/complain/evidence/")
    assert "letter.txt uploaded" in main(page)
    assert [f.name for f in DraftFile.objects.all()] == ["roof.png", "letter.txt"]
    html = page.content.decode()
    assert "roof.png" in html and "letter.txt" in html
    roof = DraftFile.objects.get(name="roof.png")
    assert (
        f'form="remove-{roof.pk}"' in html
        and 'Remove<span class="govuk-visually-hidden"> roof.png</span>' in html
    )
    reply = client.post(f"/complain/evidence/remove/{roof.pk}/")
    assert reply.headers["Location"] == "/complain/evidence/"
    assert "roof.png removed" in main(client.get("/complain/evidence/"))
    assert [f.name for f in DraftFile.objects.all()] == ["letter.txt"]


def test_a_file_too_large_or_not_what_its_name_says_is_refused_and_every_answer_kept(
    client, org, settings, django_capture_on_commit_callbacks
):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 2048
    with at(NOW):
        fill(client, {k: v for k, v in TENANT.items() if k != "evidence"})
        saved = Draft.objects.get().answers
        big = upload(client, "roof.png", PNG + bytes(2048))
        fake = upload(client, "report.pdf", b"Just some text pretending to be a PDF")
        unknown = upload(client, "virus.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xfe\x00")
    assert big.status_code == fake.status_code == unknown.status_code == 400
    assert "roof.png is larger than the limit of 2 KB" in error_summary(big)
    assert (
        "report.pdf is not a real PDF file: it is a text file. Check you chose the right file"
        in error_summary(fake)
    )
    assert "virus.exe is not a PDF, PNG, JPEG or plain text file" in error_summary(unknown)
    assert DraftFile.objects.count() == 0
    assert Draft.objects.get().answers == saved
    with at(NOW):
        reply = upload(client, "roof.png", PNG, action="continue")
        assert reply.headers["Location"] == CHECK
        assert "roof.png" in main(client.get(CHECK))
        with django_capture_on_commit_callbacks(execute=True):
            send(client)
    [attachment] = Attachment.objects.all()
    assert (attachment.name, attachment.content_type, attachment.uploaded_by_label) == (
        "roof.png",
        "image/png",
        "Ada Lovelace",
    )
    assert attachment.file.read() == PNG
    assert DraftFile.objects.count() == 0  # the draft's copy is no longer needed


def test_a_file_cannot_be_removed_from_another_draft(client, org):
    upload(client, "roof.png", PNG)
    stranger = Client()
    stranger.post(f"/complain/evidence/remove/{DraftFile.objects.get().pk}/")
    assert DraftFile.objects.count() == 1


# Sending once


def test_sending_twice_makes_one_complaint_and_both_reach_its_confirmation(client, org):
    with at(NOW):
        fill(client)
        first, second = send(client), send(client)
        again = client.get(CHECK)
        back = client.get("/complain/contact/")
    assert first.headers["Location"] == second.headers["Location"] == SENT
    assert again.headers["Location"] == back.headers["Location"] == SENT
    assert Complaint.objects.count() == Customer.objects.count() == 1
    assert (
        RateEvent.objects.filter(bucket__startswith="complain:").count() == 2
    )  # one send, counted by address and by email


def test_the_confirmation_is_shown_only_to_the_session_that_sent_it(client, org):
    with at(NOW):
        fill(client)
        send(client)
        reference = Complaint.objects.get().reference
        assert reference in main(client.get(SENT))
        stranger = Client().get(SENT)
    assert stranger.headers["Location"] == "/"


def test_after_sending_start_now_begins_a_new_complaint(client, org):
    with at(NOW):
        fill(client)
        send(client)
        client.get("/complain/")
        assert 'value="Ada"' not in client.get("/complain/name/").content.decode()
        fill(client)
        send(client)
    assert Complaint.objects.count() == 2


# Spam and abuse


def test_a_filled_honeypot_seems_to_succeed_but_nothing_is_kept(client, org):
    with at(NOW):
        fill(client)
        upload(client, "roof.png", PNG)
        reply = send(client, {"website": "http://spam.example"})
    assert reply.status_code == 200
    assert "Complaint sent Your reference is PR-" in main(reply)
    assert counts() == NOTHING
    assert Draft.objects.count() == DraftFile.objects.count() == 0


def test_a_honeypot_filled_on_a_question_moves_on_without_saving(client, org):
    reply = answer(client, "who", {"who": "tenant", "website": "buy now"})
    assert reply.headers["Location"] == "/complain/name/"
    assert Draft.objects.count() == 0


def test_the_honeypot_tells_a_screen_reader_user_to_leave_it_empty(client, org):
    html = client.get("/complain/who/").content.decode()
    assert re.search(
        r'<div class="govuk-visually-hidden">\s*<label for="id_website">Leave this empty</label>\s*'
        r'<input type="text" name="website" id="id_website" value="" autocomplete="off" tabindex="-1">',
        html,
    )


def test_too_many_complaints_from_one_address_wait_an_hour_and_keep_the_draft(client, org):
    org.phone = "0800 371 860"
    org.save()
    with at("Thu 2026-12-24 14:30"):
        for _ in range(10):
            limits.count(drafts.BY_ADDRESS, "127.0.0.1")
    with at(NOW):
        fill(client)
        refused = send(client)
    assert refused.status_code == 429
    page = main(refused)
    assert "You can send your complaint after Thursday 24 December 2026 at 15:30" in page
    assert "call us on 0800 371 860" in page
    assert counts() == NOTHING and Draft.objects.get().answers
    with at("Thu 2026-12-24 15:31"):
        assert send(client).headers["Location"] == SENT
    assert Complaint.objects.count() == 1


def test_too_many_complaints_from_one_email_wait_a_day(client, org):
    with at("Wed 2026-12-23 16:00"):
        for _ in range(5):
            limits.count(drafts.BY_EMAIL, "ADA@example.org ")
    with at(NOW):
        fill(client)
        refused = send(client)
    assert refused.status_code == 429
    assert "after Thursday 24 December 2026 at 16:00" in main(refused)
    assert counts() == NOTHING
    with time_machine.travel(on("Thu 2026-12-24 16:01"), tick=False):
        assert send(client).headers["Location"] == SENT
    assert Complaint.objects.count() == 1


# Query counts


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code in (200, 302)
    return len(captured)


@time_machine.travel(on(NOW), tick=False)
def test_the_question_pages_make_the_same_queries_whatever_the_numbers(client, org):
    fill(client, {k: v for k, v in TENANT.items() if k != "evidence"})
    upload(client, "roof.png", PNG, action="continue")
    paths = [f"/complain/{slug}/" for slug in TENANT] + ["/complain/landlord/", CHECK]
    client.get("/complain/evidence/")  # shows (and so forgets) the "uploaded" messages
    small = {path: _queries(client, path) for path in paths}
    for number in range(4):
        Organisation.objects.create(
            name=f"Landlord {number}", short_name=f"L{number}", kind=OrganisationKind.LANDLORD
        )
        upload(client, f"letter{number}.txt", b"More evidence")
    answer(client, "landlord", {"organisation": org.pk})
    client.get("/complain/evidence/")
    large = {path: _queries(client, path) for path in paths}
    assert small == large
    # The session, the draft, the landlords; and the draft's files where they are listed.
    assert set(small.values()) == {3, 4}
    assert small["/complain/evidence/"] == small[CHECK] == 4


@time_machine.travel(on(NOW), tick=False)
def test_the_send_makes_a_fixed_number_of_queries_and_writes_no_session(client, org):
    """Sending is one transaction of inserts, none re-read; the confirmation is found by the draft's key."""
    first = Client()
    fill(first)
    send(first)  # the policy in force is registered by the first complaint ever sent
    fill(client, contact={**TENANT["contact"], "email": "augusta@example.org"})
    with CaptureQueriesContext(connection) as captured:
        assert send(client).headers["Location"] == SENT
    sql = [q["sql"] for q in captured]
    assert not [q for q in sql if "django_session" in q and not q.startswith("SELECT")]
    assert len(sql) == SEND_QUERIES, "\n".join(sql)
    assert "Your reference is " + Complaint.objects.latest("pk").reference in main(client.get(SENT))


#: The send's queries, in a test's transaction (so no BEGIN, COMMIT or task queued after it): the
#: session, the draft and the landlords; the draft again under the lock, the rate limits' read and
#: write; the customer and its adjustments, the complaint (policy, reference, point, timeline and
#: its chain's head, written without reading it: the complaint is new) and the draft marked sent;
#: the link, the landlord's details and the email; and the savepoints of the services' own
#: transactions. 46 in a server's request before issue 16's work, 33 before the chain's first
#: event was written without locking and reading the new complaint's head.
SEND_QUERIES = 30


def test_a_file_far_over_the_limit_is_stopped_at_the_door_with_a_page_that_says_so(client, org, settings):
    """Past the request limit the upload is never read: a plain page, not a form error."""
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 2048
    settings.PUTRIGHT_MAX_REQUEST_BYTES = 4096
    fill(client, {k: TENANT[k] for k in ("who", "name")})
    saved = Draft.objects.get().answers
    reply = upload(client, "roof.png", PNG + bytes(8192))
    assert reply.status_code == 413
    assert "Files must be smaller than 2 KB. Nothing was sent." in text(reply)
    assert "If you were filling in our complaint form, your other answers are saved." in text(reply)
    assert DraftFile.objects.count() == 0
    assert Draft.objects.get().answers == saved


# The summary line (issue 11): asked on the form, shown where the complaint is named


def test_the_customers_one_line_names_the_complaint_in_lists_headings_and_letters(client, org, officer):
    from putright.comms.letters.letter_context import letter_context

    long_story = "The roof has leaked since October. " * 10
    with at(NOW):
        fill(client, **{"what-went-wrong": {"summary": "Roof leak not repaired", "description": long_story}})
        check = main(client.get(CHECK))
        send(client)
    assert "Your complaint in one line Roof leak not repaired" in check
    complaint = Complaint.objects.get()
    assert complaint.summary == "Roof leak not repaired"
    assert letter_context(complaint, "acknowledgement")["summary"] == "Roof leak not repaired"
    with at(NOW):
        client.force_login(officer)
        listed = client.get("/work/complaints/")
        assert listed.status_code == 200, listed
        listed = text(listed)
        heading = client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    assert "Roof leak not repaired" in listed
    assert "The roof has leaked since October" not in listed
    assert '<h1 class="govuk-heading-l">Roof leak not repaired</h1>' in heading


def test_a_draft_begun_before_the_one_line_was_asked_still_sends(client, org):
    with at(NOW):
        fill(client)
        draft = Draft.objects.get()
        draft.answers["what-went-wrong"] = {"description": "The roof leaks. Nobody came."}
        draft.save(update_fields=["answers"])
        send(client)
    assert Complaint.objects.get().summary == "The roof leaks. Nobody came."
