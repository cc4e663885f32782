"""Full-text helpers that know no app: reading what a person typed into words and phrases,
folding words as the engines compare them, and cutting marked snippets.

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


def _is_word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in ("L", "M", "N")


def _words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


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
_TOKEN = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """Lower case without accents, as the engines compare words."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def snippet(text: str, words: set[str], prefix: str | None) -> str | None:
    """About SNIPPET_WORDS words of `text` from just before its first match, with the
    matching words marked; None when nothing matches."""
    tokens = list(_TOKEN.finditer(text))
    hits, started = [], []  # whole-word matches; else words that start with `prefix`
    for i, token in enumerate(tokens):
        folded = token.group().lower()
        if not folded.isascii():
            folded = fold(folded)
        if folded in words:
            hits.append(i)
        elif prefix and not hits and folded.startswith(prefix):
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
