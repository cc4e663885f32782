"""Full-text search structures, per database engine.

SQLite: an FTS5 table with external content (cases_searchdocument) kept in step by triggers.
PostgreSQL: a generated, weighted tsvector column on cases_searchdocument with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE cases_fts USING fts5(
        title, summary, body, actors, sources,
        content='cases_searchdocument', content_rowid='case_id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(rowid, title, summary, body, actors, sources)
        VALUES (new.case_id, new.title, new.summary, new.body, new.actors, new.sources);
    END""",
    """CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(cases_fts, rowid, title, summary, body, actors, sources)
        VALUES ('delete', old.case_id, old.title, old.summary, old.body, old.actors, old.sources);
    END""",
    """CREATE TRIGGER cases_fts_update AFTER UPDATE ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(cases_fts, rowid, title, summary, body, actors, sources)
        VALUES ('delete', old.case_id, old.title, old.summary, old.body, old.actors, old.sources);
        INSERT INTO cases_fts(rowid, title, summary, body, actors, sources)
        VALUES (new.case_id, new.title, new.summary, new.body, new.actors, new.sources);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS cases_fts_update",
    "DROP TRIGGER IF EXISTS cases_fts_delete",
    "DROP TRIGGER IF EXISTS cases_fts_insert",
    "DROP TABLE IF EXISTS cases_fts",
]
# ASCII punctuation becomes a space before parsing, so that "amazon.com" or "content-moderation"
# are indexed as the words a reader types (the parser would otherwise keep a host name or a
# hyphenated word whole); this matches how core.search splits the reader's query.
CLEAN = "regexp_replace(coalesce({}, ''), '[[:punct:]]+', ' ', 'g')"

COLUMNS = ("title", "summary", "actors", "sources", "body")

POSTGRES_FORWARD = [
    # Accent-insensitive matching (résumé = resume) for every language: the `simple`
    # configuration (no stemming, no stop words) with unaccent in front. unaccent is a
    # trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION visiblework (COPY = simple)",
    """ALTER TEXT SEARCH CONFIGURATION visiblework
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part,
            numword, numhword, hword_numpart WITH unaccent, simple""",
    """ALTER TABLE cases_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('visiblework', {title}), 'A') ||
        setweight(to_tsvector('visiblework', {summary}), 'B') ||
        setweight(to_tsvector('visiblework', {actors}), 'B') ||
        setweight(to_tsvector('visiblework', {sources}), 'C') ||
        setweight(to_tsvector('visiblework', {body}), 'D')) STORED""".format(**{c: CLEAN.format(c) for c in COLUMNS}),
    "CREATE INDEX cases_searchdocument_tsv ON cases_searchdocument USING GIN (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS cases_searchdocument_tsv",
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS tsv",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS visiblework",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
