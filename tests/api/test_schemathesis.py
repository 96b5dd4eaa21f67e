"""Schemathesis against the OpenAPI document: no server error, and every answer as documented.

Every operation of /api/v1/openapi.json is called in-process through the WSGI
application, as an administrator, with requests generated from the document:
valid ones, invalid ones and the edge cases of each field. No answer may be a
5xx, and each must have a status code, a content type and a body that the
document declares.

The database holds twenty of the demo's complaints, in their different states,
made through the services, and a few files of evidence. So that the generated
requests reach them, and not only "not found", most valid requests are steered
to real references, ids, usernames, organisations and categories (a
``flatmap_case`` hook), and a step's ``version`` is the complaint's current one
when the reference is real. Invalid requests are sent as generated.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Body fields that name things, steered to real values like the path's names.
FIELDS = ("owner", "to", "refer_to", "organisation", "customer_id", "category", "team_id")


@dataclass
class RealValues:
    """What exists: each path parameter with the parameters it belongs with, and fields' values."""

    paths: dict[str, list[dict[str, Any]]]  # the most specific path parameter -> real path parameters
    points: dict[str, list[int]]  # reference -> its points
    fields: dict[str, list[Any]]


def _real_values() -> RealValues:
    from putright.accounts.models import Organisation, Team, User
    from putright.cases.models import Action, Attachment, Complaint, Concern, Customer, Point, Representative
    from putright.cases.policies import current_policy
    from putright.comms.models import Letter

    def on_complaints(model, name: str) -> list[dict[str, Any]]:
        rows = model.objects.order_by("pk").values_list("complaint__reference", "pk")
        return [{"reference": reference, name: pk} for reference, pk in rows]

    points: dict[str, list[int]] = {}
    for reference, pk in Point.objects.order_by("pk").values_list("complaint__reference", "pk"):
        points.setdefault(reference, []).append(pk)
    representatives = Representative.objects.order_by("pk").values_list("customer_id", "pk")
    staff = list(User.objects.filter(is_active=True).order_by("pk").values_list("username", flat=True))
    return RealValues(
        paths={
            "reference": [
                {"reference": r} for r in Complaint.objects.order_by("pk").values_list("reference", flat=True)
            ],
            "action_id": on_complaints(Action, "action_id"),
            "concern_id": on_complaints(Concern, "concern_id"),
            "attachment_id": on_complaints(Attachment, "attachment_id"),
            "letter_id": on_complaints(Letter, "letter_id"),
            "customer_id": [
                {"customer_id": pk} for pk in Customer.objects.order_by("pk").values_list("pk", flat=True)
            ],
            "representative_id": [{"customer_id": c, "representative_id": r} for c, r in representatives],
        },
        points=points,
        fields={
            "owner": staff,
            "to": staff,
            "refer_to": staff,
            "organisation": list(Organisation.objects.order_by("pk").values_list("short_name", flat=True)),
            "customer_id": list(Customer.objects.order_by("pk").values_list("pk", flat=True)),
            "category": [c.key for c in current_policy().policy.eligibility.reasons_to_complain],
            "team_id": list(Team.objects.order_by("pk").values_list("pk", flat=True)),
            "start": ["2026-03-02T10:00", "2026-12-23T16:30:00+00:00", "2027-04-02T09:00"],
        },
    )


def towards_real_values(real: RealValues) -> Callable[[Any, Any], st.SearchStrategy]:
    """A ``flatmap_case`` hook: a valid case is steered, mostly, to things that exist.

    Random references, ids and usernames would only ever be "not found": three times in
    four each is replaced by a real one (an action's id with its own complaint's
    reference), and half the time ``occurred_at`` is left out (now). Invalid cases are
    sent as they were generated.
    """

    def steer(case: Any, rnd: random.Random) -> Any:
        def often() -> bool:
            return rnd.random() < 0.75

        def pick(name: str, value: Any) -> Any:
            return rnd.choice(real.fields[name]) if real.fields.get(name) and often() else value

        if case.path_parameters:
            names = [n for n in real.paths if n in case.path_parameters and real.paths[n]]
            if names and often():
                most_specific = names[-1]
                case.path_parameters = {**case.path_parameters, **rnd.choice(real.paths[most_specific])}
        if case.query and "start" in case.query:
            case.query = {**case.query, "start": pick("start", case.query["start"])}
        if isinstance(case.body, dict):
            body = {k: pick(k, v) if k in FIELDS else v for k, v in case.body.items()}
            if rnd.random() < 0.5:
                body.pop("occurred_at", None)
            points = real.points.get(str((case.path_parameters or {}).get("reference")), [])
            if isinstance(body.get("outcomes"), list) and points:
                body["outcomes"] = [
                    {**o, "point_id": rnd.choice(points)} if isinstance(o, dict) and often() else o
                    for o in body["outcomes"]
                ]
            case.body = body
        return case

    def flatmap_case(context: Any, case: Any) -> st.SearchStrategy:
        if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE:
            return st.just(case)
        return st.randoms(use_true_random=False).map(lambda rnd: steer(case, rnd))

    return flatmap_case


@pytest.fixture
def wsgi_in_the_test_transaction() -> Iterator[None]:
    """Let the WSGI app run inside the test's transaction, as Django's test client does.

    At the end of each request Django closes a connection that is not in autocommit,
    which would end the test's transaction; its test client disconnects that, and so does this.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def administrator_headers(db) -> dict[str, str]:
    from putright.accounts.models import Role, User
    from putright.accounts.tokens import create_token

    admin = User.objects.create_user(username="schemathesis", password=None, role=Role.ADMINISTRATOR)
    _, key = create_token(user=admin, name="Schemathesis", created_by=None)
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api_schema(db, wsgi_in_the_test_transaction, administrator_headers, settings, tmp_path):
    from putright.api.main import api
    from putright.wsgi import application

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", complaints=20, stdout=io.StringIO())
    _add_evidence(3)
    _add_letters(2)
    config = SchemathesisConfig.from_dict(
        {
            "seed": 2026,
            "phases": {
                # The edge cases of every field, and one method the document does not list (405).
                "coverage": {"enabled": True, "unexpected-methods": ["delete"]},
                "stateful": {"enabled": False},
            },
            "generation": {"database": "none"},
        }
    )
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
    schema.app = application
    schema.hook(towards_real_values(_real_values()))
    return schema


def _add_evidence(how_many: int) -> None:
    """The demo keeps no files: attach a letter to the first complaints that take one."""
    from putright.cases.errors import CaseError
    from putright.cases.models import Complaint
    from putright.cases.services import evidence

    added = 0
    for complaint in Complaint.objects.order_by("pk"):
        try:
            evidence.attach(complaint, name="letter.txt", content=b"Dear Sir or Madam,", actor=None)
        except CaseError:
            continue
        added += 1
        if added == how_many:
            return


def _add_letters(how_many: int) -> None:
    """The demo sends no letters: send an acknowledgement on the first complaints open at a stage."""
    from putright.cases.errors import CaseError
    from putright.cases.models import Complaint
    from putright.comms.models import LetterKind
    from tests.web.comms_helpers import send

    added = 0
    for complaint in Complaint.objects.filter(owner__isnull=False).select_related("owner").order_by("pk"):
        try:
            send(complaint, complaint.owner, LetterKind.ACKNOWLEDGEMENT)
        except CaseError:
            continue
        added += 1
        if added == how_many:
            return
    raise AssertionError(f"only {added} of the demo's complaints could take a letter")


schema = schemathesis.pytest.from_fixture("api_schema")


def _current_version(reference: str) -> int | None:
    from putright.cases.models import Complaint

    return Complaint.objects.filter(reference=reference).values_list("version", flat=True).first()


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@schema.parametrize()
def test_the_api_keeps_to_its_document(case, administrator_headers):
    reference = (case.path_parameters or {}).get("reference")
    if isinstance(case.body, dict) and isinstance(case.body.get("version"), int) and reference:
        version = _current_version(str(reference))
        if version is not None:
            case.body["version"] = version

    response = case.call_and_validate(headers=administrator_headers, checks=CHECKS)

    assert response.status_code != 401, "the administrator's token was not accepted"


# What the run found, pinned as plain tests.


def test_text_with_a_nul_character_is_refused_before_it_reaches_the_database(api, administrator, log):
    """PostgreSQL cannot store NUL in text: it was a 500 there; now it is a 422 naming the field."""
    client = api.as_(administrator)
    complaint = log("2026-03-02 10:00")
    sent = {
        "points.1": client.post(
            "complaints",
            {
                "organisation": "VHT",
                "customer_id": complaint.customer_id,
                "channel": "phone",
                "category": "service_failure",
                "summary": "Leak",
                "description": "The roof leaks.",
                "points": ["The leak", "Nobody\x00called"],
            },
        ),
        "q": client.get("complaints", {"q": "roof\x00"}),
        "description": client.upload(
            f"complaints/{complaint.reference}/attachments",
            name="letter.txt",
            content=b"A letter",
            version=complaint.version,
            description="From\x00the customer",
            content_type="text/plain",
        ),
    }

    for field, response in sent.items():
        assert response.status_code == 422, response.content
        assert response.json()["errors"] == [
            {"field": field, "message": "must not contain the NUL character (\\u0000)"}
        ]


@pytest.mark.parametrize(
    ("step", "body"),
    [
        ("accept", {"owner": "", "reasoning": "A complaint."}),
        ("reassign", {"owner": ""}),
        ("escalate", {"owner": "", "grounds": ["b"]}),
    ],
)
def test_an_empty_name_for_a_member_of_staff_is_refused_not_a_server_error(
    api, administrator, log, step, body
):
    """An empty ``owner`` was read as "nobody" and failed an assertion (500); now it is a 422."""
    complaint = log("2026-03-02 10:00")

    response = api.as_(administrator).post(
        f"complaints/{complaint.reference}/{step}", {**body, "version": complaint.version}
    )

    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "owner"
