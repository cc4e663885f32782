"""The cases search: one interface over SQLite FTS5 (the `cases_fts` table) and PostgreSQL
full-text search (the `tsv` column of cases_searchdocument), with the query reading,
stemming and snippets of core/search.py. Both engines index the stems of each part of a
case (title, summary, labels, actors, sources, body) and are asked the stems of the query's
words, so they find the same cases."""

from __future__ import annotations

from typing import Protocol

import numpy as np
from django.db import connection

from visiblework.core.search import MAX_TOKENS, ParsedQuery, snippet, stemmed

from .models import SearchDocument


class SearchBackend(Protocol):
    def search(self, query: ParsedQuery, limit: int, rank_window: int) -> np.ndarray:
        """Case ids (int64) matching every group, at most `limit` (the newest): the newest
        `rank_window` of them best first, then the rest newest first."""

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

    def _compile(self, query: ParsedQuery, *, any_word: bool, prefix: bool = True) -> str:
        raise NotImplementedError

    def _ranked(self, expression: str, limit: int) -> list[int]:
        raise NotImplementedError

    def _newest(self, expression: str, limit: int) -> np.ndarray:
        """The ids of the newest `limit` matches, newest first (int64)."""
        raise NotImplementedError

    def _ranked_from(self, expression: str, lowest_id: int) -> list[int]:
        raise NotImplementedError

    def search(self, query: ParsedQuery, limit: int, rank_window: int) -> np.ndarray:
        """Two steps, so that the cost stays bounded however many cases match: the newest
        `limit` matches without ranking (a walk down the index), then relevance ranking of
        the newest `rank_window` of them only (ranking every match of a common word cost
        100 ms at 100,000 cases). Smaller result sets are ranked whole.

        Words match whole. Only when nothing matches does the last word also match as the
        start of a longer word (one cut short or still being typed): expanding a prefix
        merges the lists of every word it starts, which doubled the cost of a common word."""
        nothing = np.zeros(0, dtype=np.int64)
        if query.is_empty:
            return nothing
        query = stemmed(query)
        expression = self._compile(query, any_word=False, prefix=False)
        newest = self._newest(expression, limit)
        if not len(newest):
            typed = self._compile(query, any_word=False)
            if typed == expression:
                return nothing
            expression = typed
            newest = self._newest(expression, limit)
            if not len(newest):
                return nothing
        window = newest[: max(1, rank_window)]
        ranked = np.asarray(self._ranked_from(expression, int(window[-1])), dtype=np.int64)
        return np.concatenate([ranked, newest[~np.isin(newest, ranked)]])

    def snippets(self, query: ParsedQuery, case_ids: list[int]) -> dict[int, str]:
        """For each id, a short window of the summary, or else the body, around the first
        match, escaped, with the matching words in <mark>. Done here rather than by the
        engine: FTS5 re-runs the whole match for each listed row."""
        if query.is_empty or not case_ids:
            return {}
        query = stemmed(query)
        words = {w for group in query.groups for w in group}
        prefix = query.groups[-1][-1] if len(query.groups[-1]) == 1 else None
        out = {}
        placeholders = ", ".join(["%s"] * len(case_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT case_id, summary, body FROM {SearchDocument._meta.db_table}"  # noqa: S608
                f" WHERE case_id IN ({placeholders})", [int(i) for i in case_ids])
            rows = cursor.fetchall()
        for case_id, summary, body in rows:
            found = snippet(summary, words, prefix) or snippet(body, words, prefix)
            if found:
                out[case_id] = found
        return out

    def similar(self, words: list[str], limit: int) -> list[int]:
        query = stemmed(ParsedQuery(tuple((w,) for w in words[:MAX_TOKENS])))
        if query.is_empty:
            return []
        return self._ranked(self._compile(query, any_word=True), limit)


class SQLiteSearch(_RankedSearch):
    """FTS5 over the `cases_fts` table that triggers keep in step with SearchDocument."""

    weights = "10.0, 5.0, 4.0, 3.0, 2.0, 1.0"  # title, summary, labels, actors, sources, body

    def _compile(self, query: ParsedQuery, *, any_word: bool, prefix: bool = True) -> str:
        parts = ['"' + " ".join(group) + '"' for group in query.groups]
        if parts and prefix and not any_word and len(query.groups[-1]) == 1:
            parts[-1] += "*"  # prefix match on the word being typed
        return (" OR " if any_word else " ").join(parts)

    def _ranked(self, expression: str, limit: int) -> list[int]:
        # Only constants are formatted into these statements; user text is a parameter.
        sql = (
            "SELECT rowid FROM cases_fts WHERE cases_fts MATCH %s "  # noqa: S608
            f"ORDER BY bm25(cases_fts, {self.weights}), rowid DESC LIMIT %s"
        )
        return _ids(sql, [expression, limit])

    def _newest(self, expression: str, limit: int) -> np.ndarray:
        # The ids come back as one comma-separated text, not one row each: handing 10,000
        # rows to Python cost twice as much as finding them. Sorted here, newest first.
        sql = (
            "SELECT group_concat(rowid) FROM (SELECT rowid FROM cases_fts WHERE cases_fts "
            "MATCH %s ORDER BY rowid DESC LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            text = cursor.fetchone()[0]
        if not text:
            return np.zeros(0, dtype=np.int64)
        return np.sort(np.fromstring(text, dtype=np.int64, sep=","))[::-1]

    def _ranked_from(self, expression: str, lowest_id: int) -> list[int]:
        sql = (
            "SELECT rowid FROM cases_fts WHERE cases_fts MATCH %s AND rowid >= %s "  # noqa: S608
            f"ORDER BY bm25(cases_fts, {self.weights}), rowid DESC"
        )
        return _ids(sql, [expression, lowest_id])


class PostgresSearch(_RankedSearch):
    """PostgreSQL full-text search over the weighted `tsv` column of cases_searchdocument
    (title A; summary, labels and actors B; sources C; body D), with the `visiblework`
    configuration (simple + unaccent; see the cases migrations)."""

    def _compile(self, query: ParsedQuery, *, any_word: bool, prefix: bool = True) -> str:
        parts = []
        for group in query.groups:
            quoted = [f"'{word}'" for word in group]  # words hold letters/marks/digits only
            parts.append("(" + " <-> ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
        if parts and prefix and not any_word and len(query.groups[-1]) == 1:
            parts[-1] += ":*"
        return (" | " if any_word else " & ").join(parts)

    def _ranked(self, expression: str, limit: int) -> list[int]:
        sql = (
            "SELECT case_id FROM cases_searchdocument, to_tsquery('visiblework', %s) q "
            "WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC, case_id DESC LIMIT %s"
        )
        return _ids(sql, [expression, limit])

    def _newest(self, expression: str, limit: int) -> np.ndarray:
        sql = (
            "SELECT case_id FROM cases_searchdocument WHERE tsv @@ to_tsquery('visiblework', %s) "
            "ORDER BY case_id DESC LIMIT %s"
        )
        return np.asarray(_ids(sql, [expression, limit]), dtype=np.int64)

    def _ranked_from(self, expression: str, lowest_id: int) -> list[int]:
        sql = (
            "SELECT case_id FROM cases_searchdocument, to_tsquery('visiblework', %s) q "
            "WHERE tsv @@ q AND case_id >= %s ORDER BY ts_rank_cd(tsv, q) DESC, case_id DESC"
        )
        return _ids(sql, [expression, lowest_id])


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresSearch()
    return SQLiteSearch()
