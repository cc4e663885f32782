"""Country codes and names: ISO 3166 from pycountry, names in the reader's language from
Babel (CLDR)."""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

# Codes in use that ISO 3166 has not assigned: Kosovo's XK (user-assigned; used by the
# European Commission, the World Bank and CLDR, which names it in every language).
EXTRA_CODES = frozenset({"XK"})


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | EXTRA_CODES


def is_country_code(code: str) -> bool:
    return isinstance(code, str) and code.upper() in _codes()


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language.replace("-", "_")).territories)
    except (UnknownLocaleError, ValueError):
        return dict(Locale("en").territories)


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (default: the active language), else the code."""
    code = code.upper()
    names = _territories(language or get_language() or "en")
    if code in names:
        return names[code]
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code
