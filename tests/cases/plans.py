"""Statements as the database runs them, and SQLite's plans for them: which ones read a
whole table instead of seeking in an index. The plans are SQLite's; on PostgreSQL the
planner reads small test tables whole whatever the indexes, so tests of plans skip there."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection


def only_on_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("query plans are checked on SQLite (PostgreSQL reads small tables whole)")


class Statements:
    def __init__(self) -> None:
        self.run: list[tuple[str, tuple]] = []

    def __len__(self) -> int:
        return len(self.run)

    def repeated(self) -> list[tuple[str, tuple]]:
        """One example of each statement run more than once (per row or per batch, not once
        per import), with the length of IN (...) lists left out of its shape."""
        counts = Counter(shape(sql) for sql, _params in self.run)
        examples = {shape(sql): (sql, params) for sql, params in self.run}
        return [examples[s] for s, n in counts.items() if n > 1]


def shape(sql: str) -> str:
    return re.sub(r"%s(, %s)*", "%s", sql)


@contextmanager
def statements() -> Iterator[Statements]:
    """Every statement run in the block, with its parameters."""
    seen = Statements()

    def spy(execute, sql, params, many, context):
        seen.run.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


def table_scans(sql: str, params: tuple) -> list[str]:
    """The steps of SQLite's plan that read a whole table or index ("SCAN ...")."""
    if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return [row[3] for row in cursor.fetchall() if row[3].startswith("SCAN ")]
