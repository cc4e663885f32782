"""Country codes and names: ISO 3166 from pycountry, names in the reader's language from
Babel (CLDR)."""

from __future__ import annotations

import unicodedata
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


# --- Countries by name (a form where people type names, not codes) ----------------------------


def _key(name: str) -> str:
    """A name as compared: any case, without accents, dots or extra spaces ("Côte d'Ivoire",
    "cote d’ivoire")."""
    decomposed = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(plain.replace(".", " ").split())


@lru_cache(maxsize=16)
def _codes_by_name(language: str) -> dict[str, str]:
    """Every name we know a country by -> its code: CLDR's in `language` and in English, and
    ISO 3166's names (official and common)."""
    found: dict[str, str] = {}
    for code in sorted(_codes()):
        country = pycountry.countries.get(alpha_2=code)
        names = [country_name(code, "en"), country_name(code, language)]
        if country is not None:
            names += [getattr(country, attr, "") for attr in ("name", "official_name",
                                                              "common_name")]
        for name in names:
            if name and name != code:
                found.setdefault(_key(name), code)
    return found


def code_for_name(text: str, language: str | None = None) -> str | None:
    """The code of the country named `text` (in `language`, default the active one, or in
    English; a two-letter code is taken too), or None."""
    text = text.strip()
    if len(text) == 2 and is_country_code(text):
        return text.upper()
    return _codes_by_name(language or get_language() or "en").get(_key(text))


def countries_by_name(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name in `language`) for every country, in the order of their names."""
    language = language or get_language() or "en"
    return sorted(((code, country_name(code, language)) for code in _codes()),
                  key=lambda item: _key(item[1]))
