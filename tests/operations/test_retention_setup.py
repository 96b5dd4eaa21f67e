"""issue 15, retention: the landlord file's [retention] table, applied and refused by line and field."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from putright.cases.models import RetentionPeriod
from putright.cases.services import retention
from tests.operations.test_setup import landlord_file, setup  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

T = retention.RecordType


def periods() -> dict[str, int]:
    return dict(RetentionPeriod.objects.values_list("record_type", "amount"))


def show() -> str:
    out = io.StringIO()
    call_command("retention", "--show", stdout=out)
    return out.getvalue()


def test_the_defaults_are_in_force_until_the_file_changes_one(landlord_file):  # noqa: F811
    assert periods() == {"complaints": 6, "drafts": 30, "rate_limit_attempts": 2, "email_attachments": 30}
    assert "complaints: 6 years after the complaint closed" in show() and "(the default)" in show()
    text = landlord_file.read_text()
    landlord_file.write_text(
        text.replace("complaint_years = 6", "complaint_years = 7").replace(
            "draft_days = 30", "draft_days = 14"
        )
    )
    said = setup(landlord_file)
    assert "retention of complaints set to 7 years" in said and "retention of drafts set to 14 days" in said
    assert periods() == {"complaints": 7, "drafts": 14, "rate_limit_attempts": 2, "email_attachments": 30}
    assert retention.period(T.COMPLAINTS).amount == 7
    assert "complaints: 7 years after the complaint closed" in show()
    assert "set by the landlord; default 6 years" in show()
    assert "retention" not in setup(landlord_file)  # a second run changes nothing


def test_a_period_below_its_floor_or_of_the_wrong_type_is_refused_by_line_and_nothing_changes(landlord_file):  # noqa: F811
    text = landlord_file.read_text()
    bad = (
        text.replace("complaint_years = 6", "complaint_years = 0")
        .replace("rate_limit_days = 2", 'rate_limit_days = "two"')
        .replace("draft_days = 30", "draft_days = 30\nkeep_forever = true")
    )
    landlord_file.write_text(bad)
    lines = bad.splitlines()

    def line_of(start: str) -> int:
        return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))

    with pytest.raises(CommandError) as refused:
        setup(landlord_file)
    message = str(refused.value)
    reported = re.findall(r"^  line (\d+), (retention\.[a-z_]+): (.*)$", message, flags=re.MULTILINE)
    assert [(int(n), where) for n, where, _ in reported] == [
        (line_of("complaint_years"), "retention.complaint_years"),
        (line_of("keep_forever"), "retention.keep_forever"),
        (line_of("rate_limit_days"), "retention.rate_limit_days"),
    ]
    assert "must be at least 1 year" in reported[0][2] and "(found 0)" in reported[0][2]
    assert periods()["complaints"] == 6  # nothing was changed


def test_the_service_refuses_a_period_below_its_floor():
    with pytest.raises(ValueError, match="complaint_years must be at least 1 year"):
        retention.set_period(T.COMPLAINTS, 0)
    with pytest.raises(ValueError, match="rate_limit_days must be at least 1 day"):
        retention.set_period(T.RATE_LIMIT_ATTEMPTS, 0)
    assert periods()["complaints"] == 6
