"""A spelling to suggest when a search finds nothing: each word of the search that no case
holds and that is not a known word is replaced by the closest known one, if one is close
enough.

The known words are those of the labels the search reads: term names in every language of
the site, the names of the catalogue's countries in the reader's language and in English,
and the names of its most frequent actors. The list is built once per catalogue version and
language (core/versioned.py) and bounded, so a suggestion costs a few milliseconds."""

from __future__ import annotations

import difflib
import re

from django.utils.translation import get_language

from visiblework.core.countries import country_name
from visiblework.core.search import fold, parse_query
from visiblework.core.versioned import VersionedCache

from . import rows
from .facets import ACTOR, COUNTRY, CatalogueIndex
from .indexing import term_labels
from .search import get_backend

MAX_ACTORS = 500  # the most frequent actors' names are known words
MIN_LENGTH = 3  # shorter words are never corrected
CUTOFF = 0.7  # difflib's similarity a suggestion needs ("moderashun" - "moderation": 0.7)
_WORD = re.compile(r"[^\W_]+")

_known: VersionedCache[dict[str, str]] = VersionedCache("known-words", 8)


def _names(index: CatalogueIndex, language: str) -> list[str]:
    names = [label for name in index.term_names.values() for label in term_labels(name)]
    countries = index.facets.get(COUNTRY)
    for code in countries.values if countries else []:
        names += [country_name(code, language), country_name(code, "en")]
    actors = index.facets.get(ACTOR)
    if actors is not None and len(actors.values):
        top = actors.totals.argsort()[::-1][:MAX_ACTORS]
        names += rows.actor_names([actors.values[i] for i in top.tolist()]).values()
    return names


def known_words(index: CatalogueIndex) -> dict[str, str]:
    """Folded word -> the word as written, for every word of the labels."""
    language = get_language() or "en"

    def build() -> dict[str, str]:
        words: dict[str, str] = {}
        for name in _names(index, language):
            for word in _WORD.findall(name):
                if len(word) >= MIN_LENGTH:
                    words.setdefault(fold(word), word.lower())
        return words

    return _known.get(index.version, language, build)


def _indexed(word: str) -> bool:
    """Whether some case has this word (one search, cut at the first match)."""
    return len(get_backend().search(parse_query(word), 1, 1)) > 0


def spelling(index: CatalogueIndex, q: str) -> str | None:
    """The search text with its unknown words replaced by the closest known words, or None
    when no word changes."""
    words = known_words(index)
    if not words:
        return None
    candidates = list(words)
    changed = False
    out: list[str] = []
    for group in parse_query(q).groups:
        fixed = []
        for word in group:
            folded = fold(word)
            if len(folded) < MIN_LENGTH or folded in words or _indexed(word):
                fixed.append(word)
                continue
            close = difflib.get_close_matches(folded, candidates, n=1, cutoff=CUTOFF)
            if close:
                fixed.append(words[close[0]])
                changed = True
            else:
                fixed.append(word)
        out.append(" ".join(fixed) if len(fixed) == 1 else '"' + " ".join(fixed) + '"')
    return " ".join(out) if changed else None
