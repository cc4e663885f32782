"""Search documents gain their labels (term and country names in every language, ISO codes)
and, for each part, the words as both engines index them (stems: core.search.index_text).
The full-text structures of 0002 are rebuilt over the stems:

SQLite: the FTS5 table `cases_fts` (external content: cases_searchdocument's *_stems
columns), kept in step by triggers.
PostgreSQL: the generated, weighted `tsv` column with its GIN index.
"""

import importlib

from django.db import migrations, models

OLD = importlib.import_module("visiblework.cases.migrations.0002_search_tables")

PARTS = ("title", "summary", "labels", "actors", "sources", "body")
COLUMNS = ", ".join(f"{part}_stems" for part in PARTS)
NEW_VALUES = ", ".join(f"new.{part}_stems" for part in PARTS)
OLD_VALUES = ", ".join(f"old.{part}_stems" for part in PARTS)

# Only the constant column names above are formatted into these statements.
SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE cases_fts USING fts5(
        {COLUMNS},
        content='cases_searchdocument', content_rowid='case_id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(rowid, {COLUMNS}) VALUES (new.case_id, {NEW_VALUES});
    END""",  # noqa: S608
    f"""CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(cases_fts, rowid, {COLUMNS})
        VALUES ('delete', old.case_id, {OLD_VALUES});
    END""",  # noqa: S608
    f"""CREATE TRIGGER cases_fts_update AFTER UPDATE ON cases_searchdocument BEGIN
        INSERT INTO cases_fts(cases_fts, rowid, {COLUMNS})
        VALUES ('delete', old.case_id, {OLD_VALUES});
        INSERT INTO cases_fts(rowid, {COLUMNS}) VALUES (new.case_id, {NEW_VALUES});
    END""",  # noqa: S608
    "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')",
]

# The stems hold only letters, marks and digits separated by spaces: no cleaning needed.
WEIGHTS = {"title": "A", "summary": "B", "labels": "B", "actors": "B", "sources": "C",
           "body": "D"}
POSTGRES_FORWARD = [
    "ALTER TABLE cases_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(f"setweight(to_tsvector('visiblework', coalesce({part}_stems, '')), '{w}')"
                  for part, w in WEIGHTS.items())
    + ") STORED",
    "CREATE INDEX cases_searchdocument_tsv ON cases_searchdocument USING GIN (tsv)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS cases_searchdocument_tsv",
    "ALTER TABLE cases_searchdocument DROP COLUMN IF EXISTS tsv",
]


def fill(apps, schema_editor):
    """Labels and stems for the documents already written."""
    from visiblework.cases.indexing import search_document

    document = apps.get_model("cases", "SearchDocument")
    through = apps.get_model("cases", "Case").terms.through
    case_country = apps.get_model("cases", "CaseCountry")
    ids = list(document.objects.order_by("case_id").values_list("case_id", flat=True))
    fields = ["labels", *(f"{part}_stems" for part in PARTS)]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        terms: dict[int, list[str]] = {}
        for case_id, name in through.objects.filter(case_id__in=chunk).values_list(
                "case_id", "term__name"):
            terms.setdefault(case_id, []).append(name)
        codes: dict[int, list[str]] = {}
        for case_id, code in case_country.objects.filter(case_id__in=chunk).values_list(
                "case_id", "code"):
            codes.setdefault(case_id, []).append(code)
        docs = list(document.objects.filter(case_id__in=chunk))
        for doc in docs:
            values = search_document(
                title=doc.title, summary=doc.summary, body=doc.body, actor_names=[doc.actors],
                sources=[doc.sources], term_names=terms.get(doc.case_id, []),
                country_codes=codes.get(doc.case_id, []))
            for field in fields:
                setattr(doc, field, values[field])
        document.objects.bulk_update(docs, fields)


def _stems_field():
    return models.TextField(default="")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_year_end")]

    operations = [
        # The structures of 0002 go first (SQLite remakes the table to add columns, which
        # would drop its triggers), and come back on the way down.
        migrations.RunPython(
            OLD._run({"sqlite": OLD.SQLITE_BACKWARD, "postgresql": POSTGRES_DROP}),
            OLD._run({"sqlite": [*OLD.SQLITE_FORWARD,
                             "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild')"],
                  "postgresql": OLD.POSTGRES_FORWARD[3:]}),
        ),
        migrations.AddField("searchdocument", "labels", _stems_field()),
        *(migrations.AddField("searchdocument", f"{part}_stems", _stems_field())
          for part in PARTS),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(
            OLD._run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            OLD._run({"sqlite": OLD.SQLITE_BACKWARD, "postgresql": POSTGRES_DROP}),
        ),
    ]
