"""The benchmark's PostgreSQL databases: a temporary one per part, and its planner
statistics after a bulk load. (Used by run.py and servers.py; imports neither.)"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


@contextlib.contextmanager
def temporary_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`, dropped afterwards: the benchmark never
    writes into an existing database."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"visiblework_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def analyze(url: str) -> None:
    """Planner statistics for the new rows, as autovacuum would gather them soon after a
    bulk load. Without them (autovacuum off, or not yet run), PostgreSQL plans the joins of a
    browse page's rows for 1,000-row tables: 44 ms a page instead of 5 ms at 100,000 cases."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("ANALYZE")
