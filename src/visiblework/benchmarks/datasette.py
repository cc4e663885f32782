"""Datasette as the comparison: the same published cases, flattened into one table of the
same SQLite file (a JSON-array column per facet, for `_facet_array`), with an FTS5 index on
the text, served by `datasette serve FILE --setting suggest_facets off`."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

from .scenarios import FLAT_TABLE

FACETS = ("justice_area", "impact", "layer", "region")


def find_datasette(explicit: str | None = None) -> str | None:
    """The `datasette` command: the one given, on PATH, or beside this Python."""
    if explicit:
        return explicit if Path(explicit).exists() or shutil.which(explicit) else None
    found = shutil.which("datasette")
    if found:
        return found
    beside = Path(sys.executable).parent / "datasette"
    return str(beside) if beside.exists() else None


def _terms(facet: str) -> str:
    # Fixed names from FACETS, never user input.
    return ("(SELECT json_group_array(t.slug) FROM cases_case_terms ct "  # noqa: S608
            "JOIN cases_term t ON t.id = ct.term_id "
            "JOIN cases_taxonomy x ON x.id = t.taxonomy_id "
            f"WHERE ct.case_id = c.id AND x.key = '{facet}') AS {facet}")


def export_flat_table(database: Path) -> int:
    """(Re)create the flat table and its full-text index. Returns its number of rows."""
    conn = sqlite3.connect(database)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}_fts")
        conn.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}")
        conn.execute(f"""CREATE TABLE {FLAT_TABLE} (
            id INTEGER PRIMARY KEY, title TEXT, summary TEXT, body TEXT, year INTEGER,
            justice_area TEXT, impact TEXT, layer TEXT, region TEXT, country TEXT, actor TEXT)""")
        conn.execute(f"""INSERT INTO {FLAT_TABLE}
            SELECT c.id, c.title, c.summary, c.body, c.year,
                {', '.join(_terms(f) for f in FACETS)},
                (SELECT json_group_array(cc.code) FROM cases_casecountry cc
                 WHERE cc.case_id = c.id) AS country,
                (SELECT json_group_array(DISTINCT a.slug) FROM cases_caseactor ca
                 JOIN cases_actor a ON a.id = ca.actor_id WHERE ca.case_id = c.id) AS actor
            FROM cases_case c WHERE c.status = 'published'""")  # noqa: S608 - fixed names
        conn.execute(f"CREATE INDEX {FLAT_TABLE}_year ON {FLAT_TABLE} (year)")
        # Bracket-quoted content= is what Datasette looks for to find the index.
        conn.execute(f"""CREATE VIRTUAL TABLE {FLAT_TABLE}_fts USING fts5(
            title, summary, body, content=[{FLAT_TABLE}], content_rowid=[id])""")
        conn.execute(f"INSERT INTO {FLAT_TABLE}_fts({FLAT_TABLE}_fts) VALUES ('rebuild')")  # noqa: S608
        conn.commit()
        return conn.execute(f"SELECT count(*) FROM {FLAT_TABLE}").fetchone()[0]  # noqa: S608
    finally:
        conn.close()


def drop_flat_table(database: Path) -> None:
    conn = sqlite3.connect(database)
    try:
        conn.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}_fts")
        conn.execute(f"DROP TABLE IF EXISTS {FLAT_TABLE}")
        conn.commit()
    finally:
        conn.close()


def command(datasette: str, database: Path, port: int) -> list[str]:
    return [datasette, "serve", str(database), "--host", "127.0.0.1", "--port", str(port),
            "--setting", "suggest_facets", "off"]
