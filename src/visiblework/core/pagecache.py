"""Whole pages, and API answers, kept per process for as long as the data they show does not
change (core/versioned.py).

Only for anonymous GET requests without a session or credentials (so no messages, no
personal content, no CSRF token in the page), keyed by the data's version, the active
language, the day (citations carry the date), the host (API answers hold absolute links) and
the full path. Bounded in entries. An app makes its own decorator with the version its pages
depend on: `catalogue_page = cached_pages("catalogue", current_version)` (cases/pages.py)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .versioned import VersionedCache

MAX_ENTRIES = 512
_pages: VersionedCache[tuple[int, str, bytes]] = VersionedCache("pages", MAX_ENTRIES)


def clear() -> None:
    _pages.clear()


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
            hit = _pages.peek(current, key)
            if isinstance(hit, tuple):
                status, content_type, content = hit
                return HttpResponse(content, status=status, content_type=content_type)
            response = view(request, *args, **kwargs)
            if (response.status_code == 200 and not response.streaming
                    and not response.cookies and not response.has_header("Location")):
                response.render() if hasattr(response, "render") else None
                _pages.put(current, key, (response.status_code, response["Content-Type"],
                                          response.content))
            return response

        return wrapper

    return decorator
