"""Statements as the database runs them, and the database's plans for them: which ones read
a whole table instead of seeking in an index.

PostgreSQL's planner reads small test tables whole whatever the indexes, so there the plan
is asked for with sequential scans switched off: a statement that still reads a whole table
then has no index it could use (an index on UPPER(name) for a LIKE, say, or a partial index
whose condition the query does not repeat)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


class Statements:
    def __init__(self) -> None:
        self.run: list[tuple[str, tuple]] = []

    def __len__(self) -> int:
        return len(self.run)

    def counted(self) -> int:
        """Statements run, less the pruning of old catalogue change rows: one write in a
        hundred prunes, chosen by the change row's id, which on PostgreSQL depends on the
        tests run before (sequences are not rolled back)."""
        return sum(1 for sql, _params in self.run
                   if not sql.lstrip().upper().startswith('DELETE FROM "CASES_CATALOGUECHANGE"'))

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
        if many:  # executemany: the statement once, with its first row's parameters
            params = list(params)
            seen.run.append((sql, tuple(params[0]) if params else ()))
        else:
            seen.run.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        yield seen


def table_scans(sql: str, params: tuple) -> list[str]:
    """The steps of the plan that read a whole table ("SCAN ..." on SQLite, "Seq Scan" on
    PostgreSQL)."""
    if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[3] for row in cursor.fetchall() if row[3].startswith("SCAN ")]
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return [row[0].strip() for row in cursor.fetchall() if "Seq Scan" in row[0]]
        finally:
            cursor.execute("RESET enable_seqscan")
