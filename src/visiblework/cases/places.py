"""Places as people write them in a spreadsheet's country column, read as ISO 3166 codes and
region terms. The single home of the country-name table: importers use it.

What is read, in this order (a name is compared without accents, capitals, dots or
punctuation, and without a leading "the"):

1. Region-level values: areas wider than a country. Where UNSD's developed / developing
   grouping (refdata/regions.py) puts every country of the area on the same side, the value
   gives that term of the built-in `region` taxonomy ("Europe", "EU" → Global North; "Africa",
   "Latin America", "South Asia" → Global South). "Global" and "Worldwide" give both. Areas
   split between the two ("Asia", "Middle East", "Oceania") and "Multiple" / "Various" give
   no term and no country; they are recognised, so they are not reported as unknown.
2. Countries: ISO codes (KE, KEN), names and common names (pycountry), CLDR's names in the
   site's languages (Babel: "Kenia", "Allemagne", "Türkiye", "Côte d'Ivoire"), and the short
   table of ALIASES below (UK, USA, UAE, Rep Ireland, Bosnia, Macedonia, Ivory Coast...).
3. Sub-national places of a few countries whose parts people name on their own (US states,
   Canadian provinces, Australian states, Indian states and the UK's nations): the country.

Nothing is guessed beyond these tables: anything else is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from babel import Locale

from visiblework.core.countries import EXTRA_CODES, is_country_code
from visiblework.refdata.regions import NORTH, SOUTH

LANGUAGES = ("en", "fr", "es", "sw", "ar", "pt", "de")  # CLDR names read for countries and areas
BOTH = (NORTH, SOUTH)

# Names pycountry and CLDR do not give, by the key they are compared by (see key()).
ALIASES = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US",
    "uae": "AE", "u a e": "AE", "emirates": "AE",
    "rep ireland": "IE", "republic of ireland": "IE", "rep of ireland": "IE", "eire": "IE",
    "kosovo": "XK", "brunei": "BN", "bosnia": "BA", "bosnia herzegovina": "BA",
    "macedonia": "MK", "fyrom": "MK", "north macedonia": "MK",
    "turkey": "TR", "turkiye": "TR", "ivory coast": "CI", "cote divoire": "CI",
    "south korea": "KR", "korea south": "KR", "republic of korea": "KR", "s korea": "KR",
    "north korea": "KP", "korea north": "KP",
    "russia": "RU", "iran": "IR", "syria": "SY", "vietnam": "VN", "viet nam": "VN", "laos": "LA",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "taiwan": "TW", "moldova": "MD",
    "czech republic": "CZ", "czechia": "CZ", "palestine": "PS", "holland": "NL",
    "the netherlands": "NL", "drc": "CD", "dr congo": "CD", "dr of congo": "CD",
    "democratic republic of the congo": "CD", "congo kinshasa": "CD",
    "republic of the congo": "CG", "congo brazzaville": "CG",
    "swaziland": "SZ", "eswatini": "SZ", "burma": "MM", "east timor": "TL", "cape verde": "CV",
    "vatican": "VA", "vatican city": "VA", "hong kong": "HK", "macau": "MO", "macao": "MO",
    "micronesia": "FM", "st lucia": "LC", "st kitts and nevis": "KN",
    "st vincent and the grenadines": "VC", "sao tome": "ST", "gambia": "GM",
    "bahamas": "BS", "philippines": "PH", "kyrgyzstan": "KG", "slovakia": "SK",
    "washington dc": "US", "washington d c": "US", "district of columbia": "US",
}

# Areas (CLDR's M49 codes give their names in every language) → region terms.
AREAS = {
    "001": BOTH,  # the world
    "150": (NORTH,), "151": (NORTH,), "154": (NORTH,), "155": (NORTH,), "039": (NORTH,),
    "021": (NORTH,), "053": (NORTH,), "EU": (NORTH,), "EZ": (NORTH,),
    "002": (SOUTH,), "011": (SOUTH,), "014": (SOUTH,), "015": (SOUTH,), "017": (SOUTH,),
    "018": (SOUTH,), "202": (SOUTH,), "419": (SOUTH,), "005": (SOUTH,), "013": (SOUTH,),
    "029": (SOUTH,), "034": (SOUTH,), "035": (SOUTH,), "143": (SOUTH,), "054": (SOUTH,),
    "057": (SOUTH,), "061": (SOUTH,),
    # split between the two: recognised, no term
    "142": (), "145": (), "030": (), "009": (), "019": (), "003": (), "UN": (),
}
AREA_ALIASES: dict[str, tuple[str, ...]] = {
    "global": BOTH, "worldwide": BOTH, "world wide": BOTH, "globally": BOTH,
    "all countries": BOTH, "global north and south": BOTH,
    "global north": (NORTH,), "developed countries": (NORTH,), "europe wide": (NORTH,),
    "scandinavia": (NORTH,), "nordics": (NORTH,), "nordic countries": (NORTH,),
    "european union": (NORTH,), "eu": (NORTH,), "e u": (NORTH,),
    "global south": (SOUTH,), "developing countries": (SOUTH,), "latam": (SOUTH,),
    "latin america and the caribbean": (SOUTH,), "south east asia": (SOUTH,),
    "southeast asia": (SOUTH,), "sub saharan africa": (SOUTH,), "west africa": (SOUTH,),
    "east africa": (SOUTH,), "north africa": (SOUTH,), "central africa": (SOUTH,),
    "south asia": (SOUTH,),
    "multiple": (), "multiple countries": (), "various": (), "various countries": (),
    "several": (), "several countries": (), "international": (), "multinational": (),
    "middle east": (), "mena": (), "apac": (), "asia pacific": (), "emea": (),
}
SUBDIVISIONS = {"US": ("State", "District"), "CA": ("Province", "Territory"),
                "AU": ("State", "Territory"), "IN": ("State", "Union territory")}


@dataclass(frozen=True)
class Place:
    """What one value names: countries (ISO codes), region terms, and whether it is an area
    wider than a country (region-level: no country of its own)."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    area: bool = False


_PUNCTUATION = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")
_LIST = re.compile(r"\s*(?:[,/&|+]|\band\b)\s*", re.IGNORECASE)


def key(name: str) -> str:
    """The comparison key of a place name: "Côte d'Ivoire" → "cote divoire"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    words = _PUNCTUATION.sub(" ", text).replace("_", " ").split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    names: dict[str, str] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            names.setdefault(key(name), code)

    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            add(getattr(country, attribute, None), country.alpha_2)
    for language in LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and is_country_code(code):
                add(name, code)
    for code in EXTRA_CODES:
        add(code, code)
    names.update(ALIASES)
    return names


@lru_cache(maxsize=1)
def _areas() -> dict[str, tuple[str, ...]]:
    areas: dict[str, tuple[str, ...]] = {}
    for language in LANGUAGES:
        territories = Locale.parse(language).territories
        for code, regions in AREAS.items():
            if territories.get(code):
                areas.setdefault(key(territories[code]), regions)
    areas.update(AREA_ALIASES)
    return areas


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for country, kinds in SUBDIVISIONS.items():
        for part in pycountry.subdivisions.get(country_code=country) or ():
            if part.type in kinds:
                found.setdefault(key(part.name), set()).add(country)
    # a name two of these countries share would be a guess: left out
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


@lru_cache(maxsize=8192)  # a spreadsheet names the same places again and again
def read_place(value: str) -> Place | None:
    """What one value names, or None when it is not a place this module knows."""
    text = key(value)
    if not text:
        return None
    for candidate in dict.fromkeys((text, key(_PARENTHESES.sub(" ", value)))):
        if not candidate:
            continue
        if candidate in _areas():
            return Place(regions=_areas()[candidate], area=True)
        code = _countries().get(candidate) or _subdivisions().get(candidate)
        if code:
            return Place(countries=(code,))
    return None


def read_places(value: str) -> tuple[list[Place], list[str]]:
    """The places of one list item, and the parts of it that are not places. A value read
    whole wins ("Bosnia and Herzegovina", "Korea, Republic of"); else it is split on commas,
    slashes, "&", "+" and "and" ("USA, EU, UK" → the United States, Europe, the UK)."""
    place = read_place(value)
    if place is not None:
        return [place], []
    parts = [p for p in _LIST.split(value) if p.strip()]
    if len(parts) < 2:
        return [], [value.strip()] if value.strip() else []
    places, unknown = [], []
    for part in parts:
        found = read_place(part)
        if found is None:
            unknown.append(part.strip())
        else:
            places.append(found)
    return places, unknown
