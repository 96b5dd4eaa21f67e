"""Who a rate limit counts: the visitor behind a proxy, and an IPv6 household as one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.portal import limits
from putright.portal.models import RateEvent

pytestmark = pytest.mark.django_db

AN_HOUR = limits.Limit("test:address", 2)


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return limits.client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = []
    assert _address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_one_proxy_the_visitor_is_the_last_forwarded_address(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # A visitor may write anything on the left; the proxy appends the address it saw.
    assert _address("10.0.0.2", "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert _address("10.0.0.2", "203.0.113.9") == "203.0.113.9"


def test_behind_two_proxies_the_visitor_is_the_first_untrusted_from_the_right(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _address("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.0.0.1") == "203.0.113.9"


def test_behind_a_proxy_without_the_header_the_remote_address_counts(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert _address("203.0.113.9") == "203.0.113.9"
    assert _address("203.0.113.9", "") == "203.0.113.9"
    assert _address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_an_ipv6_visitor_is_counted_by_their_64_block(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = []
    one = _address("2001:db8:1:2::1")
    other = _address("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert one == other == "2001:db8:1:2::/64"
    assert _address("2001:db8:1:3::1") != one


def test_rotating_ipv6_addresses_in_one_block_does_not_escape_a_limit(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = []
    limits.count(AN_HOUR, _address("2001:db8::1"))
    limits.count(AN_HOUR, _address("2001:db8::2"))
    with pytest.raises(limits.RateLimited):
        limits.count(AN_HOUR, _address("2001:db8::3"))
    limits.count(AN_HOUR, _address("2001:db8:0:1::1"))  # another household


A_DAY = limits.Limit("test:email", 1, dt.timedelta(days=1))


def test_several_limits_are_counted_together_in_one_read_and_one_write():
    now = timezone.now()
    with CaptureQueriesContext(connection) as captured:
        limits.count_each([(AN_HOUR, "192.0.2.1"), (A_DAY, "ada@example.org")], now=now)
    reads_and_writes = [q["sql"] for q in captured if q["sql"].split()[0] in {"SELECT", "INSERT"}]
    assert len(reads_and_writes) == 2
    assert RateEvent.objects.count() == 2


def test_when_one_of_several_limits_is_used_up_none_is_counted_and_its_own_time_is_given():
    now = timezone.now()
    limits.count_each([(AN_HOUR, "192.0.2.1"), (A_DAY, "ada@example.org")], now=now)
    later = now + dt.timedelta(minutes=5)
    with pytest.raises(limits.RateLimited) as limited, transaction.atomic():
        limits.count_each([(AN_HOUR, "192.0.2.1"), (A_DAY, "ADA@example.org ")], now=later)
    assert limited.value.retry_at == now + dt.timedelta(days=1)  # the email's limit, a day after its one send
    assert RateEvent.objects.count() == 2  # nothing more counted
    # The same counts as one at a time: the address may send once more within its hour.
    limits.count_each([(AN_HOUR, "192.0.2.1")], now=later)
    with pytest.raises(limits.RateLimited) as limited:
        limits.count(AN_HOUR, "192.0.2.1", now=later)
    assert limited.value.retry_at == now + dt.timedelta(hours=1)


def test_attempts_older_than_a_limits_window_do_not_count():
    long_ago = timezone.now() - dt.timedelta(hours=2)
    limits.count_each([(AN_HOUR, "192.0.2.1"), (AN_HOUR, "192.0.2.1")], now=long_ago)
    limits.count_each([(AN_HOUR, "192.0.2.1"), (A_DAY, "ada@example.org")])
