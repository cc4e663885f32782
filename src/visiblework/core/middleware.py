"""Middleware of the ground floor.

Language from the address: `?lang=fr` shows a page in French and remembers the choice in
the language cookie. Pages list these addresses as hreflang alternates, so search engines can
follow every language; people without the parameter get their cookie or Accept-Language.

Sign-in attempts per client address, limited before any password is checked.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

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
