"""Full-text search behind one interface: SQLite FTS5 by default, PostgreSQL full-text
search when the database is PostgreSQL.

User text never reaches the search engine's query language as typed. `parse_query` keeps
only words (letters, marks and digits of any script) and "quoted phrases", and each backend
writes them as quoted literals into its own syntax, passed as a query parameter. So quotes,
operators (NEAR, AND, -, *), punctuation-only input and very long input can never raise a
syntax error: they give results or nothing.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

from django.db import connection

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


class SearchBackend(Protocol):
    def search(self, query: ParsedQuery, limit: int) -> list[int]:
        """Case ids matching every group, best first, at most `limit`."""

    def snippets(self, query: ParsedQuery, case_ids: list[int]) -> dict[int, str]:
        """For each id, an HTML-safe fragment with the matches in <mark>."""

    def similar(self, words: list[str], limit: int) -> list[int]:
        """Case ids matching any of `words`, best first (for related cases)."""


def _ids(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


class _RankedSearch:
    """What both engines share: compile the parsed query, then rank with the engine's SQL."""

    def _compile(self, query: ParsedQuery, *, any_word: bool) -> str:
        raise NotImplementedError

    def _ranked(self, expression: str, limit: int) -> list[int]:
        raise NotImplementedError

    def search(self, query: ParsedQuery, limit: int) -> list[int]:
        if query.is_empty:
            return []
        return self._ranked(self._compile(query, any_word=False), limit)

    def similar(self, words: list[str], limit: int) -> list[int]:
        query = ParsedQuery(tuple((w,) for w in words[:MAX_TOKENS]))
        if query.is_empty:
            return []
        return self._ranked(self._compile(query, any_word=True), limit)


class SQLiteSearch(_RankedSearch):
    """FTS5 over the `cases_fts` table that triggers keep in step with SearchDocument."""

    weights = "10.0, 5.0, 1.0, 3.0, 2.0"  # title, summary, body, actors, sources

    def _compile(self, query: ParsedQuery, *, any_word: bool) -> str:
        parts = ['"' + " ".join(group) + '"' for group in query.groups]
        if parts and not any_word and len(query.groups[-1]) == 1:
            parts[-1] += "*"  # prefix match on the word being typed
        return (" OR " if any_word else " ").join(parts)

    def _ranked(self, expression: str, limit: int) -> list[int]:
        # Only constants are formatted into these statements; user text is a parameter.
        sql = (
            "SELECT rowid FROM cases_fts WHERE cases_fts MATCH %s "  # noqa: S608
            f"ORDER BY bm25(cases_fts, {self.weights}), rowid DESC LIMIT %s"
        )
        return _ids(sql, [expression, limit])

    def snippets(self, query: ParsedQuery, case_ids: list[int]) -> dict[int, str]:
        if query.is_empty or not case_ids:
            return {}
        placeholders = ",".join(["%s"] * len(case_ids))
        # A snippet of the summary (column 1) or the body (column 2), whichever shows a
        # match: the title is already on screen.
        sql = (
            "SELECT rowid, snippet(cases_fts, 1, %s, %s, '…', 24),"  # noqa: S608
            " snippet(cases_fts, 2, %s, %s, '…', 24) FROM cases_fts "
            f"WHERE cases_fts MATCH %s AND rowid IN ({placeholders})"
        )
        marks = [MARK_START, MARK_END]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*marks, *marks, self._compile(query, any_word=False), *case_ids])
            return {
                row[0]: highlight(row[2] if MARK_START in row[2] and MARK_START not in row[1]
                                  else row[1])
                for row in cursor.fetchall()
            }


class PostgresSearch(_RankedSearch):
    """PostgreSQL full-text search over the weighted `tsv` column of cases_searchdocument,
    with the `visiblework` configuration (simple + unaccent; see the cases migrations)."""

    def _compile(self, query: ParsedQuery, *, any_word: bool) -> str:
        parts = []
        for group in query.groups:
            quoted = [f"'{word}'" for word in group]  # words hold letters/marks/digits only
            parts.append("(" + " <-> ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
        if parts and not any_word and len(query.groups[-1]) == 1:
            parts[-1] += ":*"
        return (" | " if any_word else " & ").join(parts)

    def _ranked(self, expression: str, limit: int) -> list[int]:
        sql = (
            "SELECT case_id FROM cases_searchdocument, to_tsquery('visiblework', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC, case_id DESC LIMIT %s"
        )
        return _ids(sql, [expression, limit])

    def snippets(self, query: ParsedQuery, case_ids: list[int]) -> dict[int, str]:
        if query.is_empty or not case_ids:
            return {}
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"
        sql = (
            "SELECT case_id, ts_headline('visiblework', summary || ' ' || body, "
            "to_tsquery('visiblework', %s), %s) FROM cases_searchdocument WHERE case_id = ANY(%s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self._compile(query, any_word=False), options, list(case_ids)])
            return {row[0]: highlight(row[1]) for row in cursor.fetchall()}


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresSearch()
    return SQLiteSearch()
