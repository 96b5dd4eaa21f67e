"""Fixtures for the HTTP tests of the JSON API: a client per user, and the roles tests/conftest.py lacks.

``api.as_(user)`` is a django test Client that sends JSON with a Bearer API
token made for ``user`` by ``putright.accounts.tokens.create_token``::

    reply = api.as_(officer).post("/api/v1/complaints", {...}, idempotency_key="k1")
    assert reply.status_code == 201, reply.json()

Paths may be given whole ("/api/v1/complaints") or relative to /api/v1/
("complaints/PR-7K3M9Q"). ``api.anonymous()`` sends no credentials and
``api.with_key(key)`` any Bearer key (a revoked or made-up one).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

API = "/api/v1/"


def url(path: str) -> str:
    """A path under /api/v1/, from "complaints" or "/api/v1/complaints"."""
    return path if path.startswith("/") else API + path


class ApiClient:
    """A django test Client speaking JSON with one user's API token."""

    def __init__(self, user: Any, key: str | None) -> None:
        self.user = user
        self.key = key
        self.client = Client()

    def _headers(self, idempotency_key: str | None, headers: dict[str, str] | None) -> dict[str, str]:
        sent: dict[str, str] = {}
        if self.key is not None:
            sent["Authorization"] = f"Bearer {self.key}"
        if idempotency_key is not None:
            sent["Idempotency-Key"] = idempotency_key
        sent.update(headers or {})
        return sent

    def get(self, path: str, params: dict[str, Any] | None = None, *, headers: dict[str, str] | None = None):
        return self.client.get(url(path), params or {}, headers=self._headers(None, headers))

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        idempotency_key: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        return self.client.post(
            url(path),
            json.dumps({} if body is None else body),
            content_type="application/json",
            headers=self._headers(idempotency_key, headers),
        )

    # issue 12: DELETE (a complaint unlinked from a learning action); PATCH is below
    def delete(self, path: str, *, idempotency_key: str | None = None):
        return self.client.delete(url(path), headers=self._headers(idempotency_key, None))

    def upload(
        self,
        path: str,
        *,
        name: str,
        content: bytes,
        version: int,
        description: str = "",
        content_type: str = "application/octet-stream",
        idempotency_key: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        """POST a multipart form with one file (field ``file``) and the complaint's ``version``."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "version": str(version),
            "description": description,
        }
        return self.client.post(url(path), data, headers=self._headers(idempotency_key, headers))

    # issue 12: PATCH (a learning action, a "You said, we did" entry)
    def patch(
        self,
        path: str,
        body: Any = None,
        *,
        idempotency_key: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        return self.client.patch(
            url(path),
            json.dumps({} if body is None else body),
            content_type="application/json",
            headers=self._headers(idempotency_key, headers),
        )

    # issue 13, tsm: PUT (the homes owned in a year)
    def put(self, path: str, body: Any = None, *, idempotency_key: str | None = None):
        return self.client.put(
            url(path),
            json.dumps({} if body is None else body),
            content_type="application/json",
            headers=self._headers(idempotency_key, None),
        )


class Api:
    """The ``api`` fixture: ``api.as_(user)`` gives a client with a fresh token for that user."""

    def __init__(self) -> None:
        self._clients: dict[int, ApiClient] = {}

    def as_(self, user: Any) -> ApiClient:
        from putright.accounts.tokens import create_token

        if user.pk not in self._clients:
            _, key = create_token(user=user, name=f"tests for {user.username}", created_by=None)
            self._clients[user.pk] = ApiClient(user, key)
        return self._clients[user.pk]

    def anonymous(self) -> ApiClient:
        """A client with no credentials at all."""
        return ApiClient(None, None)

    def with_key(self, key: str) -> ApiClient:
        """A client presenting any Bearer key, e.g. a revoked or made-up one."""
        return ApiClient(None, key)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Staff are made with passwords; a slow hasher would spend seconds per test on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(db) -> Api:
    return Api()


def _staff(username: str, role: str, org, team=None):
    from putright.accounts.models import User

    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        first_name=username.title(),
        last_name="Staff",
        role=role,
        team=team,
    )
    if org is not None:
        user.organisations.add(org)
    return user


@pytest.fixture
def panel_member(org):
    from putright.accounts.models import Role

    return _staff("penny", Role.PANEL_MEMBER, org)


@pytest.fixture
def safeguarding_lead(org):
    from putright.accounts.models import Role

    return _staff("sally", Role.SAFEGUARDING_LEAD, org)


@pytest.fixture
def manager(org):
    from putright.accounts.models import Role

    return _staff("mandy", Role.MANAGER, org)


@pytest.fixture
def administrator(org):
    from putright.accounts.models import Role

    return _staff("adam", Role.ADMINISTRATOR, org)


@pytest.fixture
def other_org(db):
    """A second landlord, outside the Flagship Group, that the fixture users do not belong to."""
    from putright.accounts.models import Organisation, OrganisationKind

    return Organisation.objects.create(  # with a phone and email: its letters print both
        name="Suffolk Housing",
        short_name="SH",
        kind=OrganisationKind.LANDLORD,
        homes=3000,
        phone="0808 157 0003",
        email="complaints@suffolk-housing.example",
    )


@pytest.fixture
def other_org_customer(other_org):
    from putright.cases.services.customers import create_customer

    return create_customer(
        organisation=other_org,
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.org",
        phone="01473 000000",
        postcode="ip1 1aa",
    )


def instant(text: str | None) -> dt.datetime | None:
    """An instant from the API's JSON ("2026-03-02T10:00:00Z" or with an offset), or None."""
    return None if text is None else dt.datetime.fromisoformat(text)
