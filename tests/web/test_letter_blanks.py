"""A letter with a blank cannot be sent from the workspace: the page says what to fill in before the
button, a send is refused at the top of the page, and nothing is sent."""

from __future__ import annotations

import pytest

from putright.comms.models import Letter, OutboundEmail
from tests.web.test_letters import case as case
from tests.web.test_letters import form_of, open_letter, post_letter, snapshot, text

pytestmark = pytest.mark.django_db

BLANK = (
    "Fill in Victory Housing Trust's phone number: an administrator adds it on the Letterheads page "
    "(Letter templates, then Letterheads)"
)


def test_a_blank_phone_number_is_named_on_the_page_and_the_send_is_refused(client, officer, org, case):
    org.parent.phone = ""
    org.parent.save(update_fields=["phone"])
    page = open_letter(client, officer, case)
    assert f"This letter cannot be sent with a blank in it. {BLANK}." in text(page, main_only=True)
    before = snapshot(case)
    refused = post_letter(client, case, form_of(page))
    assert refused.status_code == 400
    assert f"There is a problem This letter would go out with a blank. {BLANK}" in text(refused)
    assert snapshot(case) == before
    assert not Letter.objects.exists() and not OutboundEmail.objects.exists()


def test_with_the_groups_phone_number_the_same_letter_goes(client, officer, case):
    page = open_letter(client, officer, case)
    assert "cannot be sent with a blank" not in text(page)
    sent = post_letter(client, case, form_of(page))
    assert sent.status_code == 302
    (letter,) = Letter.objects.all()
    assert "0808 157 0001" in letter.body
