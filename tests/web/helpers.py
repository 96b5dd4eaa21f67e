"""Plain helpers the workspace tests share: making staff, and reading a page as its reader does."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from putright.accounts.models import Organisation, Team, User
from putright.cases.models import Complaint
from putright.cases.services import evidence, investigation, responses
from tests.cases.helpers import at, day

PASSWORD = "correct-horse-battery"


def make_user(
    username: str, role: str, org: Organisation | None = None, team: Team | None = None, job_title: str = ""
) -> User:
    """A member of staff with the fixtures' password, in ``org`` (if given)."""
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=username.title(),
        last_name="Staff",
        role=role,
        team=team,
        job_title=job_title,
    )
    if org is not None:
        user.organisations.add(org)
    return user


def grow(complaint: Complaint, officer: User, count: int) -> None:
    """Add ``count`` each of contacts, actions, evidence files and requests (and so timeline
    events) to a case at stage 1: for checking that a page reads as many queries at any size."""
    with at("Tue 2026-03-17 09:00"):
        for n in range(count):
            investigation.record_contact(complaint, method="phone", summary=f"Call {n}", actor=officer)
            responses.add_action(
                complaint, description=f"Action {n}", due_on=day("Fri 2026-04-10"), actor=officer
            )
            evidence.attach(complaint, name=f"note{n}.txt", content=b"words", actor=officer)
            investigation.request_evidence(complaint, description=f"Photo {n}", actor=officer)


def text(page: Any, *, main_only: bool = False) -> str:
    """What a reader sees of a page (a response or its HTML): the words, without markup,
    entities read and spaces collapsed. ``main_only``: the main content, without the header."""
    html = page if isinstance(page, str) else page.content.decode()
    if main_only:
        html = html.split('id="main-content"', 1)[1]
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
