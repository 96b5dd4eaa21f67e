"""Who a rate limit counts: the visitor behind a proxy, and an IPv6 household as one."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from putright.portal import limits

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
