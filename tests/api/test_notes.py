"""Internal notes over the API: written, listed, the colleague named emailed through the outbox;
a note naming someone who does not work for the complaint's organisation is refused."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.comms.models import OutboundEmail
from tests.api.helpers import is_problem, log_complaint
from tests.cases.helpers import at
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "putright.comms.email.outbox.OutboxBackend"


@pytest.fixture
def group_manager(org):
    manager = make_user("rachel", Role.SENIOR_MANAGER, org.parent)
    manager.email = "rachel@example.org"
    manager.save()
    return manager


def test_a_note_is_written_and_listed_and_the_colleague_named_is_emailed(
    api, customer, frontline, officer, group_manager, outbox
):
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00")
    olivia = api.as_(officer)
    with at("Mon 2026-03-02 10:30"):
        reply = olivia.post(
            f"complaints/{case['reference']}/notes", {"text": "@rachel please call the customer"}
        )
    assert reply.status_code == 201, reply.json()
    assert reply.json()["told"] == [{"username": "rachel", "name": "Rachel Staff"}]
    (email,) = OutboundEmail.objects.all()
    assert email.to == ["rachel@example.org"]

    with at("Mon 2026-03-02 10:31"):
        listed = olivia.get(f"complaints/{case['reference']}/notes").json()
    assert [(n["text"], n["author"]["username"]) for n in listed] == [
        ("@rachel please call the customer", "olivia")
    ]


def test_a_note_naming_a_stranger_is_refused_and_keeps_nothing(api, customer, frontline, officer, outbox):
    elsewhere = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    make_user("otto", Role.SENIOR_MANAGER, elsewhere)
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00")
    olivia = api.as_(officer)
    with at("Mon 2026-03-02 10:30"):
        reply = olivia.post(
            f"complaints/{case['reference']}/notes", {"text": "Look at this", "tell": ["otto"]}
        )
    body = is_problem(reply, 422, "invalid")
    assert body["errors"] == [
        {"field": "tell", "message": "no active member of staff 'otto' works for Victory Housing Trust"}
    ]
    assert olivia.get(f"complaints/{case['reference']}/notes").json() == []
    assert not OutboundEmail.objects.exists()
