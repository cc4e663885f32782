"""Full-text helpers that know no app: reading what a person typed into words and phrases,
folding words as the engines compare them, and cutting marked snippets.

Both engines (SQLite FTS5 and PostgreSQL) index and are asked the same tokens, made here in
Python by `stem`: lower case without accents, British spellings written the American way
(organise = organize, labour = labor), then a Snowball stemmer (English for words in Latin
letters, Arabic for Arabic script; other scripts are only folded). So `moderator` finds
`moderation` and `labelling` finds `labeling`, with the same results on either engine.

User text never reaches a search engine's query language as typed. `parse_query` keeps
only words (letters, marks and digits of any script) and "quoted phrases"; a search backend
(the cases search is cases/search.py) writes them as quoted literals into its own syntax,
passed as a query parameter. So quotes, operators (NEAR, AND, -, *), punctuation-only input
and very long input can never raise a syntax error: they give results or nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

MAX_QUERY_CHARS = 1000
MAX_TOKENS = 16
MARK_START = "\x02"
MARK_END = "\x03"


@dataclass(frozen=True)
class ParsedQuery:
    """Groups of words: a group of one is a word, a longer group a phrase. All must match."""

    groups: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _mark_ranges() -> str:
    """The combining marks of the Basic Multilingual Plane as a regular-expression class
    body: `\\w` leaves them out, which would cut Hindi or vowelled Arabic words apart."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        if unicodedata.category(chr(cp))[0] == "M":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


# A word: letters, marks and digits of any script. The one definition of a word for queries,
# indexed text and snippets alike.
WORD = re.compile(f"(?:[^\\W_]|[{_mark_ranges()}])+")
# The same words found faster (one character class, no alternation): runs of word characters
# and marks, cut at underscores.
_RUN = re.compile(f"[\\w{_mark_ranges()}]+")


def _words(text: str) -> list[str]:
    runs = _RUN.findall(text)
    if "_" not in text:
        return runs
    return [word for run in runs for word in run.split("_") if word]


def parse_query(text: str | None) -> ParsedQuery:
    """Split user text into words and "quoted phrases", dropping everything else."""
    text = unicodedata.normalize("NFKC", (text or "")[:MAX_QUERY_CHARS])
    groups: list[tuple[str, ...]] = []
    for index, part in enumerate(text.split('"')):
        words = _words(part)
        if index % 2 == 1 and len(words) > 1:  # inside quotes: a phrase
            groups.append(tuple(w.lower() for w in words))
        else:
            groups.extend((w.lower(),) for w in words)
    return ParsedQuery(tuple(groups[:MAX_TOKENS]))


def highlight(fragment: str) -> str:
    """Escape a snippet from the engine, then turn the sentinel marks into <mark> tags."""
    escaped = html.escape(fragment, quote=False)
    escaped = escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if escaped.count("<mark>") != escaped.count("</mark>"):
        escaped = escaped.replace("<mark>", "").replace("</mark>", "")
    return escaped


SNIPPET_WORDS = 24


def fold(word: str) -> str:
    """Lower case without accents, as the engines compare words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# British spellings written the American way, before stemming (Latin script only). Applied
# alike to documents and queries, so a rule that also catches an unrelated word (French
# "contre" -> "conter") only joins two rare words, never loses a match.
SPELLING_WORDS = {"licence": "license", "defence": "defense", "offence": "offense",
                  "programme": "program", "programmes": "programs", "grey": "gray",
                  "cheque": "check", "cheques": "checks", "judgement": "judgment"}
SPELLING_RULES = [
    (re.compile(r"^(\w{3,}[^aeiou\W])is(e|es|ed|ing|er|ers|ation|ations|able)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{3,})our(s|ed|ing|er|ers|ite|ites|able|ful)?$"), r"\1or\2"),
    (re.compile(r"^(\w{2,}[^aeiou\W])tre(s|d)?$"), r"\1ter\2"),
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),
]
_ENGLISH = snowballstemmer.stemmer("english")
_ARABIC = snowballstemmer.stemmer("arabic")


def american(word: str) -> str:
    """A folded Latin-script word in American spelling (organise -> organize)."""
    if word in SPELLING_WORDS:
        return SPELLING_WORDS[word]
    for pattern, replacement in SPELLING_RULES:
        changed = pattern.sub(replacement, word)
        if changed != word:
            return changed
    return word


def _script(word: str) -> str:
    for char in word:
        if char.isalpha():
            if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
                return "arabic"
            return "latin" if char < "\u0250" else "other"
    return "digits"


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The token both engines index for `word`, and are asked for: folded, in American
    spelling, stemmed (organising, organised, organizes -> organ; الكاميرات -> كامير)."""
    folded = fold(word)
    script = _script(folded)
    if script == "latin":
        return _ENGLISH.stemWord(american(folded)) or folded
    if script == "arabic":
        return _ARABIC.stemWord(folded) or folded
    return folded


def index_text(text: str) -> str:
    """The words of `text` as the engines index them: stems, separated by spaces."""
    return " ".join(map(stem, _words(unicodedata.normalize("NFKC", text or ""))))


def stemmed(query: ParsedQuery) -> ParsedQuery:
    """The query as the engines are asked it: every word stemmed, phrases kept as phrases."""
    return ParsedQuery(tuple(tuple(stem(word) for word in group) for group in query.groups))


def snippet(text: str, stems: set[str], prefix: str | None) -> str | None:
    """About SNIPPET_WORDS words of `text` from just before its first match, with the
    matching words marked as the reader wrote them; None when nothing matches. `stems`
    and `prefix` are stemmed (`stem`), so "moderator" marks "moderation"."""
    tokens = list(WORD.finditer(text))
    hits, started = [], []  # whole-word matches; else words whose stem starts with `prefix`
    for i, token in enumerate(tokens):
        token_stem = stem(token.group())
        if token_stem in stems:
            hits.append(i)
        elif prefix and not hits and token_stem.startswith(prefix):
            started.append(i)
    hits = hits or started
    if not hits:
        return None
    first = max(0, hits[0] - 3)
    last = min(len(tokens), first + SNIPPET_WORDS) - 1
    start, end = tokens[first].start(), tokens[last].end()
    parts = ["…" if first else ""]
    cursor = start
    for i in hits:
        if first <= i <= last:
            token = tokens[i]
            parts += [text[cursor:token.start()], MARK_START, token.group(), MARK_END]
            cursor = token.end()
    parts += [text[cursor:end], "…" if last < len(tokens) - 1 else ""]
    return highlight("".join(parts))
