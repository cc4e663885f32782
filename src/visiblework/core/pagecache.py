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
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections
from django.http import HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from .versioned import VersionedCache, request_scope

MAX_ENTRIES = 512
_pages: VersionedCache[tuple[int, str, bytes]] = VersionedCache("pages", MAX_ENTRIES)
# The version reader of each name given to `cached_pages`, for the WSGI front (below).
_readers: dict[str, Callable[[], Hashable]] = {}


def clear() -> None:
    _pages.clear()
    _front.clear()


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
    _readers[name] = version

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
                response = _http_cache_headers(
                    HttpResponse(content, status=status, content_type=content_type), etag)
                response.vw_cached = (current, etag)
                return response
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming
                    and not response.cookies and not response.has_header("Location")):
                response.render() if hasattr(response, "render") else None
                _pages.put(current, key, (response.status_code, response["Content-Type"],
                                          response.content))
                _http_cache_headers(response, etag)
                response.vw_cached = (current, etag)  # the WSGI front may keep it too
            return response

        return wrapper

    return decorator


# --- The WSGI front ------------------------------------------------------------------------
#
# A page answered from the cache above still went through every middleware (sessions,
# locale, CSRF, security headers…) on the way in and out: most of its cost. The front, around
# the WSGI application, keeps each such answer as sent (status, headers, body) under the raw
# request inputs that decided it: the address and query, the host and scheme, the
# Accept-Language header and the language cookie, and the day. The next request with the same
# inputs is answered before the middleware runs, once the data's version (read as the view
# reads it) is the one the answer was made at. Anything else, or any doubt, goes to Django.

FRONT_MAX_ENTRIES = 512
_Answer = tuple[tuple[str, Hashable], str, str, list[tuple[str, str]], bytes]


class _Front:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: OrderedDict[tuple, _Answer] = OrderedDict()

    def get(self, key: tuple) -> _Answer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: tuple, answer: _Answer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > FRONT_MAX_ENTRIES:
                self._answers.popitem(last=False)

    def drop(self, key: tuple) -> None:
        with self._lock:
            self._answers.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


_front = _Front()


def _front_key(environ: dict[str, Any]) -> tuple | None:
    """The raw inputs that decide a cacheable answer, or None if the request may not be
    answered from the front (not a plain anonymous GET)."""
    if (environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ
            or not settings.VISIBLEWORK_PAGE_CACHE):
        return None
    cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
    if settings.SESSION_COOKIE_NAME in cookies:
        return None
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            environ.get("HTTP_HOST", ""), environ.get("SERVER_NAME", ""),
            environ.get("wsgi.url_scheme", ""), environ.get("HTTP_X_FORWARDED_PROTO", ""),
            environ.get("HTTP_X_FORWARDED_HOST", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
            cookies.get(settings.LANGUAGE_COOKIE_NAME, ""), timezone.now().date())


def _tidy_connections() -> None:
    """What Django does around each request: close connections that are broken or past
    their age (never one inside a transaction, as a test's is)."""
    if not any(c.in_atomic_block for c in connections.all(initialized_only=True)):
        close_old_connections()


def _current(name: str) -> Hashable:
    """The version `name` as the view would read it now (one query), in a scope of its own:
    the front answers before Django's middleware opens the request's."""
    _tidy_connections()
    try:
        with request_scope():
            return (name, _readers[name]())
    finally:
        _tidy_connections()


class PageCacheFront:
    """WSGI middleware in front of Django: see the comment above."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        key = _front_key(environ)
        if key is None:
            return self.application(environ, start_response)
        answer = _front.get(key)
        if answer is not None:
            version, etag, status, headers, body = answer
            try:
                current = _current(version[0])
            except Exception:  # noqa: BLE001 - the database is down or busy: ask Django
                current = None
            if current == version:
                if etag in parse_etags(environ.get("HTTP_IF_NONE_MATCH", "")):
                    start_response("304 Not Modified",
                                   [(k, v) for k, v in headers
                                    if k.lower() in ("etag", "cache-control", "vary")])
                    return [b""]
                start_response(status, headers)
                return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]
            _front.drop(key)
        result = self.application(environ, start_response)
        cached = getattr(result, "vw_cached", None)
        if (cached is not None and isinstance(result, HttpResponse)
                and result.status_code == 200 and environ["REQUEST_METHOD"] == "GET"):
            headers = [*result.items(), *(("Set-Cookie", c.output(header=""))
                                          for c in result.cookies.values())]
            if not result.cookies:
                _front.put(key, (cached[0], cached[1],
                                 f"{result.status_code} {result.reason_phrase}", headers,
                                 result.content))
        return result
