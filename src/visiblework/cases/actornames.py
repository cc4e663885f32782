"""Actor names as people write them: one comparison key for "OpenAI", "OpenAI Inc",
"OpenAI, Inc." and "Open AI", and the splitting of a cell that lists several actors.

The single home of this rule: importers use it to find an actor, the actor index to suggest
duplicates, and actor search to match names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Legal forms written after a company's name (in several languages), compared after folding
# and without dots: "S.A." is "sa", "Pty. Ltd." is "pty ltd".
LEGAL_SUFFIXES = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "companies",
    "ltd", "limited", "llc", "llp", "lp", "plc", "pllc", "pc",
    "gmbh", "ag", "kg", "se", "sa", "sas", "sarl", "srl", "spa", "sl", "bv", "nv",
    "ab", "as", "asa", "oy", "oyj", "aps", "kk", "pty", "pvt", "private", "pte", "bhd", "sdn",
})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Text without accents, in one case: how names are compared and searched."""
    if text.isascii():  # most names: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()



def _words(name: str) -> list[str]:
    folded = fold(name).replace("&", " and ")
    # "S.A." and "L.L.C." become one word before splitting on punctuation.
    folded = re.sub(r"\b(?:[^\W_]\.){2,}", lambda m: m.group(0).replace(".", ""), folded)
    return _WORD.findall(folded)


def name_key(name: str) -> str:
    """The comparison key of an actor's name: accents, capitals, punctuation, spacing, a
    leading "the" and trailing legal forms do not count. "OpenAI, Inc.", "Open AI" and
    "openai" share the key "openai". A name that is only a legal form keeps it."""
    words = _words(name)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return "".join(words)


def is_legal_suffix(fragment: str) -> bool:
    """Whether a fragment of a list cell is only a legal form ("Inc.", "Ltd", "S.A.")."""
    words = _words(fragment)
    return bool(words) and all(word in LEGAL_SUFFIXES for word in words)


def split_names(cell: str, separators: str | Sequence[str] = ",;") -> list[str]:
    """The actor names in a cell that lists several ("OpenAI, You.com, xAI"), in order,
    without repeats (by name_key) or empty values. A fragment that is only a legal form is
    joined to the name before it, so "OpenAI, Inc., Google" gives "OpenAI, Inc." and
    "Google". `separators`: each character of a text, or each text of a list (for
    separators longer than a character, such as " | ")."""
    pattern = "|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True) if s)
    pieces = re.split(f"({pattern})", cell) if pattern else [cell]
    names: list[str] = []
    joiner = ""
    for index, piece in enumerate(pieces):
        if index % 2:  # a separator
            joiner = piece
            continue
        text = piece.strip()
        if not text:
            continue
        if names and is_legal_suffix(text):
            names[-1] = f"{names[-1]}{joiner} {text}"
        else:
            names.append(text)
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name_key(name) or name.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(name)
    return unique


def name_keys(name: str) -> list[str]:
    """Every comparison key a name stands for: its own `name_key`, and when it joins several
    names with "/" ("Sama AI/Samasource"), the key of each of them too. Empty keys are left
    out. Used to suggest duplicate actors: two actors sharing any key may be one."""
    keys = [name_key(name)]
    parts = [part for part in name.split("/") if part.strip()]
    if len(parts) > 1:
        keys.extend(name_key(part) for part in parts)
    return [key for key in dict.fromkeys(keys) if key]
