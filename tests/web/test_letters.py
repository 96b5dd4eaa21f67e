"""Letters on the case page: write one from its template, send it (once), download it, mark it posted,
and try again an email that could not be delivered.

The standard customer (Ada, tests/conftest.py) has an email address and no postal address, so her
letters are emailed; Grace, made here, has an address, large print and easy read, so hers are posted.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role
from putright.cases.models import AdjustmentKind, EventKind
from putright.cases.services import customers, investigation, responses, triage
from putright.cases.services.customers import create_customer
from putright.comms.letters.services import letters
from putright.comms.models import EmailStatus, Letter, LetterKind, LetterStatus, OutboundEmail
from tests.cases.conftest import Journey, all_points
from tests.cases.helpers import at, on
from tests.web.comms_helpers import failed_email, send
from tests.web.helpers import make_user, text
from tests.web.test_case_page import case_url, stage1_case

WHEN = "Tue 2026-03-17 09:00"
LATER = "Tue 2026-03-17 14:00"


def write_url(complaint, kind: LetterKind = LetterKind.ACKNOWLEDGEMENT) -> str:
    slug = kind.value.replace("_", "-")
    return reverse("web:letter-write", kwargs={"reference": complaint.reference, "letter_kind": slug})


def pdf_url(letter: Letter) -> str:
    return reverse("web:letter-pdf", kwargs={"reference": letter.complaint.reference, "letter_id": letter.pk})


def posted_url(letter: Letter) -> str:
    kwargs = {"reference": letter.complaint.reference, "letter_id": letter.pk}
    return reverse("web:letter-posted", kwargs=kwargs)


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


@pytest.fixture
def grace(org):
    """A customer who reads letters on paper, in large print, and needs an easy read version."""
    return create_customer(
        organisation=org,
        first_name="Grace",
        last_name="Hopper",
        phone="01603 111111",
        address="1 Harbour Row\nGreat Yarmouth",
        postcode="NR30 1AA",
        adjustments=[(AdjustmentKind.LARGE_PRINT, "16 point"), (AdjustmentKind.EASY_READ, "")],
    )


def contacted(complaint, officer):
    """``complaint`` with a phone call recorded at stage 1: its contact record can then be written."""
    with at("Mon 2026-03-16 15:00"):
        investigation.record_contact(complaint, method="phone", summary="Talked it through", actor=officer)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def posted_case(log, officer, grace):
    return contacted(stage1_case(log, officer, customer=grace), officer)


def form_of(response) -> dict[str, str]:
    """The letter form's fields as the page filled them (subject, body, template, token and version)."""
    form = response.context["form"]
    return {name: str(form[name].value()) for name in ("subject", "body", "template_id", "token", "version")}


def open_letter(client, user, complaint, kind=LetterKind.ACKNOWLEDGEMENT):
    with at(WHEN):
        client.force_login(user)
        response = client.get(write_url(complaint, kind))
    assert response.status_code == 200
    return response


def post_letter(client, complaint, data, kind=LetterKind.ACKNOWLEDGEMENT):
    with at(WHEN):
        return client.post(write_url(complaint, kind), data)


def snapshot(complaint) -> tuple[int, int, int, int]:
    return (
        Letter.objects.count(),
        OutboundEmail.objects.count(),
        complaint.timeline.count(),
        complaint.letters.filter(status=LetterStatus.POSTED).count(),
    )


# Choosing the letter


def choose_url(complaint) -> str:
    return reverse("web:letter-new", kwargs={"reference": complaint.reference})


def test_the_letters_the_procedure_calls_for_come_first_then_the_others_available(
    client, case, officer, customer
):
    customers.add_representative(
        customer=customer,
        name="Harriet Member MP",
        kind="designated_person",
        consent_given_at=on("Mon 2026-03-16 09:00"),
        consent_how="Signed consent form",
    )
    case = contacted(case, officer)
    with at(WHEN):
        client.force_login(officer)
        response = client.get(choose_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    suggested = letters.suggested_kinds(case)
    assert suggested == [LetterKind.ACKNOWLEDGEMENT, LetterKind.CONTACT_RECORD, LetterKind.DESIGNATED_PERSON]
    links = [write_url(case, kind) for kind in suggested]
    positions = [page.index(link) for link in links]
    assert positions == sorted(positions), "suggested first, in their order"
    assert "Letters for this point of the complaint" in text(response)
    # No other kind can be written at stage 1 before a response, an extension or an evidence request:
    # none is offered, and each is listed with why.
    for kind in set(LetterKind) - set(suggested):
        assert write_url(case, kind) not in page, kind
    words = text(response, main_only=True)
    assert "Letters that cannot be written yet, and why" in words
    assert "Stage 1 response The stage 1 response has not been recorded yet" in words
    assert "Extension of the response date The response date at stage 1 has not been extended" in words


def test_the_chooser_lists_other_available_letters_after_the_suggested_ones(client, case, officer):
    with at("Tue 2026-03-17 08:00"):
        investigation.request_evidence(case, description="Photos of the damp", actor=officer)
    case.refresh_from_db()
    with at(WHEN):
        client.force_login(officer)
        page = client.get(choose_url(case)).content.decode()
    # Suggested (the state calls for them): the acknowledgement and the evidence request.
    suggested = page[
        page.index('id="suggested-letters"') : page.index("</ul>", page.index("suggested-letters"))
    ]
    assert write_url(case, LetterKind.ACKNOWLEDGEMENT) in suggested
    assert write_url(case, LetterKind.EVIDENCE_REQUEST) in suggested
    assert write_url(case, LetterKind.CONTACT_RECORD) not in page  # no contact recorded yet


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (LetterKind.STAGE1_RESPONSE, "The stage 1 response has not been recorded yet"),
        (LetterKind.EXTENSION, "The response date at stage 1 has not been extended"),
        (LetterKind.NOT_ACCEPTED, "This letter is for a complaint we did not accept"),
        (LetterKind.DESIGNATED_PERSON, "No designated person (an MP or councillor)"),
    ],
)
def test_a_letter_that_cannot_be_written_now_goes_back_to_the_chooser_saying_why(
    client, case, officer, kind, reason
):
    client.force_login(officer)
    before = snapshot(case)
    with at(WHEN):
        response = client.get(write_url(case, kind))
        assert response.status_code == 302 and response["Location"] == choose_url(case)
        shown = text(client.get(choose_url(case)), main_only=True)
    assert f"{kind.label} cannot be written now. {reason}" in shown
    # A post (a form kept open, a crafted request) is refused on the page, with why; nothing is sent.
    data = {"subject": "Hello", "body": "Dear Ada", "template_id": "1", "token": "a" * 32, "version": "1"}
    with at(WHEN):
        posted = client.post(write_url(case, kind), data)
    assert posted.status_code == 409
    assert f"{kind.label} cannot be sent now. {reason}" in text(posted)
    assert ">Send letter<" not in posted.content.decode()
    assert snapshot(case) == before


def test_a_letter_that_stops_being_available_while_its_page_is_open_is_not_sent_and_keeps_the_words(
    client, case, officer
):
    """The acknowledgement is open; the stage 1 response is given meanwhile: sending it now would promise
    a response date that has passed. The page says so, and keeps what the caseworker wrote to copy."""
    data = form_of(open_letter(client, officer, case))
    data["subject"] = "My own subject line"
    data["body"] = data["body"] + "\n\nA paragraph I wrote myself & want to keep."
    with at("Tue 2026-03-17 10:00"):
        case = contacted(case, officer)
        responses.respond(case, outcomes=all_points(case), method="letter", summary="Sorry", actor=officer)
    before = snapshot(case)
    with at(LATER):
        response = client.post(write_url(case), data)
    assert response.status_code == 409
    assert snapshot(case) == before
    summary = text(response, main_only=True)
    assert "There is a problem" in summary
    assert "Acknowledgement cannot be sent now. The stage 1 response has already been given" in summary
    html = response.content.decode()
    assert ">Send letter<" not in html and 'id="main-form"' in html
    kept = html[html.index('id="your-words"') :]
    assert 'value="My own subject line"' in kept and "readonly" in kept
    assert "A paragraph I wrote myself &amp; want to keep." in kept


def test_an_unknown_kind_of_letter_is_not_found(client, case, officer):
    client.force_login(officer)
    url = reverse("web:letter-write", kwargs={"reference": case.reference, "letter_kind": "love-letter"})
    assert client.get(url).status_code == 404


# Sending by email


def test_a_letter_is_drafted_edited_and_emailed_and_shows_on_the_case_page(client, case, officer):
    response = open_letter(client, officer, case)
    words = text(response, main_only=True)
    assert "By email to ada@example.org" in words
    assert case.reference in form_of(response)["subject"]
    data = form_of(response)
    data["body"] = data["body"].replace("Thank you for telling us", "Thank you very much for telling us")
    sent = post_letter(client, case, data)
    assert sent.status_code == 302
    assert sent["Location"] == case_url(case) + "#letters"

    letter = Letter.objects.get()
    assert (letter.kind, letter.status, letter.email) == (
        LetterKind.ACKNOWLEDGEMENT,
        LetterStatus.EMAILED,
        "ada@example.org",
    )
    assert "Thank you very much for telling us" in letter.body
    assert letter.sent_by == officer
    email = OutboundEmail.objects.get(letter=letter)
    assert email.to == ["ada@example.org"]
    assert [a.mimetype for a in email.attachments.all()] == ["application/pdf"]

    with at(LATER):
        page = client.get(case_url(case))
    shown = text(page, main_only=True)
    assert "Acknowledgement sent by email to ada@example.org." in shown  # the success message
    assert "Emailed to ada@example.org" in shown
    assert f"Template version {letter.template.version}" in shown
    assert pdf_url(letter) in page.content.decode()
    assert "Letter sent" in shown and "Acknowledgement sent by email to ada@example.org" in shown
    assert case.timeline.filter(kind=EventKind.LETTER_SENT).count() == 1


def test_a_second_post_of_the_same_form_sends_nothing_more(client, case, officer):
    data = form_of(open_letter(client, officer, case))
    assert post_letter(client, case, data).status_code == 302
    before = snapshot(case)
    again = post_letter(client, case, data)
    assert again.status_code == 302 and again["Location"] == case_url(case) + "#letters"
    assert snapshot(case) == before
    with at(WHEN):
        assert "It was sent once, not twice" in text(client.get(case_url(case)))
    assert Letter.objects.count() == 1


def test_an_old_form_posted_again_in_a_new_session_sends_nothing(client, case, officer):
    """The token is looked up in the database, not the session: a form resubmitted after signing out
    and in again (or from another browser, or days later) finds its letter, and is never told to
    "send it again"."""
    data = form_of(open_letter(client, officer, case))
    data["body"] = data["body"] + "\n\nEdited after sending."
    assert post_letter(client, case, form_of(open_letter(client, officer, case)) | {"token": data["token"]})
    before = snapshot(case)
    client.logout()
    client.force_login(officer)
    with at("Fri 2026-03-20 09:00"):
        again = client.post(write_url(case), data, follow=True)
    assert snapshot(case) == before
    assert Letter.objects.count() == 1
    words = text(again, main_only=True)
    assert "Acknowledgement was already sent from this page. It was sent once, not twice." in words
    assert "send it again" not in words


@pytest.mark.parametrize("token", ["", "not-one-we-gave"])
def test_a_form_with_a_spoilt_token_is_shown_again_with_a_page_error_and_a_new_token(
    client, case, officer, token
):
    data = form_of(open_letter(client, officer, case))
    data["token"] = token
    data["body"] = "My own words."
    before = snapshot(case)
    response = post_letter(client, case, data)
    assert response.status_code == 400
    assert "This page had lost its one-time key" in text(response)
    assert 'href="#id_token"' not in response.content.decode()  # not a link to a hidden input
    assert form_of(response)["body"] == "My own words."
    fresh = form_of(response)["token"]
    assert fresh not in ("", token) and len(fresh) == 32
    assert snapshot(case) == before
    assert post_letter(client, case, form_of(response)).status_code == 302
    assert Letter.objects.get().idempotency_key == fresh


@pytest.mark.parametrize(("field", "value"), [("template_id", "abc"), ("version", ""), ("version", "x")])
def test_an_error_in_a_hidden_field_is_the_pages_not_a_link_to_the_hidden_input(
    client, case, officer, field, value
):
    data = form_of(open_letter(client, officer, case)) | {field: value}
    response = post_letter(client, case, data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert 'href="#main-form"' in summary
    assert f'href="#id_{field}"' not in summary
    assert Letter.objects.count() == 0
    assert form_of(response)[field] not in ("", value)  # a good value to send with


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "", "Enter the words of the letter"),
        ("body", "   \n\n  ", "Enter the words of the letter"),
        ("subject", "", "Enter the subject of the letter"),
        ("template_id", "999999", "That is not a template for acknowledgement letters"),
    ],
)
def test_a_refused_letter_is_shown_on_the_form_and_nothing_is_sent(
    client, case, officer, field, value, message
):
    data = form_of(open_letter(client, officer, case))
    data[field] = value
    before = snapshot(case)
    response = post_letter(client, case, data)
    assert response.status_code == 400
    words = text(response)
    assert "There is a problem" in words and message in words
    assert snapshot(case) == before
    # The same form can then be sent, corrected: the token was not spent on the refusal.
    fixed = post_letter(client, case, form_of(open_letter(client, officer, case)) | {"token": data["token"]})
    assert fixed.status_code == 302 and Letter.objects.count() == 1


# Sending by post, with the customer's adjustments


def test_a_posted_letter_honours_large_print_and_warns_of_easy_read_before_the_button(
    client, posted_case, officer
):
    response = open_letter(client, officer, posted_case, LetterKind.CONTACT_RECORD)
    html = response.content.decode()
    words = text(response, main_only=True)
    assert "By post" in words and "1 Harbour Row" in words and "NR30 1AA" in words
    assert "the PDF will be in large print" in words
    assert "Easy read requested" in words
    # Under the heading, before the draft: what to honour may change the words.
    heading, draft = html.index("<h1"), html.index("<textarea")
    assert heading < html.index("Easy read requested") < draft
    assert heading < html.index("the PDF will be in large print") < draft

    sent = post_letter(client, posted_case, form_of(response), LetterKind.CONTACT_RECORD)
    assert sent.status_code == 302
    letter = Letter.objects.get()
    assert (letter.status, letter.large_print, letter.email) == (LetterStatus.TO_POST, True, "")
    assert not OutboundEmail.objects.exists()
    with at(LATER):
        page = client.get(case_url(posted_case))
    shown = text(page, main_only=True)
    assert "Waiting to be posted" in shown and "Mark as posted" in shown
    assert posted_url(letter) in page.content.decode()


def test_marking_a_letter_posted_records_it_once(client, posted_case, officer):
    with at(WHEN):
        letter = send(posted_case, officer, LetterKind.CONTACT_RECORD)
    client.force_login(officer)
    with at(LATER):
        response = client.post(posted_url(letter))
    assert response.status_code == 302 and response["Location"] == case_url(posted_case) + "#letters"
    letter.refresh_from_db()
    assert (letter.status, letter.posted_by) == (LetterStatus.POSTED, officer)
    before = snapshot(posted_case)
    with at(LATER):
        again = client.post(posted_url(letter), follow=True)
        shown = text(again, main_only=True)
    assert "already recorded as posted" in shown
    assert snapshot(posted_case) == before
    assert "Posted on Tuesday 17 March 2026 by Olivia Staff" in shown
    assert "Letter posted" in shown
    assert posted_case.timeline.filter(kind=EventKind.LETTER_POSTED).count() == 1


def test_marking_posted_is_a_post_and_an_emailed_letter_cannot_be_posted(client, case, officer):
    with at(WHEN):
        letter = send(case, officer)
    client.force_login(officer)
    assert client.get(posted_url(letter)).status_code == 405
    before = snapshot(case)
    response = client.post(posted_url(letter), follow=True)
    assert "sent by email to ada@example.org, not by post" in text(response)
    assert snapshot(case) == before


# Who may


def test_roles_that_do_not_handle_cases_see_letters_but_cannot_write_them(client, case, officer, org):
    with at(WHEN):
        letter = send(case, officer)
    manager = make_user("maggie", Role.MANAGER, org)
    with at(LATER):
        client.force_login(manager)
        page = client.get(case_url(case))
        assert client.get(write_url(case)).status_code == 403
        assert client.get(pdf_url(letter)).status_code == 200
    assert pdf_url(letter) in page.content.decode()  # they may read it
    assert "Write a letter" not in text(page)
    for user in (officer, make_user("fran2", Role.CUSTOMER_SERVICES, org)):
        client.force_login(user)
        with at(LATER):
            assert "Write a letter" in text(client.get(case_url(case)))


def test_another_landlords_staff_and_another_cases_reference_find_no_letter(
    client, case, officer, outsider, log
):
    with at(WHEN):
        letter = send(case, officer)
    client.force_login(outsider)
    assert client.get(pdf_url(letter)).status_code == 404
    other = stage1_case(log, officer)
    client.force_login(officer)
    wrong = reverse("web:letter-pdf", kwargs={"reference": other.reference, "letter_id": letter.pk})
    assert client.get(wrong).status_code == 404
    wrong_post = reverse("web:letter-posted", kwargs={"reference": other.reference, "letter_id": letter.pk})
    assert client.post(wrong_post).status_code == 404


# The PDF


def test_the_pdf_is_downloaded_as_an_attachment_and_never_cached(client, case, officer):
    with at(WHEN):
        letter = send(case, officer)
    client.force_login(officer)
    response = client.get(pdf_url(letter))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{case.reference}-acknowledgement-2026-03-17.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# An email that could not be delivered


def test_an_undelivered_email_is_a_warning_with_a_button_to_try_again(client, case, officer, org):
    with at(WHEN):
        email = failed_email(case)
    retry = reverse("web:email-retry", kwargs={"reference": case.reference, "email_id": email.pk})
    with at(LATER):
        client.force_login(make_user("maggie", Role.MANAGER, org))
        for_manager = client.get(case_url(case))
        client.force_login(officer)
        page = client.get(case_url(case))
    shown = text(page, main_only=True)
    assert "An email to ada@example.org could not be delivered" in shown
    assert shown.index("could not be delivered") < shown.index("On this page")  # near the top
    assert retry in page.content.decode()
    assert "could not be delivered" in text(for_manager) and retry not in for_manager.content.decode()
    assert "Email could not be delivered" in shown  # the timeline's event

    with at(LATER):
        response = client.post(retry, follow=True)
    assert "will be tried again" in text(response)
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING
    assert "An email to ada@example.org could not be delivered" not in text(response, main_only=True)
    with at(LATER):
        again = client.post(retry, follow=True)
    assert "no longer waiting to be tried again" in text(again)


# Queries


def _queries(client, user, complaint) -> int:
    with at(LATER):
        client.force_login(user)
        client.get(case_url(complaint))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(case_url(complaint))
    assert response.status_code == 200
    return len(captured)


def test_the_case_page_reads_letters_and_failed_emails_in_a_fixed_number_of_queries(
    client, log, officer, grace
):
    small = contacted(stage1_case(log, officer, customer=grace), officer)
    large = contacted(stage1_case(log, officer, customer=grace), officer)
    with at(WHEN):
        for complaint, count in ((small, 1), (large, 3)):
            for _ in range(count):
                letter = send(complaint, officer, LetterKind.CONTACT_RECORD)
                failed_email(complaint)
            letters.mark_posted(letter.pk, actor=officer)
    assert large.letters.count() == 3
    assert _queries(client, officer, small) == _queries(client, officer, large)


def test_a_customer_services_adviser_can_send_the_acknowledgement_at_triage(client, log, frontline, officer):
    with at("Mon 2026-03-16 10:00"):
        complaint = log("2026-03-16 10:00")
        triage.accept(complaint, owner=officer, actor=frontline, reasoning="Meets the definition.")
    data = form_of(open_letter(client, frontline, complaint))
    assert post_letter(client, complaint, data).status_code == 302
    assert Letter.objects.get().sent_by == frontline


# Each role writes the letters of its own steps


@pytest.fixture
def final_case(log, officer, senior):
    """A complaint whose appeal was decided and its final response recorded: the decision letter is due."""
    return Journey(log, officer, senior).until("final")


FINAL = "Fri 2026-04-24 12:00"


def test_a_customer_services_adviser_is_not_offered_and_cannot_send_the_appeal_decision(
    client, final_case, frontline
):
    client.force_login(frontline)
    before = snapshot(final_case)
    with at(FINAL):
        chooser = client.get(choose_url(final_case))
        assert write_url(final_case, LetterKind.APPEAL_DECISION) not in chooser.content.decode()
        assert client.get(write_url(final_case, LetterKind.APPEAL_DECISION)).status_code == 403
        data = {"subject": "Appeal", "body": "Anything at all", "template_id": "1", "token": "b" * 32}
        data["version"] = str(final_case.version)
        assert client.post(write_url(final_case, LetterKind.APPEAL_DECISION), data).status_code == 403
    assert snapshot(final_case) == before


def test_a_panel_member_writes_and_sends_the_appeal_decision(client, final_case, org, team):
    panel = make_user("pat", Role.PANEL_MEMBER, org, team)
    client.force_login(panel)
    with at(FINAL):
        case_page = text(client.get(case_url(final_case)))
        chooser = client.get(choose_url(final_case))
        page = chooser.content.decode()
        assert write_url(final_case, LetterKind.APPEAL_DECISION) in page
        # Only theirs: the stage 2 response (a Senior Manager's) is not offered, nor listed.
        assert LetterKind.STAGE2_RESPONSE.label not in text(chooser, main_only=True)
        response = client.get(write_url(final_case, LetterKind.APPEAL_DECISION))
        assert response.status_code == 200
        sent = client.post(write_url(final_case, LetterKind.APPEAL_DECISION), form_of(response))
        assert client.get(write_url(final_case, LetterKind.STAGE2_RESPONSE)).status_code == 403
    assert "Write a letter" in case_page
    assert sent.status_code == 302
    letter = Letter.objects.get()
    assert (letter.kind, letter.sent_by) == (LetterKind.APPEAL_DECISION, panel)


# A step taken while the letter is open


def test_an_extension_recorded_while_the_letter_is_open_refuses_it_and_shows_the_new_draft(
    client, posted_case, officer
):
    kind = LetterKind.CONTACT_RECORD
    data = form_of(open_letter(client, officer, posted_case, kind))
    data["body"] = data["body"] + "\n\nMy own closing paragraph."
    with at("Tue 2026-03-17 10:00"):
        investigation.extend(
            posted_case, new_due_on=dt.date(2026, 4, 8), reason="Waiting for a surveyor", actor=officer
        )
    posted_case.refresh_from_db()
    before = snapshot(posted_case)
    response = post_letter(client, posted_case, data, kind)
    assert response.status_code == 409
    assert snapshot(posted_case) == before
    words = text(response, main_only=True)
    assert "The complaint changed while you were writing this letter" in words
    assert "Nothing was sent" in words
    fresh = form_of(response)
    assert fresh["version"] == str(posted_case.version) != data["version"]
    assert "Wednesday 8 April 2026" in fresh["body"] and "Wednesday 8 April 2026" not in data["body"]
    assert fresh["token"] == data["token"]  # nothing was sent with it
    html = response.content.decode()
    mine = html[html.index('id="your-words"') :]
    assert "My own closing paragraph." in mine and "readonly" in mine
    assert "My own closing paragraph." not in fresh["body"]
    # Redone on the new draft, it goes.
    assert post_letter(client, posted_case, fresh, kind).status_code == 302
    assert "Wednesday 8 April 2026" in Letter.objects.get().body


# The download's name and a missing file


def test_a_letter_sent_at_half_past_midnight_in_summer_is_named_by_its_london_day(client, case, officer):
    with at("Wed 2026-04-01 00:30"):  # 23:30 on 31 March in UTC
        letter = send(case, officer)
    client.force_login(officer)
    with at(LATER):
        response = client.get(pdf_url(letter))
    assert f'filename="{case.reference}-acknowledgement-2026-04-01.pdf"' in response["Content-Disposition"]


def test_a_letter_whose_pdf_file_is_missing_is_not_found_not_an_error(client, case, officer):
    with at(WHEN):
        letter = send(case, officer)
    letter.pdf.storage.delete(letter.pdf.name)
    client.force_login(officer)
    with at(LATER):
        assert client.get(pdf_url(letter)).status_code == 404
