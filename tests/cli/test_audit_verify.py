"""issue 15, audit: ``putright audit verify [REFERENCE]`` names each case's first broken link."""

# ruff: noqa: F811

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from putright.cases.models import TimelineEvent
from putright.cases.selectors.chain import UNKEYED
from tests.cases.conftest import journey  # noqa: F401 (fixture)
from tests.cases.test_audit_chain import rewrite


def audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_every_chain_holds(journey):
    journey.until("contacted")
    journey.until("accepted")
    events = TimelineEvent.objects.count()
    assert audit() == f"OK: 2 case(s), {events} events, every chain holds.\n{UNKEYED}\n"


def test_with_a_key_the_heads_signatures_are_checked_and_said_so(journey, settings):
    settings.PUTRIGHT_AUDIT_KEY = "a secret from the environment"
    journey.until("contacted")
    events = TimelineEvent.objects.count()
    assert audit() == (
        f"OK: 1 case(s), {events} events, every chain holds.\n"
        "The chain heads' signatures hold (PUTRIGHT_AUDIT_KEY).\n"
    )


def test_one_case_by_reference(journey):
    complaint = journey.until("accepted")
    journey.until("contacted")
    assert audit(complaint.reference).startswith("OK: 1 case(s)")


def test_a_tampered_case_is_named_with_its_event_and_the_command_fails(journey):
    good = journey.until("contacted")
    bad = journey.until("contacted")
    third = TimelineEvent.objects.filter(complaint=bad).order_by("pk")[2]
    rewrite(third, actor_label="Someone else")
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 of 2 case\(s\) have a broken chain"):
        call_command("audit", "verify", stdout=out)
    assert out.getvalue() == (
        f"BROKEN {bad.reference}: event 3 (id {third.pk}): link broken; "
        f"expected {_expected(third.pk)}, found {third.hash}\n"
        f"{UNKEYED}\n"
    )
    assert audit(good.reference).startswith("OK: 1 case(s)")


def _expected(pk: int) -> str:
    from putright.cases.models.timeline import content_of
    from putright.procedure import chain

    event = TimelineEvent.objects.get(pk=pk)
    previous = TimelineEvent.objects.filter(complaint_id=event.complaint_id, pk__lt=pk).order_by("-pk")[0]
    return chain.event_hash(previous.hash, content_of(event, event.text_digest))


def test_an_unknown_reference_is_refused_naming_it(db):
    with pytest.raises(CommandError, match="No complaint has the reference 'NOPE-1'"):
        audit("NOPE-1")


# issue 15, chainhead: ``putright audit sign``, once, after the key is set on a system with cases


def test_setting_the_key_later_then_signing_makes_the_old_heads_hold(journey, settings):
    old = journey.until("contacted")
    bad = journey.until("contacted")
    settings.PUTRIGHT_AUDIT_KEY = "a secret set later"
    out = StringIO()
    with pytest.raises(CommandError, match=r"2 of 2 case\(s\) have a broken chain"):
        call_command("audit", "verify", stdout=out)
    assert out.getvalue().count("head signature does not match") == 2
    third = TimelineEvent.objects.filter(complaint=bad).order_by("pk")[2]
    rewrite(third, actor_label="Someone else")
    out = StringIO()
    with pytest.raises(CommandError, match=r"1 case\(s\) have a broken chain and were not signed"):
        call_command("audit", "sign", stdout=out)
    assert out.getvalue().startswith(f"BROKEN {bad.reference}: event 3 (id {third.pk}): link broken")
    assert out.getvalue().endswith("Signed 1 head(s); 1 of 2 case(s) hold.\n")
    assert audit(old.reference).startswith("OK: 1 case(s)")


def test_signing_without_a_key_is_refused_and_changes_nothing(journey):
    from putright.cases.models import ChainHead

    journey.until("accepted")
    with pytest.raises(CommandError, match="PUTRIGHT_AUDIT_KEY is not set"):
        call_command("audit", "sign", stdout=StringIO())
    assert set(ChainHead.objects.values_list("signature", flat=True)) == {""}
