"""Whole pages, and API answers, kept per process for as long as the data they show does not
change (core/versioned.py).

Only for anonymous GET requests without a session or credentials (so no messages, no
personal content, no CSRF token in the page), keyed by the data's version, the active
language, the day (citations carry the date), the host (API answers hold absolute links) and
the full path. Bounded in entries. An app makes its own decorator with the version its pages
depend on: `catalogue_page = cached_pages("catalogue", current_version)` (cases/pages.py).

The same key names the page for HTTP caches: every such answer carries an `ETag` made from
it (so it changes when the data, the language, the day or the address does), `Cache-Control:
public` with `max-age=0, must-revalidate` (plus `s-maxage` when
VISIBLEWORK_SHARED_CACHE_SECONDS is set) and `Vary: Cookie, Accept-Language`; a request whose
`If-None-Match` holds the current tag gets a 304 without the page being built or read.
docs/operations.md shows a shared cache in front that uses this."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from .versioned import VersionedCache

MAX_ENTRIES = 512
_pages: VersionedCache[tuple[int, str, bytes]] = VersionedCache("pages", MAX_ENTRIES)


def clear() -> None:
    _pages.clear()


def _etag(current: Hashable, key: Hashable) -> str:
    digest = hashlib.blake2b(repr((current, key)).encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'


def _http_cache_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    shared = settings.VISIBLEWORK_SHARED_CACHE_SECONDS
    if shared:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True,
                            s_maxage=shared)
    else:
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def cached_pages(name: str, version: Callable[[], Hashable]):
    """A view decorator: pages kept until `version()` changes (`name` tells versions apart)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (request.method not in ("GET", "HEAD")
                    or settings.SESSION_COOKIE_NAME in request.COOKIES
                    or "HTTP_AUTHORIZATION" in request.META
                    or not settings.VISIBLEWORK_PAGE_CACHE):
                return view(request, *args, **kwargs)
            current = (name, version())
            key = (get_language(), timezone.now().date(), request.get_host(),
                   request.get_full_path())
            etag = _etag(current, key)
            if etag in parse_etags(request.headers.get("If-None-Match", "")):
                return _http_cache_headers(HttpResponseNotModified(), etag)
            hit = _pages.peek(current, key)
            if isinstance(hit, tuple):
                status, content_type, content = hit
                return _http_cache_headers(
                    HttpResponse(content, status=status, content_type=content_type), etag)
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming
                    and not response.cookies and not response.has_header("Location")):
                response.render() if hasattr(response, "render") else None
                _pages.put(current, key, (response.status_code, response["Content-Type"],
                                          response.content))
                _http_cache_headers(response, etag)
            return response

        return wrapper

    return decorator
