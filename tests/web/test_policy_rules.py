"""The workspace follows the policy in force: no informal resolution, and reasons for each point.

Under the Code's policy ("code-2024") there is no informal stage (5.2), so the
triage pages neither offer nor describe it, and a response must give the reasons
for each point's outcome (6.7), which the response form asks for. The flagship
policy (the seed) keeps informal resolution and leaves the reasons optional.
The case is received on Mon 16 March 2026 at 10:00 and accepted at 11:00.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from putright.cases.models import Complaint
from putright.procedure.states import State
from tests.cases.conftest import code_2024  # noqa: F401 (a fixture)
from tests.cases.helpers import at, on, snapshot
from tests.web.helpers import text as page_text
from tests.web.test_case_page import stage1_case


def version_in(response) -> int:
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found
    return int(found.group(1))


@pytest.fixture
def received(log) -> Complaint:
    with at("Mon 2026-03-16 10:05"):
        return log("2026-03-16 10:00", matter_date=on("Mon 2026-03-02 00:00").date())


def test_the_seed_policy_offers_informal_resolution_at_triage(client, frontline, received):
    client.force_login(frontline)
    with at("Mon 2026-03-16 10:30"):
        page = page_text(client.get(reverse("web:step-accept", args=[received.reference])), main_only=True)
    assert "If resolved informally What was done to put it right" in page
    assert "Resolve informally" in page


@pytest.mark.usefixtures("code_2024")
def test_the_codes_policy_neither_offers_nor_describes_informal_resolution(client, frontline, received):
    client.force_login(frontline)
    with at("Mon 2026-03-16 10:30"):
        ref = [received.reference]
        triage_page = page_text(client.get(reverse("web:step-accept", args=ref)), main_only=True)
        case_page = page_text(client.get(reverse("web:case", args=ref)), main_only=True)
        typed_in = client.get(reverse("web:step-resolve-informally", args=ref), follow=True)
    assert "If resolved informally" not in triage_page
    assert "Resolve informally" not in triage_page
    assert "Resolve informally" not in case_page
    # A typed-in link is turned back to the case page with the reason.
    assert typed_in.redirect_chain[-1][0] == reverse("web:case", args=ref)
    assert "This policy has no informal resolution (no “stage 0”)" in page_text(typed_in)


def _respond(client, officer, complaint: Complaint, reasons: str):
    url = reverse("web:step-respond", args=[complaint.reference])
    points = list(complaint.points.order_by("number"))
    with at("Tue 2026-03-17 15:00"):
        client.force_login(officer)
        form = client.get(url)
        data = {"version": version_in(form), "method": "letter", "summary": "We are sorry"}
        for point in points:
            data |= {f"outcome_{point.pk}": "upheld", f"reasons_{point.pk}": reasons}
        return form, client.post(url, data)


@pytest.mark.usefixtures("code_2024")
def test_the_codes_policy_asks_for_the_reasons_for_each_point(client, log, officer):
    complaint = stage1_case(log, officer)
    before = snapshot(complaint)

    form, refused = _respond(client, officer, complaint, reasons="  ")

    assert re.search(r'<textarea[^>]*name="reasons_\d+"[^>]*required', form.content.decode())
    assert refused.status_code == 400
    page = page_text(refused)
    assert "There is a problem" in page
    assert "Enter the reasons for the outcome of point 1" in page
    assert "Enter the reasons for the outcome of point 2" in page
    assert snapshot(complaint) == before

    _, done = _respond(client, officer, complaint, reasons="The repair was booked late")
    assert done.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).state == State.STAGE1_RESPONDED


def test_the_seed_policy_leaves_the_reasons_optional(client, log, officer):
    complaint = stage1_case(log, officer)

    form, done = _respond(client, officer, complaint, reasons="")

    assert not re.search(r'<textarea[^>]*name="reasons_\d+"[^>]*required', form.content.decode())
    assert done.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).state == State.STAGE1_RESPONDED


def test_the_triage_brief_offers_informal_resolution_only_when_the_state_machine_would_allow_it(
    received, officer
):
    from putright.cases.services import triage
    from putright.web.forms.triage import brief_for

    # Received, under the seed policy: offered, and it says a formal complaint is a new one.
    assert brief_for(received).if_resolved == (
        "What was done to put it right, and that if they are still unhappy they can make a formal "
        "complaint: a new complaint with its own reference, linked to this one."
    )
    # Once accepted the policy still has informal resolution, but the procedure no longer allows it.
    with at("Mon 2026-03-16 11:00"):
        triage.accept(received, owner=officer, actor=officer, reasoning="A complaint about our service.")
    received.refresh_from_db()
    assert brief_for(received).if_resolved == ""


@pytest.mark.usefixtures("code_2024")
def test_the_triage_brief_under_the_codes_policy_never_offers_informal_resolution(received):
    from putright.web.forms.triage import brief_for

    assert brief_for(received).if_resolved == ""
