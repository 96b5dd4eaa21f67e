"""Recording a response opens its letter, drafted from the response just recorded, so the caseworker
cannot forget to send it; the timeline then says how the letter really went (email, or post and
when it was posted).

The case is test_case_page.py's: received Mon 16 March 2026, accepted, Ada (email, no postal
address) as the customer; Grace (test_letters.py) reads on paper.
"""

from __future__ import annotations

import pytest

from putright.cases.models import EventKind
from putright.comms.models import Letter, LetterStatus
from tests.cases.helpers import at
from tests.web.helpers import text
from tests.web.test_case_page import stage1_case
from tests.web.test_investigation_steps import outcomes, post
from tests.web.test_letters import form_of
from tests.web.test_letters import grace as grace

pytestmark = pytest.mark.django_db

RESPONDED = "Wed 2026-03-25 15:00"
LETTER_PAGE = "Wed 2026-03-25 15:01"


def respond(client, officer, case):
    data = {"method": "phone", "summary": "We will fix the roof", **outcomes(case, "upheld", "not_upheld")}
    return post(client, officer, case, "respond", RESPONDED, data)


def open_offered(client, response):
    assert response.status_code == 302
    with at(LETTER_PAGE):
        return client.get(response["Location"])


def test_recording_the_stage_1_response_lands_on_its_letter_ready_to_send(client, log, officer):
    case = stage1_case(log, officer)
    response = respond(client, officer, case)
    assert response["Location"] == f"/work/complaints/{case.reference}/letters/new/stage1-response/"
    page = open_offered(client, response)
    words = text(page, main_only=True)
    assert "Stage 1 response recorded: 1 point upheld, 1 point not upheld." in words
    assert "Check the letter below, then send it to the customer." in words
    body = form_of(page)["body"]
    assert "Upheld" in body and "Not upheld" in body  # the outcomes just recorded
    with at(LETTER_PAGE):
        sent = client.post(page.request["PATH_INFO"], form_of(page))
    assert sent.status_code == 302
    (letter,) = Letter.objects.all()
    assert letter.status == LetterStatus.EMAILED
    event = case.timeline.filter(kind=EventKind.LETTER_SENT).get()
    assert event.summary.startswith("Stage 1 response sent by email to ada@example.org")


def test_a_posted_response_letter_says_so_on_the_timeline_once_it_is_posted(client, log, officer, grace):
    case = stage1_case(log, officer, customer=grace)
    page = open_offered(client, respond(client, officer, case))
    with at(LETTER_PAGE):
        client.post(page.request["PATH_INFO"], form_of(page))
    (letter,) = Letter.objects.all()
    assert letter.status == LetterStatus.TO_POST
    with at("Wed 2026-03-25 16:00"):
        client.post(f"/work/complaints/{case.reference}/letters/{letter.pk}/posted/")
    summaries = list(
        case.timeline.filter(kind__in=[EventKind.LETTER_SENT, EventKind.LETTER_POSTED]).values_list(
            "summary", flat=True
        )
    )
    assert summaries[0].startswith("Stage 1 response ready to post to Grace Hopper")
    assert summaries[1] == "Stage 1 response posted to Grace Hopper"
