"""The client address: REMOTE_ADDR, or the Nth entry from the right of X-Forwarded-For behind
N trusted proxies; and the peppered hash django-axes sees instead of it."""

from django.test import RequestFactory

from visiblework.core.clients import client_address, hashed_client_address

PROXY = "10.0.0.1"


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 0
    assert client_address(_request("198.51.100.1")) == PROXY


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 1
    assert client_address(_request("198.51.100.1")) == "198.51.100.1"
    assert client_address(_request("198.51.100.2")) == "198.51.100.2"


def test_a_spoofed_left_most_entry_changes_nothing(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 1
    assert client_address(_request("203.0.113.66, 198.51.100.1")) == "198.51.100.1"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 2
    assert client_address(_request("6.6.6.6, 198.51.100.1, 192.0.2.8")) == "198.51.100.1"


def test_a_request_that_bypassed_the_proxies_falls_back_to_remote_addr(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 2
    assert client_address(_request("198.51.100.1", remote="192.0.2.50")) == "192.0.2.50"
    assert client_address(_request(None, remote="192.0.2.50")) == "192.0.2.50"


def test_an_ipv6_client_stands_for_its_64_network(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 0
    one = client_address(_request(remote="2001:db8:1:2::a"))
    other = client_address(_request(remote="2001:db8:1:2:ffff::b"))
    assert one == other == "2001:db8:1:2::/64"
    assert client_address(_request(remote="::ffff:198.51.100.1")) == "198.51.100.1"


def test_axes_sees_a_peppered_hash_not_the_address(settings, tmp_path):
    settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = tmp_path
    seen = hashed_client_address(_request(remote="198.51.100.1"))
    assert "198.51.100.1" not in seen and len(seen) == 40
    assert seen != hashed_client_address(_request(remote="198.51.100.2"))
