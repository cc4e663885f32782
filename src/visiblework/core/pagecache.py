"""A small per-process cache of whole pages, and of API answers, that change only when the
case catalogue does.

Only for anonymous GET requests without a session or credentials (so no messages, no
personal content, no CSRF token in the page), keyed by the catalogue version (bumped by every
write), the active language, the day (citations carry the date), the host (API answers hold
absolute links) and the full path. Bounded in entries."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

MAX_ENTRIES = 512
_lock = threading.Lock()
_pages: OrderedDict[tuple, tuple[int, str, bytes]] = OrderedDict()


def clear() -> None:
    with _lock:
        _pages.clear()


def catalogue_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if (request.method not in ("GET", "HEAD")
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "HTTP_AUTHORIZATION" in request.META
                or not settings.VISIBLEWORK_PAGE_CACHE):
            return view(request, *args, **kwargs)
        from visiblework.cases.facets import current_version

        key = (current_version(), get_language(), timezone.now().date(), request.get_host(),
               request.get_full_path())
        with _lock:
            hit = _pages.get(key)
            if hit is not None:
                _pages.move_to_end(key)
        if hit is not None:
            status, content_type, content = hit
            return HttpResponse(content, status=status, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming
                and not response.cookies and not response.has_header("Location")):
            response.render() if hasattr(response, "render") else None
            with _lock:
                _pages[key] = (response.status_code, response["Content-Type"], response.content)
                while len(_pages) > MAX_ENTRIES:
                    _pages.popitem(last=False)
        return response

    return wrapper
