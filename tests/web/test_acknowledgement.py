"""issue 13, ack: a contact recorded as acknowledging, and the acknowledgement of each stage on the case page.

The case is received on Monday 16 March 2026 at 10:00 and accepted at 11:00 (tests/web/test_case_page.py).
"""

from __future__ import annotations

import pytest

from putright.cases.models import AcknowledgedVia, Contact, Stage
from putright.cases.services import acknowledgement
from tests.cases.helpers import at, on
from tests.web.helpers import text as text_of
from tests.web.test_case_page import _queries, case_url, stage1_case
from tests.web.test_investigation_steps import followed, post, url

pytestmark = pytest.mark.django_db

LABEL = "This contact acknowledges the complaint"


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


def test_the_contact_form_offers_the_checkbox_with_its_legend(client, case, officer):
    with at("Tue 2026-03-17 09:00"):
        client.force_login(officer)
        html = client.get(url(case, "record-contact")).content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    assert 'type="checkbox" name="acknowledges" value="yes"' in html
    assert LABEL in text_of(html)


def test_a_contact_ticked_as_acknowledging_acknowledges_the_stage(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "record-contact",
        "Tue 2026-03-17 10:00",
        {
            "direction": "outbound",
            "method": "phone",
            "summary": "Called to acknowledge the complaint",
            "acknowledges": ["yes"],
            "occurred_at": "2026-03-17 09:15",
        },
    )
    page = text_of(followed(client, response, "Tue 2026-03-17 10:01"))
    assert "Contact recorded: by phone, we contacted the customer. It acknowledges the complaint." in page
    assert "Stage 1: Acknowledged Tuesday 17 March 2026 (contact recorded as acknowledging)" in page
    assert Contact.objects.get(complaint=case).acknowledges
    stage = Stage.objects.get(complaint=case, number=1)
    assert (stage.acknowledged_at, stage.acknowledged_via) == (on("Tue 2026-03-17 09:15"), "contact")


def test_a_contact_left_unticked_acknowledges_nothing(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "record-contact",
        "Tue 2026-03-17 10:00",
        {"direction": "outbound", "method": "phone", "summary": "Called"},
    )
    page = text_of(followed(client, response, "Tue 2026-03-17 10:01"))
    assert "Stage 1: Not acknowledged yet" in page
    assert not Contact.objects.get(complaint=case).acknowledges


def test_the_case_page_says_how_each_stage_was_acknowledged_at_no_extra_query(client, case, officer):
    before = _queries(client, officer, case)
    with at("Tue 2026-03-17 09:00"):
        acknowledgement.acknowledge(case, via=AcknowledgedVia.LETTER, actor=officer)
    assert _queries(client, officer, case) == before
    with at("Wed 2026-03-18 09:00"):
        client.force_login(officer)
        page = text_of(client.get(case_url(case)))
    assert "Acknowledged Stage 1: Acknowledged Tuesday 17 March 2026 (acknowledgement letter sent)" in page


def test_before_acceptance_the_form_does_not_offer_it(client, log, officer):
    with at("Mon 2026-03-16 10:00"):
        complaint = log("2026-03-16 10:00")
    with at("Mon 2026-03-16 10:30"):
        client.force_login(officer)
        html = client.get(url(complaint, "record-contact")).content.decode()
    assert 'name="summary"' in html and 'name="acknowledges"' not in html
