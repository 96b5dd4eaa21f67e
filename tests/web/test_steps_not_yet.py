"""The case page offers only the steps that can be taken now: one the state allows but the facts
refuse (closing while an action is open) is shown with its reason, not as a button; accepting asks
for the triage reasoning and marking an action done asks what was done.

The case is received on Monday 16 March 2026 at 10:00, accepted at 11:00, contacted and answered
on Wednesday 25 March at 15:00 with one agreed action (the roof, due Friday 10 April).
"""

from __future__ import annotations

import pytest

from putright.cases.models import Complaint, EventKind
from putright.cases.services import responses
from tests.cases.helpers import at, day, kinds, snapshot
from tests.web.helpers import text as text_of
from tests.web.test_case_page import ANSWERED, answer, buttons, open_page, stage1_case

CLOSING_REFUSED = "The complaint can only be closed when every agreed action is done: 1 action is still open."


@pytest.fixture
def answered(log, officer):
    """Answered at stage 1 with one agreed action still open."""
    case = stage1_case(log, officer)
    answer(case, officer)
    with at(ANSWERED):
        responses.add_action(case, description="Repair the roof", due_on=day("Fri 2026-04-10"), actor=officer)
    case.refresh_from_db()
    return case


def test_closing_with_an_open_action_is_not_a_button_but_says_why(client, answered, officer):
    page = open_page(client, officer, answered, "Thu 2026-03-26 09:00")
    assert not [url for url in buttons(page) if url.endswith("/close/")]
    text = text_of(page)
    assert "Not possible yet" in text
    assert f"Close the complaint: {CLOSING_REFUSED}" in text


def test_once_the_action_is_done_closing_is_the_next_button(client, answered, officer):
    action = answered.actions.get()
    with at("Thu 2026-04-09 12:00"):
        responses.complete_action(answered, action_id=action.pk, note="Roof retiled.", actor=officer)
    page = open_page(client, officer, answered, "Thu 2026-04-09 13:00")
    assert buttons(page)[0].endswith("/close/")
    assert "Not possible yet" not in text_of(page)


def test_the_steps_the_role_may_not_take_are_not_listed_with_reasons(client, answered, frontline):
    page = open_page(client, frontline, answered, "Thu 2026-03-26 09:00")
    assert CLOSING_REFUSED not in text_of(page)


def _form_post(client, user, url: str, when: str, data: dict):
    with at(when):
        client.force_login(user)
        return client.post(url, data)


def test_accepting_asks_for_the_triage_reasoning_and_keeps_it(client, log, officer):
    with at("Mon 2026-03-16 10:00"):
        complaint = log("2026-03-16 10:00")
    url = f"/work/complaints/{complaint.reference}/accept/"
    before = snapshot(complaint)
    blank = _form_post(
        client, officer, url, "Mon 2026-03-16 11:00", {"version": complaint.version, "owner": officer.pk}
    )
    assert blank.status_code == 400
    assert "Enter why it is a complaint" in text_of(blank)
    assert snapshot(complaint) == before

    done = _form_post(
        client,
        officer,
        url,
        "Mon 2026-03-16 11:00",
        {
            "version": complaint.version,
            "owner": officer.pk,
            "reasoning": "The repair was promised and missed.",
        },
    )
    assert done.status_code == 302
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.triage_note == "The repair was promised and missed."
    assert kinds(fresh)[-1] == EventKind.ACCEPTED
    page = open_page(client, officer, fresh, "Mon 2026-03-16 11:05")
    assert "Accepted at stage 1 and assigned to Olivia Staff: The repair was promised and missed." in text_of(
        page
    )


def test_marking_an_action_done_asks_what_was_done(client, answered, officer):
    action = answered.actions.get()
    url = f"/work/complaints/{answered.reference}/actions/{action.pk}/complete/"
    before = snapshot(answered)
    blank = _form_post(
        client, officer, url, "Thu 2026-04-09 12:00", {"version": answered.version, "note": " "}
    )
    assert blank.status_code == 400
    assert "Enter what was done" in text_of(blank)
    assert snapshot(answered) == before

    done = _form_post(
        client, officer, url, "Thu 2026-04-09 12:00", {"version": answered.version, "note": "Roof retiled."}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.completion_note == "Roof retiled."
