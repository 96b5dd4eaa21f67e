"""Following a case from outside: the private link, the find page, and the case page at each state.

Dates are worked out by hand from the standard journey (tests/cases/conftest.py):
received Mon 2 March 2026 10:00; stage 1 first contact due 24 working hours
later, Tue 3 March 10:00; the response 10 working days from receipt, by the
end of Mon 16 March; the review asked for Fri 13 March, so contact by the end of
Fri 20 March (5 working days) and the response by the end of Tue 14 April (20
working days, with Good Friday 3 April and Easter Monday 6 April not counted);
the appeal asked for Mon 23 March, so the meeting by Wed 22 April (20 working
days, the same two holidays); the meeting Tue 21 April 14:00, so the decision by
Tue 28 April (5 working days). The Ombudsman may be asked directly 8 weeks after
a final response: Thu 19 March + 8 weeks = Thu 14 May; Fri 24 April + 8 weeks =
Fri 19 June.
"""

from __future__ import annotations

import re
import socket
from email.message import Message

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.cases.services import evidence, responses
from putright.cases.services.customers import add_representative, create_customer
from putright.comms.models import LetterKind
from putright.portal import access
from putright.portal.models import CaseLink
from tests.cases.conftest import Journey
from tests.cases.helpers import at, day, on
from tests.learning.helpers import record_learning
from tests.web.comms_helpers import send

pytestmark = pytest.mark.django_db

NOT_FOUND = "We could not find a complaint with those details. Check them and try again."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


def text(response) -> str:
    """The page as a person reads it: tags removed, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&#x27;", "'").replace("&quot;", '"').split())


def let_in(client: Client, complaint) -> None:
    """Give the client's session access to a complaint, as the find page or a link would."""
    client.cookies[access.VISIT_COOKIE] = access.signed_visit({complaint.pk: ""})


def case_page(client: Client, complaint):
    return client.get(reverse("portal:case", args=[complaint.reference]))


def find(client: Client, reference: str, postcode: str = "NR28 0NB", surname: str = "Lovelace"):
    return client.post(
        reverse("portal:find"), {"reference": reference, "postcode": postcode, "surname": surname}
    )


# The private link -------------------------------------------------------------------


def test_a_link_lets_the_visitor_in_and_moves_the_secret_out_of_the_address_bar(client, journey):
    complaint = journey.until("accepted")
    token = access.issue_link(complaint, "ada@example.org")
    response = client.get(reverse("portal:link", args=[token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case", args=[complaint.reference])
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "We are looking into your complaint" in text(page)
    assert page["Cache-Control"] == "no-store"
    link = CaseLink.objects.get(complaint=complaint)
    assert link.digest != token and token.split(":")[0] not in link.digest  # only a digest is kept
    assert link.last_used_at is not None


def test_a_link_lasts_90_days_by_default_and_as_long_as_the_setting_says(client, journey, settings):
    complaint = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        access.issue_link(complaint, "ada@example.org")
        settings.PUTRIGHT_LINK_DAYS = 7
        access.issue_link(complaint, "ada@example.org")
    first, second = CaseLink.objects.order_by("pk")
    # 2 March + 90 days of 24 hours: the clocks went forward on 29 March, so 13:00 in London.
    assert first.expires_at == on("Sun 2026-05-31 13:00")
    assert second.expires_at == on("Mon 2026-03-09 12:00")


def _invalid_link_pages(complaint):
    with at("Mon 2026-03-02 12:00"):
        good = access.issue_link(complaint, "ada@example.org")
        old = access.issue_link(complaint, "ada@example.org")
    secret, _, signature = good.partition(":")
    tampered = f"{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}:{signature}"
    unknown = access.issue_link(complaint, "ada@example.org")
    CaseLink.objects.filter(complaint=complaint).order_by("-pk").first().delete()
    pages = {}
    with at("Tue 2026-03-03 12:00"):
        pages["tampered"] = Client().get(reverse("portal:link", args=[tampered]))
        pages["unknown"] = Client().get(reverse("portal:link", args=[unknown]))
        pages["nonsense"] = Client().get(reverse("portal:link", args=["not-a-link"]))
    with at("Mon 2026-06-01 12:00"):  # 91 days on
        pages["expired"] = Client().get(reverse("portal:link", args=[old]))
    with at("Tue 2026-03-03 12:00"):
        access.revoke_links(complaint)
        pages["revoked"] = Client().get(reverse("portal:link", args=[good]))
    return pages


def test_tampered_expired_revoked_and_unknown_links_all_get_the_same_answer(journey):
    complaint = journey.until("accepted")
    pages = _invalid_link_pages(complaint)
    first = pages["tampered"]
    assert first.status_code == 404
    assert "This link does not work" in text(first)
    assert "Email me a new link".lower() in text(first).lower()
    for name, response in pages.items():
        assert response.status_code == 404, name
        assert response.content == first.content, name
        assert access.VISIT_COOKIE not in response.cookies, name


def test_an_expired_link_still_works_the_day_before(client, journey):
    complaint = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        token = access.issue_link(complaint, "ada@example.org")
    with at("Sun 2026-05-31 11:59"):
        assert client.get(reverse("portal:link", args=[token])).status_code == 302


def test_a_link_to_one_case_never_shows_another(client, journey, org):
    mine = journey.until("accepted")
    other_customer = create_customer(
        organisation=org, first_name="Bob", last_name="Other", email="bob@example.org", postcode="NR1 1AA"
    )
    theirs = journey.until("accepted", customer=other_customer)
    client.get(reverse("portal:link", args=[access.issue_link(mine, "ada@example.org")]))
    assert case_page(client, mine).status_code == 200
    refused = case_page(client, theirs)
    unknown = client.get(reverse("portal:case", args=["PR-000000"]))
    assert refused.status_code == unknown.status_code == 404
    assert refused.content == unknown.content
    assert "We could not find that complaint" in text(refused)
    assert "Bob" not in text(refused) and theirs.reference not in text(refused)
    for step in ("review", "appeal", "information", "withdraw", "consent", "stop-link"):
        page = client.get(reverse(f"portal:{step}", args=[theirs.reference]))
        assert page.status_code == 404, step
        assert page.content == unknown.content, step


def test_without_a_link_or_the_details_a_case_is_not_found(client, journey):
    complaint = journey.until("accepted")
    response = case_page(client, complaint)
    assert response.status_code == 404
    assert "We could not find that complaint" in text(response)


def test_the_customer_can_stop_their_links_working_and_ask_for_a_new_one(client, journey, mailbox):
    complaint = journey.until("accepted")
    token = access.issue_link(complaint, "ada@example.org")
    client.get(reverse("portal:link", args=[token]))
    confirm = client.get(reverse("portal:stop-link", args=[complaint.reference]))
    assert "Stop your private link working" in text(confirm)
    done = client.post(reverse("portal:stop-link", args=[complaint.reference]), follow=True)
    assert "Your private links no longer work" in text(done)
    assert CaseLink.objects.get().revoked_at is not None
    again = Client().get(reverse("portal:link", args=[token]))
    assert again.status_code == 404 and "This link does not work" in text(again)
    new = _ask_for_link(Client(), complaint.reference, "ada@example.org")
    assert "Check your email" in text(new)
    assert len(mailbox) == 1


# The emailed link, over a real SMTP server ------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(delivered_mail):
    """What arrives at a real SMTP server on loopback, through the outbox and the worker's delivery."""
    return delivered_mail


def _part(message: Message, content_type: str) -> str:
    for part in message.walk():
        if part.get_content_type() == content_type:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError(f"no {content_type} part")


def _ask_for_link(client: Client, reference: str, address: str):
    """Ask for a link; the email goes once the request's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("portal:new-link"), {"reference": reference, "email": address}, follow=True
        )


def test_the_emailed_link_arrives_in_text_and_html_and_works_when_followed(client, journey, mailbox):
    complaint = journey.until("responded")
    response = _ask_for_link(client, complaint.reference.lower(), "ADA@example.org")
    assert "If the details match a complaint, we have sent a link" in text(response)
    (message,) = mailbox
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == f"Your complaint {complaint.reference}: your private link"
    plain, html = _part(message, "text/plain"), _part(message, "text/html")
    link = re.search(r"http://testserver(/your-complaint/link/\S+/)", plain)
    assert link, plain
    assert link.group(1) in html
    assert "works for 90 days" in plain
    page = Client().get(link.group(1), follow=True)
    assert "We have sent our response" in text(page)
    assert complaint.reference in text(page)


@pytest.mark.parametrize(
    ("reference", "address"),
    [("PR-000000", "ada@example.org"), (None, "someone@example.org"), ("nonsense", "ada@example.org")],
)
def test_a_link_asked_for_with_wrong_details_gets_the_same_answer_and_no_email(
    client, journey, mailbox, reference, address
):
    complaint = journey.until("accepted")
    response = _ask_for_link(client, reference or complaint.reference, address)
    assert response.redirect_chain[-1][0] == reverse("portal:link-sent")
    assert "If the details match a complaint, we have sent a link" in text(response)
    assert mailbox == []


def test_a_badly_typed_email_is_explained(client):
    response = client.post(reverse("portal:new-link"), {"reference": "PR-000000", "email": "not an email"})
    assert response.status_code == 400
    assert "Enter an email address in the right form, like name@example.com" in text(response)


def test_links_asked_for_are_limited_per_email_and_per_address_until_the_hour_is_up(journey, mailbox):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 09:00"):
        for _ in range(3):
            assert _ask_for_link(Client(), complaint.reference, "ada@example.org").status_code == 200
        limited = _ask_for_link(Client(), complaint.reference, "ada@example.org")
    assert limited.status_code == 429
    assert "Please wait before trying again" in text(limited)
    assert "You can try again after 10:00" in text(limited)
    assert len(mailbox) == 1  # one email in ten minutes, whoever asks (issue 15)
    with at("Tue 2026-03-03 10:00"):
        assert _ask_for_link(Client(), complaint.reference, "ada@example.org").status_code == 200
    assert len(mailbox) == 2
    with at("Tue 2026-03-03 11:00"):
        for number in range(10):
            assert _ask_for_link(Client(), "PR-000000", f"p{number}@example.org").status_code == 200
        assert _ask_for_link(Client(), "PR-000000", "p99@example.org").status_code == 429


# The find page ----------------------------------------------------------------------


def test_the_reference_postcode_and_surname_open_the_case_whatever_their_case_and_spacing(client, journey):
    complaint = journey.until("accepted")
    typed = complaint.reference.lower().replace("-", " ")
    response = find(client, typed, postcode="nr280nb", surname=" LOVELACE ")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case", args=[complaint.reference])
    assert "We are looking into your complaint" in text(client.get(response["Location"]))


def test_a_find_page_that_works_and_a_footer_link_to_it(client):
    page = client.get(reverse("portal:find"))
    assert page.status_code == 200
    assert "Follow your complaint" in text(page)
    assert 'href="/your-complaint/"' in page.content.decode()


def _answer(response) -> tuple[int, bool]:
    return response.status_code, NOT_FOUND in text(response)


def test_any_wrong_part_gets_the_same_answer_as_an_unknown_reference(client, journey):
    complaint = journey.until("accepted")
    unknown = _answer(find(Client(), "PR-000000"))
    assert unknown == (400, True)
    wrong = {
        "reference": find(Client(), "PR-111111"),
        "postcode": find(Client(), complaint.reference, postcode="NR28 0NA"),
        "surname": find(Client(), complaint.reference, surname="Byron"),
        "nonsense": find(Client(), "hello"),
    }
    for part, response in wrong.items():
        assert _answer(response) == unknown, part
        assert access.VISIT_COOKIE not in response.cookies, part
        assert complaint.summary not in text(response), part


def test_an_empty_find_form_says_what_is_missing(client):
    response = client.post(reverse("portal:find"), {"reference": "", "postcode": "", "surname": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Enter your complaint reference" in page
    assert "Enter your postcode" in page
    assert "Enter your surname" in page


def test_finding_is_limited_per_address_and_lifts_after_the_hour(journey):
    complaint = journey.until("accepted")
    visitor = Client()
    with at("Tue 2026-03-03 09:00"):
        for _ in range(10):
            assert find(visitor, "PR-000000").status_code == 400
    with at("Tue 2026-03-03 09:30"):
        limited = find(visitor, complaint.reference)  # even the right details wait
    assert limited.status_code == 429
    assert "You can try again after 10:00" in text(limited)
    assert access.VISIT_COOKIE not in limited.cookies
    with at("Tue 2026-03-03 10:00"):
        assert find(visitor, complaint.reference).status_code == 302


# The case page at each point of the journey ------------------------------------------

STATES = {
    # journey step: (when the page is read, what it must say, what it must not)
    "received": (
        "Mon 2026-03-02 12:00",
        [
            "We have received your complaint",
            "Our complaints team",
            "We received it on Monday 2 March 2026",
            "We will contact you by Tuesday 3 March 2026 at 10:00",
            "We will send you our response by Monday 16 March 2026",
        ],
        ["Ask for a review", "Ask for an appeal"],
    ),
    "accepted": (
        "Mon 2026-03-02 12:00",
        [
            "We are looking into your complaint",
            "Olivia, Resolution Officer",
            "Next We will contact you by Tuesday 3 March 2026 at 10:00",
            "Next We will send you our response by Monday 16 March 2026",
            "Add information or evidence",
            "Withdraw your complaint",
        ],
        ["Ask for a review", "Ask for an appeal", "Our response"],
    ),
    "contacted": (
        "Wed 2026-03-04 12:00",
        [
            "Done We contacted you on Tuesday 3 March 2026",
            "Next We will send you our response by Monday 16 March 2026",
        ],
        ["Ask for a review"],
    ),
    "responded": (
        "Thu 2026-03-12 16:00",
        [
            "We have sent our response",
            "you can ask for a review",
            "Done We sent you our response on Thursday 12 March 2026",
            "Our response Sent on Thursday 12 March 2026 by letter Sorry",
            "Point 1: The repair was not done Upheld : we agree that we did something wrong. We got",
            "Point 2: Nobody called back Upheld",
            "Ask for a review",
            "You can contact the Housing Ombudsman Service at any time for advice.",
            "you can go to them yourself 8 weeks after our final response",
        ],
        ["Ask for an appeal"],
    ),
    "escalated": (
        "Fri 2026-03-13 12:00",
        [
            "We are reviewing your complaint",
            "Sam, Senior Manager",
            "Next We will contact you about your review by Friday 20 March 2026",
            "Next We will send you the response to your review by Tuesday 14 April 2026",
        ],
        ["Ask for a review", "Ask for an appeal"],
    ),
    "responded2": (
        "Fri 2026-03-20 12:00",
        [
            "We have sent the response to your review",
            "Done We contacted you about your review on Monday 16 March 2026",
            "Done We sent you the response to your review on Thursday 19 March 2026",
            "The response to your review Sent on Thursday 19 March 2026 by letter Review",
            "Ask for an appeal",
            "You can contact the Housing Ombudsman Service yourself from Thursday 14 May 2026.",
        ],
        ["Ask for a review"],
    ),
    "appealed": (
        "Tue 2026-03-24 12:00",
        ["We have received your appeal", "Next We will hold your appeal meeting by Wednesday 22 April 2026"],
        ["Ask for a review", "Ask for an appeal"],
    ),
    "scheduled": (
        "Thu 2026-03-26 12:00",
        [
            "Your appeal meeting is arranged",
            "Your appeal meeting is on Tuesday 21 April 2026 at 14:00, at Tom Moore House, North Walsham.",
            "You can bring someone with you for support, but not a legal representative",
            "Next We will send you the panel's decision by Tuesday 28 April 2026",
        ],
        ["Ask for a review", "Ask for an appeal", "The appeal panel's decision"],
    ),
    "decided": (
        "Thu 2026-04-23 17:00",
        ["The appeal panel has made its decision", "We will send you the decision in writing"],
        ["The appeal panel's decision Sent", "Upheld in full"],
    ),
    "final": (
        "Mon 2026-04-27 12:00",
        [
            "We have sent our final response",
            "Done Your appeal meeting was on Tuesday 21 April 2026",
            "Done We sent you the panel's decision on Friday 24 April 2026",
            "The appeal panel's decision Sent on Friday 24 April 2026 Upheld in full",
            "You can contact the Housing Ombudsman Service yourself from Friday 19 June 2026.",
            "PO Box 152 Liverpool L33 7WQ",
            "0300 111 3000",
            "info@housing-ombudsman.org.uk",
        ],
        ["Ask for a review", "Ask for an appeal"],
    ),
}


@pytest.mark.parametrize("step", list(STATES))
def test_the_case_page_says_where_the_complaint_is_and_the_dates(client, journey, step):
    when, says, never = STATES[step]
    day(when.rsplit(" ", 1)[0])  # the weekday is checked
    complaint = journey.until(step)
    let_in(client, complaint)
    with at(when):
        page = text(case_page(client, complaint))
    for words in says:
        assert words in page, f"{step}: {words!r} not in {page}"
    for words in never:
        assert words not in page, f"{step}: {words!r} should not be on the page"


def test_a_closed_complaint_says_so_and_still_offers_a_review(client, journey, officer):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        record_learning(complaint, officer)
        responses.close(complaint, actor=officer)
    let_in(client, complaint)
    with at("Fri 2026-03-13 12:00"):
        page = text(case_page(client, complaint))
    assert "Your complaint is closed" in page
    assert "Ask for a review" in page
    assert "Add information or evidence" not in page
    assert "Withdraw your complaint" not in page


def test_a_late_promise_is_owned_up_to(client, journey):
    complaint = journey.until("accepted")
    let_in(client, complaint)
    with at("Wed 2026-03-04 12:00"):
        page = text(case_page(client, complaint))
    assert "Late We will contact you by Tuesday 3 March 2026 at 10:00. We are sorry this is late." in page


def test_an_extension_gives_the_new_date_and_the_reason_told_to_the_customer(client, journey, officer):
    from putright.cases.services import investigation

    complaint = journey.until("contacted")
    with at("Tue 2026-03-10 10:00"):
        investigation.extend(
            complaint,
            new_due_on=day("Fri 2026-03-20"),
            reason="We are waiting for the roofer's report",
            good_reason="INTERNAL-ONLY",
            actor=officer,
        )
        let_in(client, complaint)
        page = text(case_page(client, complaint))
    assert "Next We will send you our response by Friday 20 March 2026" in page
    assert (
        "On Tuesday 10 March 2026 we moved the date for our response from Monday 16 March 2026 "
        "to Friday 20 March 2026. This is because: We are waiting for the roofer's report"
    ) in page
    assert "INTERNAL-ONLY" not in page


def test_actions_agreed_show_their_dates_and_whether_done(client, journey, officer):
    complaint = journey.until("responded")
    with at("Thu 2026-03-12 15:30"):
        first = responses.add_action(
            complaint, description="Repair the roof", due_on=day("Fri 2026-03-20"), actor=officer
        )
        responses.add_action(
            complaint, description="Refund the rent", due_on=day("Mon 2026-03-16"), actor=officer
        )
    with at("Wed 2026-03-18 10:00"):
        responses.complete_action(complaint, action_id=first.pk, note="Done.", actor=officer)
        let_in(client, complaint)
        page = text(case_page(client, complaint))
    assert "Done Repair the roof. Done on Wednesday 18 March 2026." in page
    assert "Late Refund the rent. By Monday 16 March 2026. We are sorry this is late." in page


def test_staff_only_things_never_reach_the_customer(client, journey, officer, senior, org):
    from putright.cases.services import concerns, investigation

    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 11:00"):
        investigation.record_contact(complaint, method="phone", summary="SECRET-CONTACT-NOTE", actor=officer)
        concerns.flag_concern(complaint, kind="safeguarding", description="SECRET-CONCERN", actor=officer)
        evidence.attach(complaint, name="staff.txt", content=b"SECRET-FILE", actor=officer)
    other = create_customer(organisation=org, first_name="Zed", last_name="Stranger", phone="1")
    add_representative(customer=other, name="SECRET-OTHER-REP", kind="family_or_friend")
    let_in(client, complaint)
    with at("Tue 2026-03-03 12:00"):
        page = case_page(client, complaint).content.decode()
    for secret in ("SECRET-CONTACT-NOTE", "SECRET-CONCERN", "staff.txt", "SECRET-OTHER-REP", "Zed", "fran"):
        assert secret not in page, secret
    assert complaint.triage_note == "" or complaint.triage_note not in page


def test_the_ombudsman_details_and_wait_follow_the_policy(client, journey, code_policy):
    complaint = journey.until("responded")
    let_in(client, complaint)
    with at("Thu 2026-03-12 16:00"):
        page = text(case_page(client, complaint))
    assert "PO Box 1484 Unit D Preston PR2 0ET" in page
    assert "you can go to them yourself once you have our final response" in page
    assert "designated person" not in page


@pytest.fixture
def code_policy(settings):
    from putright.cases import policies

    settings.PUTRIGHT_POLICY = "code-2024"
    policies._load.cache_clear()
    yield
    policies._load.cache_clear()


# A fixed number of queries ----------------------------------------------------------


def _grow(complaint, officer, customer, *, actions: int, files: int, representatives: int, letters: int = 0):
    with at("Thu 2026-03-12 15:30"):
        for _ in range(letters):
            send(complaint, officer, LetterKind.STAGE1_RESPONSE)
        for number in range(actions):
            responses.add_action(
                complaint, description=f"Action {number}", due_on=day("Fri 2026-03-20"), actor=officer
            )
        for number in range(files):
            evidence.attach(
                complaint, name=f"note {number}.txt", content=b"hello", actor=None, on_behalf_of="Ada"
            )
        for number in range(representatives):
            add_representative(
                customer=customer,
                name=f"Person {number}",
                kind="family_or_friend",
                consent_given_at=on("Thu 2026-03-12 15:30"),
                consent_how="letter",
            )


def _queries(complaint) -> int:
    client = Client()
    let_in(client, complaint)
    with at("Fri 2026-03-13 09:00"), CaptureQueriesContext(connection) as queries:
        response = case_page(client, complaint)
    assert response.status_code == 200
    return len(queries)


def test_the_case_page_reads_a_fixed_number_of_queries_at_any_size(
    journey, officer, customer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"  # the letters' PDFs
    small = journey.until("responded", points=["One"])
    small_count = _queries(small)
    big = journey.until("responded", points=[f"Point {n}" for n in range(12)])
    _grow(big, officer, customer, actions=8, files=6, representatives=5, letters=3)
    assert _queries(big) == small_count
    # 17 today: the session, the case, its parts (the letters one of them), the facts (with, since
    # issue 12, each point's latest outcome and learning, which closing needs)
    assert small_count <= 19, small_count
