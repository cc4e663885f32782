"""Per-client rate limits that store no client address.

A count lives in the cache (the database cache table, shared by every server process) under
`rl:<scope>:<HMAC(pepper, scope|address|window)>`, for one window. The pepper changes every
UTC day and is never stored in the database (core/pepper.py), so a row names nobody once the
day is over. Django's database cache keeps expired rows until it culls; `allow` deletes them
at most once a minute per process.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from .clients import client_address, peppered

PURGE_EVERY = 60.0  # seconds between purges of expired cache rows, per process
_last_purge = 0.0


def _client_key(request: HttpRequest, scope: str, window: int, bucket: int | None = None) -> str:
    if bucket is None:
        bucket = int(time.time() // window)
    digest = peppered(f"{scope}|{client_address(request)}|{bucket}")[:40]
    return f"rl:{scope}:{digest}"


def allow(request: HttpRequest, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one request against `limit` per `window` seconds; False once over the limit.

    The count lives until its window ends. (Not through `cache.incr`: the database cache's
    incr writes the value again with the default timeout, 10 minutes, which turned an hour's
    limit into "within 10 minutes of the last request".)"""
    if not settings.VISIBLEWORK_RATE_LIMITS:
        return True
    _purge_now_and_then()
    now = time.time()
    bucket = int(now // window)
    key = _client_key(request, scope, window, bucket)
    left = max(int((bucket + 1) * window - now), 1)  # seconds until the window ends
    if cache.add(key, 1, timeout=left):
        return limit >= 1
    count = (cache.get(key) or 0) + 1  # two processes at once may count one request less
    cache.set(key, count, timeout=left)
    return count <= limit


def _purge_now_and_then() -> None:
    global _last_purge
    now = time.monotonic()
    if now - _last_purge < PURGE_EVERY:
        return
    _last_purge = now
    purge_expired()


def purge_expired() -> int:
    """Delete the cache table's expired rows (rate limits and login lockouts); returns how
    many. Does nothing when the default cache is not a database cache."""
    backend = caches["default"]
    if not isinstance(backend, BaseDatabaseCache):
        return 0
    alias = router.db_for_write(backend.cache_model_class)
    connection = connections[alias]
    table = connection.ops.quote_name(backend._table)
    now = timezone.now().replace(microsecond=0)
    # In a transaction, as the cache's own writes are: on SQLite it queues on the write lock.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608
                       [connection.ops.adapt_datetimefield_value(now)])
        return max(cursor.rowcount, 0)
