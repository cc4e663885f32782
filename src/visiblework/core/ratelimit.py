"""Per-client rate limits that store no client address: the key is a keyed hash (HMAC with
the secret key) of the address and the time window, kept in the cache for one window."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _client_key(request: HttpRequest, scope: str, window: int) -> str:
    address = request.META.get("REMOTE_ADDR", "")  # used only inside the hash below
    bucket = int(time.time() // window)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{scope}|{address}|{bucket}".encode(),
                      hashlib.sha256).hexdigest()[:40]
    return f"rl:{scope}:{digest}"


def allow(request: HttpRequest, scope: str, limit: int, window: int = 3600) -> bool:
    """Count one request against `limit` per `window` seconds; False once over the limit."""
    if not settings.VISIBLEWORK_RATE_LIMITS:
        return True
    key = _client_key(request, scope, window)
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
