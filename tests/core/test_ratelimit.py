"""Rate limits: one bucket per client (behind trusted proxies too), keyed with the day's
pepper so that no stored row holds the address or a hash of it that could be reversed, and
expired rows purged."""

import datetime
import hashlib
import hmac
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from visiblework.core import pepper, ratelimit
from visiblework.core.ratelimit import allow

PROXY = "10.0.0.1"
CLIENT = "198.51.100.41"


@pytest.fixture(autouse=True)
def own_pepper(db, settings, tmp_path):
    settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = tmp_path / "pepper"
    settings.VISIBLEWORK_RATE_LIMITS = True
    pepper.forget()
    # The cache's table is not a model's: a test that commits (a browser test posting a
    # report) leaves its counts there, as the flush after it empties only the models' tables.
    cache.clear()
    yield
    pepper.forget()


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


def _rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value, expires FROM visiblework_cache")
        return cursor.fetchall()


@pytest.mark.django_db
def test_two_clients_behind_one_proxy_get_separate_buckets(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 1
    assert allow(_request("198.51.100.1"), "t", 1)
    assert not allow(_request("198.51.100.1"), "t", 1)
    assert allow(_request("198.51.100.2"), "t", 1)


@pytest.mark.django_db
def test_a_spoofed_left_most_entry_does_not_open_a_new_bucket(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 1
    assert allow(_request("198.51.100.1"), "t", 1)
    assert not allow(_request("203.0.113.7, 198.51.100.1"), "t", 1)


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_does_not_open_a_new_bucket(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 0
    assert allow(_request("198.51.100.1"), "t", 1)
    assert not allow(_request("198.51.100.2"), "t", 1)


@pytest.mark.django_db
def test_the_stored_key_changes_when_the_pepper_rotates(monkeypatch):
    monkeypatch.setattr(pepper, "today", lambda: "2026-03-01")
    allow(_request(remote=CLIENT), "t", 5)
    monkeypatch.setattr(pepper, "today", lambda: "2026-03-02")
    allow(_request(remote=CLIENT), "t", 5)
    keys = [row[0] for row in _rows()]
    assert len(keys) == 2 and keys[0] != keys[1]


@pytest.mark.django_db
def test_no_stored_row_holds_the_address_or_a_hash_of_it_without_the_pepper(settings):
    settings.VISIBLEWORK_TRUSTED_PROXIES = 1
    allow(_request(CLIENT), "report", 5)
    stored = " ".join(str(value) for row in _rows() for value in row)
    bucket = int(time.time() // 3600)
    unpeppered = [
        hmac.new(django_settings.SECRET_KEY.encode(), f"report|{CLIENT}|{bucket}".encode(),
                 hashlib.sha256).hexdigest()[:40],
        hashlib.sha256(CLIENT.encode()).hexdigest()[:40],
        hashlib.sha256(f"report|{CLIENT}|{bucket}".encode()).hexdigest()[:40],
    ]
    assert "rl:report:" in stored
    assert CLIENT not in stored and PROXY not in stored
    assert not any(digest in stored for digest in unpeppered)


@pytest.mark.django_db
def test_expired_rows_are_purged_at_most_once_a_minute(monkeypatch):
    an_hour_ago = (timezone.now() - datetime.timedelta(hours=1)).replace(microsecond=0)
    cache.set("rl:old:x", 1, timeout=1)
    cache.set("axes-old", 1, timeout=1)
    cache.set("rl:fresh:x", 1, timeout=600)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE visiblework_cache SET expires = %s WHERE cache_key LIKE %s",
                       [connection.ops.adapt_datetimefield_value(an_hour_ago), "%old%"])
    monkeypatch.setattr(ratelimit, "_last_purge", 0.0)
    allow(_request(remote=CLIENT), "t", 5)
    keys = {row[0] for row in _rows()}
    assert not any("old" in key for key in keys)
    assert any("rl:fresh:x" in key for key in keys)

    calls = []
    monkeypatch.setattr(ratelimit, "purge_expired", lambda: calls.append(1) or 0)
    allow(_request(remote=CLIENT), "t", 5)
    assert calls == []  # not again within the minute
    monkeypatch.setattr(ratelimit, "_last_purge", time.monotonic() - 61)
    allow(_request(remote=CLIENT), "t", 5)
    assert calls == [1]



@pytest.mark.django_db
def test_a_count_lives_until_its_window_ends_not_the_caches_default_timeout(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.9")
    window = 10**8  # years: the window's end is never within the test's reach
    for _ in range(3):
        ratelimit.allow(request, "expiry-probe", 10, window=window)
    key = ratelimit._client_key(request, "expiry-probe", window)
    assert cache.get(key) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM visiblework_cache WHERE cache_key = %s", [f":1:{key}"])
        expires = cursor.fetchone()[0]
    if isinstance(expires, str):
        expires = datetime.datetime.fromisoformat(expires)
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=datetime.UTC)
    left = (expires - datetime.datetime.now(datetime.UTC)).total_seconds()
    assert left > settings.CACHES["default"]["TIMEOUT"]  # not the default 600 s
