"""Every kind of letter, made on a real case and read back from its PDF.

The cases are walked through the real services along the standard journey of
tests/cases (flagship policy, England and Wales). Every date below is worked
out by hand from the policy, counting working days (Monday to Friday, not a
bank holiday: Good Friday is Fri 3 April 2026 and Easter Monday Mon 6 April
2026), and written as a literal, so the letters are checked against the
procedure, not against the code that made them.
"""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from putright.accounts.models import Role
from putright.cases.services import customers, escalation, investigation, responses, triage
from putright.comms.models import LetterKind
from tests.cases.helpers import at, on, wall
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_bytes,
    pdf_text,
    send,
)
from tests.conftest import _user
from tests.learning.helpers import record_learning

K = LetterKind

OMBUDSMAN = [
    "Housing Ombudsman Service",
    "PO Box 152, Liverpool, L33 7WQ",
    "0300 111 3000",
    "info@housing-ombudsman.org.uk",
    "www.housing-ombudsman.org.uk",
]
LETTERHEAD = ["Victory Housing Trust", "Tom Moore House", "0800 371 860", "info@victoryhousing.co.uk"]


def assert_has(text: str, *expected: str) -> None:
    missing = [e for e in expected if e not in text]
    assert not missing, f"missing {missing} in:\n{text}"


pytestmark = pytest.mark.django_db


def test_acknowledgement_gives_the_reference_and_both_promised_dates(journey, officer):
    complaint = journey.until("accepted")
    text = pdf_text(send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30"))
    assert_has(
        text,
        *LETTERHEAD,
        f"Our reference: {complaint.reference}",
        "2 March 2026",  # the letter's date
        "Ada Lovelace",
        "Stage 1: formal complaint",
        # Contact within 24 working hours of Mon 2 March 10:00: Tue 3 March at 10:00.
        "by Tuesday 3 March 2026 at 10:00",
        # Response within 10 working days of receipt (Mon 2 March is day 0):
        # 3, 4, 5, 6 (4), 9-13 (9), 16 (10).
        "by Monday 16 March 2026",
        "Olivia Staff, Resolution Officer",
    )


def test_acknowledgement_counts_round_the_easter_bank_holidays(log, officer, landlord):
    with at("Thu 2026-04-02 10:00"):
        complaint = log(wall("Thu 2026-04-02 10:00"))
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    text = pdf_text(send(complaint, K.ACKNOWLEDGEMENT, officer, "Thu 2026-04-02 10:30"))
    assert_has(
        text,
        # 24 working hours from Thu 2 April 10:00: 14 hours to midnight, then Good
        # Friday and Easter Monday do not count, so the last 10 hours run on Tue 7 April.
        "by Tuesday 7 April 2026 at 10:00",
        # 10 working days from Thu 2 April: 7, 8, 9, 10 (4), 13-17 (9), 20 (10).
        "by Monday 20 April 2026",
    )


def test_stage_2_acknowledgement_speaks_of_the_review_clocks(journey, senior):
    complaint = journey.until("escalated")
    text = pdf_text(send(complaint, K.ACKNOWLEDGEMENT, senior, "Fri 2026-03-13 10:30"))
    assert_has(
        text,
        "Stage 2: review",
        "Sam Staff, Senior Manager",
        # Contact within 5 working days of Fri 13 March: 16, 17, 18, 19, 20.
        "by Friday 20 March 2026",
        # Response within 20 working days: 16-20 (5), 23-27 (10), 30, 31, 1, 2 (14),
        # Good Friday and Easter Monday skipped, 7-10 (18), 13, 14 (20).
        "by Tuesday 14 April 2026",
    )


def test_contact_record_says_what_we_discussed_and_what_happens_next(journey, officer):
    complaint = journey.until("contacted")
    text = pdf_text(send(complaint, K.CONTACT_RECORD, officer, "Tue 2026-03-03 10:00"))
    assert_has(text, "by phone on Tuesday 3 March 2026", "Talked it through", "by Monday 16 March 2026")


def test_evidence_request_says_what_we_need_and_by_when(journey, officer):
    complaint = journey.until("contacted")
    with at("Wed 2026-03-04 09:00"):
        investigation.request_evidence(
            complaint,
            description="Photos of the damp in the back bedroom",
            respond_by=dt.date(2026, 3, 10),
            actor=officer,
        )
    text = pdf_text(send(complaint, K.EVIDENCE_REQUEST, officer, "Wed 2026-03-04 09:05"))
    assert_has(
        text, "Photos of the damp in the back bedroom", "by Tuesday 10 March 2026", "Monday 16 March 2026"
    )


def test_extension_gives_the_reason_and_the_new_date(journey, officer):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-10 12:00"):
        # Within the limit: 10 working days after Mon 16 March is Mon 30 March
        # (17-20 (4), 23-27 (9), 30 (10)).
        investigation.extend(
            complaint,
            new_due_on=dt.date(2026, 3, 30),
            reason="The roofer's report is not back yet",
            actor=officer,
        )
    text = pdf_text(send(complaint, K.EXTENSION, officer, "Tue 2026-03-10 12:05"))
    assert_has(
        text,
        "by Monday 16 March 2026 as we said",
        "The roofer's report is not back yet",
        "by Monday 30 March 2026",
    )


def test_not_accepted_gives_the_policy_reason_the_signpost_and_the_ombudsman(log, frontline, landlord):
    with at("Mon 2026-03-02 10:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
    with at("Mon 2026-03-02 14:00"):
        triage.not_accept(
            complaint,
            reason="neighbour_or_asb",
            explanation="This is about noise next door.",
            actor=frontline,
        )
    text = pdf_text(send(complaint, K.NOT_ACCEPTED, frontline, "Mon 2026-03-02 14:10"))
    assert_has(
        text,
        "You are complaining about a neighbour or other resident "
        "(this is dealt with as Anti-Social Behaviour)",
        "This is about noise next door.",
        "Anti-social behaviour team",
        "contact the Housing Ombudsman Service now",
        *OMBUDSMAN,
    )


def test_informal_resolution_confirms_what_we_did(log, frontline, landlord):
    with at("Mon 2026-03-02 10:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
        triage.resolve_informally(
            complaint, resolution="We booked the roof repair for Friday", actor=frontline
        )
    text = pdf_text(send(complaint, K.INFORMAL_RESOLUTION, frontline, "Mon 2026-03-02 10:30"))
    assert_has(
        text,
        "We booked the roof repair for Friday",
        complaint.reference,
        # No "stage 0" that leaves the customer stuck: the letter offers the formal complaint.
        "You can still make a formal complaint about this",
        "say that you want to make a formal complaint",
        # Resolved informally is final: a formal complaint is a new one, linked to this.
        "We will log it as a formal complaint with a new reference of its own",
        f"mention this reference, {complaint.reference}, so that we can link the two",
    )
    assert "consider it at stage 1" not in text


def test_stage_1_response_gives_outcomes_actions_and_how_to_ask_for_a_review(journey, officer):
    complaint = journey.until("responded")
    with at("Thu 2026-03-12 15:10"):
        responses.add_action(
            complaint, description="Replace the roof tiles", due_on=dt.date(2026, 3, 27), actor=officer
        )
    text = pdf_text(send(complaint, K.STAGE1_RESPONSE, officer, "Thu 2026-03-12 15:30"))
    assert_has(
        text,
        "Point 1: The repair was not done. Outcome: Upheld (we agree that we did something wrong). "
        "We got this wrong",
        "Point 2: Nobody called back. Outcome: Upheld",
        "Replace the roof tiles: by Friday 27 March 2026",
        "ask for a review",
        "(b) You are unhappy with the proposed resolution",
        "(d) You are unhappy with the way the complaint has been handled",
        # The seed procedure sets no time limit for asking for a review: the letter says so.
        "does not set a time limit for asking for a review",
        "within 5 working days",
        "within 20 working days",
    )


def test_stage_2_response_gives_the_appeal_and_the_ombudsman_routes(journey, senior):
    complaint = journey.until("responded2")
    text = pdf_text(send(complaint, K.STAGE2_RESPONSE, senior, "Thu 2026-03-19 15:30"))
    assert_has(
        text,
        "Point 1: The repair was not done. Outcome: Upheld",
        "Appeal to the Tenants Experience Group",
        "a Board member, a resident and a member of our Executive Team",
        "one or more of these criteria",
        "(c) Flagship Group has failed to respond to the complaint within the agreed timescale",
        "within 20 working days of your request",
        "designated person (your MP or a local councillor)",
        # 8 calendar weeks after the final response on Thu 19 March 2026.
        "from Thursday 14 May 2026",
        *OMBUDSMAN,
    )


def test_appeal_invitation_gives_date_time_place_and_the_companion_rule(journey, senior):
    complaint = journey.until("scheduled")
    text = pdf_text(send(complaint, K.APPEAL_INVITATION, senior, "Wed 2026-03-25 14:30"))
    assert_has(
        text,
        "Date: Tuesday 21 April 2026",
        "Time: 14:00",
        "Place: Tom Moore House, North Walsham",
        "Bea Board, Board member",
        "Rita Resident, Resident",
        "You can bring someone with you for support, but not a legal representative",
        # The decision within 5 working days of Tue 21 April: 22, 23, 24, 27, 28.
        "within 5 working days of the meeting, by Tuesday 28 April 2026",
    )


def test_appeal_refusal_gives_the_reason_and_the_ombudsman_route(journey, senior):
    complaint = journey.until("appealed")
    with at("Wed 2026-03-25 11:00"):
        record_learning(complaint, senior)
        escalation.refuse_appeal(
            complaint, reason="Every point was answered and nothing agreed is outstanding.", actor=senior
        )
    text = pdf_text(send(complaint, K.APPEAL_REFUSAL, senior, "Wed 2026-03-25 11:30"))
    assert_has(
        text,
        "Every point was answered and nothing agreed is outstanding.",
        "An appeal hearing may not be held where the agreed actions",
        "remains our final response",
        # The stage 2 response (Thu 19 March) stays the final response: 8 weeks on.
        "from Thursday 14 May 2026",
        *OMBUDSMAN,
    )


def test_appeal_decision_is_the_final_response_with_the_ombudsman_details(journey, org, team):
    complaint = journey.until("final")
    panel = _user("pat", Role.PANEL_MEMBER, team, org)  # the panel's decision is the panel's letter
    text = pdf_text(send(complaint, K.APPEAL_DECISION, panel, "Fri 2026-04-24 11:30"))
    assert_has(
        text,
        "Upheld in full",
        "Point 2: Nobody called back. Outcome: Upheld",
        "This decision is our final response",
        # 8 calendar weeks after the final response on Fri 24 April 2026.
        "from Friday 19 June 2026",
        *OMBUDSMAN,
    )


def test_designated_person_acknowledgement_names_the_mp_to_the_customer(journey, officer, customer):
    complaint = journey.until("responded2")
    customers.add_representative(
        customer=customer,
        name="Harriet Member MP",
        kind="designated_person",
        role="MP for North Norfolk",
        consent_given_at=on("Mon 2026-03-23 09:00"),
        consent_how="Signed consent form",
    )
    text = pdf_text(send(complaint, K.DESIGNATED_PERSON, officer, "Mon 2026-03-23 10:00"))
    assert_has(
        text,
        "Dear Ada Lovelace",
        "Harriet Member MP, MP for North Norfolk",
        "Localism Act 2011",
        "on Monday 23 March 2026",
    )


def font_sizes(letter) -> dict[float, int]:
    """How many characters of the PDF are drawn at each font size (in points, as printed)."""
    found: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
        if text.strip():
            key = round(size * scale, 1)
            found[key] = found.get(key, 0) + len(text.strip())

    for page in PdfReader(io.BytesIO(pdf_bytes(letter))).pages:
        page.extract_text(visitor_text=visit)
    return found


def page_count(letter) -> int:
    return len(PdfReader(io.BytesIO(pdf_bytes(letter))).pages)


def test_large_print_letters_are_really_larger(journey, officer, customer):
    complaint = journey.until("responded")
    standard = send(complaint, K.STAGE1_RESPONSE, officer, "Thu 2026-03-12 15:30")
    customer.adjustments.create(kind="large_print")  # the customer now asks for large print
    large = send(complaint, K.STAGE1_RESPONSE, officer, "Thu 2026-03-12 15:40")
    assert (standard.large_print, large.large_print) == (False, True)

    normal_sizes, large_sizes = font_sizes(standard), font_sizes(large)
    body_normal = max(normal_sizes, key=lambda size: normal_sizes[size])  # the size most words are in
    body_large = max(large_sizes, key=lambda size: large_sizes[size])
    assert body_normal < 12
    assert body_large >= 16  # RNIB: large print is at least 16 point
    assert min(large_sizes) >= 12  # even the page footer
    assert max(large_sizes) > max(normal_sizes)  # and the headings grow too
    assert page_count(large) > page_count(standard)  # the same words take more paper
    assert pdf_text(large).count("Point 1: The repair was not done") == 1


@pytest.mark.parametrize(
    "url", ["http://example.com/pixel.png", "https://169.254.169.254/", "file:///etc/passwd"]
)
def test_a_letter_may_not_fetch_anything(url):
    from putright.comms.letters.pdf import refuse_fetch

    with pytest.raises(ValueError, match="may not load"):
        refuse_fetch(url)


#: A 1x1 transparent PNG, inline: the only kind of image a document may hold.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


def test_no_document_drawn_as_pdf_makes_the_server_fetch_anything():
    """Letters and the published policy share one drawing function: a page asking for an image,
    a style sheet or a font on a (loopback) web server is drawn without a single request to it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from putright.comms.letters.pdf import pdf_from_html

    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    there = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        pdf = pdf_from_html(
            f'<html><head><link rel="stylesheet" href="{there}/style.css">'
            f"<style>@font-face {{ font-family: x; src: url({there}/font.woff) }}</style></head>"
            f'<body><p>Our complaints policy</p><img src="{there}/pixel.png">'
            f'<img alt="" src="data:image/png;base64,{PIXEL}"></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert asked == []
    drawn = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Our complaints policy" in drawn.extract_text()
    assert len(drawn.images) == 1  # the inline image, and only it


def test_the_body_is_escaped_paragraphed_and_listed():
    from putright.comms.letters.pdf import Block, blocks

    assert blocks("Dear Ada,\n\nWhat happens next\n- one\n- two\n\n<img src=x>") == [
        Block("paragraph", ["Dear Ada,"]),
        Block("heading", ["What happens next"]),
        Block("list", ["one", "two"]),
        Block("paragraph", ["<img src=x>"]),
    ]
