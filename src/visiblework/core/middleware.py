"""Language from the address: `?lang=fr` shows a page in French and remembers the choice in
the language cookie. Pages list these addresses as hreflang alternates, so search engines can
follow every language; people without the parameter get their cookie or Accept-Language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

LANGUAGES = {code for code, _name in settings.LANGUAGES}


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
