"""Middleware of the ground floor.

Language from the address: `?lang=fr` shows a page in French and remembers the choice in
the language cookie. Pages list these addresses as hreflang alternates, so search engines can
follow every language; people without the parameter get their cookie or Accept-Language.

Sign-in attempts per client address, limited before any password is checked.

NUL characters in the address never reach a view.

A write that found SQLite's write lock taken for longer than its timeout (a long import) is
answered 503 with a message that nothing was saved, not 500.
"""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext

from .ratelimit import allow

LANGUAGES = {code for code, _name in settings.LANGUAGES}
LOGIN_WINDOW = 600  # seconds


class LanguageFromQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang not in LANGUAGES:
            return self.get_response(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600,
                            samesite="Lax", secure=settings.LANGUAGE_COOKIE_SECURE)
        response.headers.setdefault("Content-Language", lang)
        return response


class ApiCsrfMiddleware:
    """API writes that ride a signed-in session cookie need a CSRF token, as the site's forms
    do: otherwise any page on another site could post in a worker's name. Clients without a
    session (scripts, apps) are not affected. Placed after AuthenticationMiddleware."""

    API_PREFIX = "/api/"
    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        if (request.path.startswith(self.API_PREFIX) and request.method not in self.SAFE_METHODS
                and settings.SESSION_COOKIE_NAME in request.COOKIES
                and request.user.is_authenticated):
            self.csrf.process_request(request)
            if self.csrf.process_view(request, _needs_csrf, (), {}) is not None:
                return JsonResponse({"detail": gettext(
                    "A request signed in with a session cookie needs a CSRF token "
                    "(the X-CSRFToken header). Clients without a session need none.")},
                    status=403)
        return self.get_response(request)


def _needs_csrf(request):  # pragma: no cover - never called: CSRF checks need a view
    raise NotImplementedError


class LoginRateLimitMiddleware:
    """At most VISIBLEWORK_LOGIN_RATE_LIMIT sign-in attempts per client address in ten
    minutes, on every sign-in form (VISIBLEWORK_LOGIN_PATHS), counted before any password is
    checked: a storm of attempts from one address costs one cache row each, not an argon2
    hash each. django-axes, behind it, locks a user name out for one address only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.method == "POST" and request.path in settings.VISIBLEWORK_LOGIN_PATHS
                and not allow(request, "login", settings.VISIBLEWORK_LOGIN_RATE_LIMIT,
                              window=LOGIN_WINDOW)):
            return render(request, "429.html", status=429)
        return self.get_response(request)


class NulMiddleware:
    """NUL characters in the address. PostgreSQL refuses NUL in any text, so a search or a
    filter that passed one on would fail with a server error, and no page has a use for one:
    in the query ("?q=%00") they are dropped before any view reads it (a search for "a\\x00b"
    is a search for "ab"); a path with one answers 400. Text in a form or a JSON body is
    checked by its form or schema."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseBadRequest(gettext("The address contains a NUL character."),
                                          content_type="text/plain; charset=utf-8")
        if any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists()):
            cleaned = QueryDict(mutable=True, encoding=request.encoding)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            request.GET = QueryDict(cleaned.urlencode(), encoding=request.encoding)
        return self.get_response(request)


BUSY_RETRY_AFTER = 10  # seconds


class BusyDatabaseMiddleware:
    """SQLite has one write lock. A request that waited for it longer than the database's
    timeout (while an import or a backup held it) fails with "database is locked"; its
    transaction rolled back, so nothing it sent was stored. It is answered 503 with
    Retry-After and says so (in JSON under /api/), rather than as a server error. Other
    database errors stay server errors."""

    API_PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and _locked(exception)):
            return None
        message = gettext("The database is busy with other changes (an import, say). Nothing "
                          "you sent was saved: please send it again in a few seconds.")
        if request.path.startswith(self.API_PREFIX):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response


def _locked(exception: OperationalError) -> bool:
    """SQLite's own messages for a lock it could not take in time."""
    text = str(exception)
    return text.startswith(("database is locked", "database table is locked"))
