"""New cases written in bulk are the cases save_case writes, and rows imported before are
skipped while nothing that decides what they become has changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError

from visiblework.cases.editing import (
    clean_case_data,
    create_cases,
    save_case,
    snapshot,
    update_cases,
)
from visiblework.cases.importers import CsvImport, load_mapping, writing
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    Case,
    CaseExternalId,
    Revision,
    SearchDocument,
)
from visiblework.core.models import AuditAction, AuditEntry

from ..plans import statements

MAPPING = """
[source]
name = "bulk"
id_column = "ID"
[fields]
title = "Headline"
summary = "Description"
date = "Occurred"
countries = "Where"
[[actors]]
column = "Deployer"
role = "deployer"
[[terms]]
column = "Region"
taxonomy = "region"
[[sources]]
url_column = "Link"
"""
HEADER = "ID,Headline,Description,Occurred,Where,Deployer,Region,Link\n"


def rows(n: int, start: int = 1, title: str = "Headline") -> str:
    return "".join(f"{i},{title} {i},Summary {i}.,2021-0{1 + i % 9},Kenya; UK,Acme {i % 3},"
                   f"Global South,https://example.org/{i}\n" for i in range(start, start + n))


def run(tmp_path: Path, text: str, **kw):
    (tmp_path / "in.csv").write_text(HEADER + text, encoding="utf-8")
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    return CsvImport(tmp_path / "in.csv", load_mapping(tmp_path / "map.toml"), **kw).run()


DATA = {"title": "A title", "year": 2021, "year_end": None, "date": "2021-03",
        "summary": "A summary.", "body": "Some *text*.", "status": "published",
        "terms": {"region": ["global-south"]}, "countries": ["GB", "KE"],
        "actors": [{"name": "Acme", "slug": "", "role": "deployer"}],
        "sources": [{"url": "https://example.org/a", "title": "A source", "publisher": "P",
                     "authors": "", "date": "2021-04", "archived_url": ""}]}


@pytest.mark.django_db
def test_a_case_created_in_bulk_holds_what_save_case_would_have_written(vocabularies):
    one = save_case(DATA, summary="Imported", label="import x", action=AuditAction.IMPORT)
    (two,) = create_cases([(DATA, "x:2", "")], summary="Imported", label="import x",
                          action=AuditAction.IMPORT)
    assert snapshot(two) == snapshot(one)


@pytest.mark.django_db
def test_a_case_created_in_bulk_gets_its_first_revision_and_audit_entry(vocabularies):
    (case,) = create_cases([(DATA, "x:1", "")], summary="Imported", label="import x",
                           action=AuditAction.IMPORT)
    revision = Revision.objects.get(case=case)
    entry = AuditEntry.objects.get(object_id=str(case.pk))
    assert (revision.number, revision.data, entry.summary, entry.user_label) == (
        1, snapshot(case), "Imported: A title", "import x")


@pytest.mark.django_db
def test_a_case_created_in_bulk_is_found_by_search(vocabularies, anonymous):
    create_cases([(DATA, "x:1", "")], summary="Imported", label="import x")
    assert "A title" in anonymous.get("/cases/", {"q": "title"}).content.decode()


CHANGED = {**DATA, "title": "Another title", "date": "2022", "year": None, "body": "",
           "terms": {"region": ["global-north"], "layer": ["annotation"]}, "countries": ["US"],
           "actors": [{"name": "Beta Co", "slug": "", "role": "developer"},
                      {"name": "Acme", "slug": "", "role": "deployer"}],
           "sources": [{**DATA["sources"][0], "title": "Another source"},
                       {"url": "https://example.org/b", "title": "B", "publisher": "",
                        "authors": "X", "date": "", "archived_url": ""}]}


def _written(case: Case) -> tuple:
    """What saving a case wrote, less ids and times."""
    case.refresh_from_db()
    revisions = list(Revision.objects.filter(case=case).order_by("number").values_list(
        "number", "author_label", "summary", "data"))
    entries = list(AuditEntry.objects.filter(object_id=str(case.pk)).order_by("id").values_list(
        "action", "user_label", "summary"))
    document = SearchDocument.objects.filter(case=case).values(
        "title", "summary", "body", "actors", "sources", "labels").get()
    fields = (case.title, case.slug, case.year, case.date, case.status, case.import_digest,
              case.published_at is not None)
    return snapshot(case), revisions, entries, document, fields


@pytest.mark.django_db
def test_a_case_updated_in_bulk_holds_what_save_case_would_have_written(vocabularies):
    one = save_case(DATA, summary="Imported", label="import x", action=AuditAction.IMPORT)
    two = save_case(DATA, summary="Imported", label="import x", action=AuditAction.IMPORT)
    save_case(CHANGED, case=one, summary="Updated", label="import x", action=AuditAction.IMPORT)
    update_cases([(two, clean_case_data(CHANGED), snapshot(two), "")], summary="Updated",
                 label="import x", action=AuditAction.IMPORT)
    assert _written(two) == _written(one)


@pytest.mark.django_db
def test_a_case_with_no_revision_updated_in_bulk_first_gets_one_of_its_state_before(
        vocabularies):
    one = save_case(DATA, summary="Imported", label="import x")
    two = save_case(DATA, summary="Imported", label="import x")
    Revision.objects.all().delete()  # as cases made before revisions were kept
    save_case(CHANGED, case=one, summary="Updated", label="import x", action=AuditAction.IMPORT)
    update_cases([(two, clean_case_data(CHANGED), snapshot(two), "")], summary="Updated",
                 label="import x", action=AuditAction.IMPORT)
    assert _written(two)[1] == _written(one)[1]


@pytest.mark.django_db
def test_a_case_updated_in_bulk_keeps_the_import_digest_it_is_given(vocabularies):
    case = save_case(DATA, summary="Imported", label="import x")
    update_cases([(case, clean_case_data(CHANGED), snapshot(case), "d1")], summary="Updated",
                 label="import x")
    case.refresh_from_db()
    assert case.import_digest == "d1"


@pytest.mark.django_db
def test_changed_rows_refused_in_bulk_are_written_again_one_by_one_and_the_refused_one_named(
        vocabularies, tmp_path, monkeypatch):
    run(tmp_path, rows(3))
    real, real_bulk = writing.save_case, writing.update_cases

    def failing(data, **kwargs):
        if data["title"] == "Fails late":
            raise IntegrityError("simulated failure")
        return real(data, **kwargs)

    def failing_bulk(rows, **kwargs):
        real_bulk(rows, **kwargs)
        if any(data["title"] == "Fails late" for _case, data, _now, _digest in rows):
            raise IntegrityError("simulated failure of the bulk write")

    monkeypatch.setattr(writing, "save_case", failing)
    monkeypatch.setattr(writing, "update_cases", failing_bulk)
    text = rows(1, title="Changed") + rows(1, start=2, title="Fails late").replace(
        "Fails late 2", "Fails late") + rows(1, start=3, title="Changed")
    stats = run(tmp_path, text)
    assert (stats.updated, stats.skipped, str(stats.problems[0])) == (
        2, 1, "line 3: the database refused this row (simulated failure)")
    assert (list(Case.objects.order_by("external_id").values_list("title", flat=True)),
            Revision.objects.count()) == (["Changed 1", "Headline 2", "Changed 3"], 5)


@pytest.mark.django_db
def test_a_case_that_two_rows_of_a_batch_change_takes_both_changes_in_turn(vocabularies,
                                                                          tmp_path, monkeypatch):
    run(tmp_path, rows(3))
    case = Case.objects.get(external_id="bulk:1")
    CaseExternalId.objects.create(case=case, external_id="bulk:9")  # a duplicate merged into it
    monkeypatch.setattr(writing, "save_case", lambda *a, **k: pytest.fail("not in bulk"))
    # its own row changes its title; the merged duplicate's row (which may not) its actor
    text = rows(1, title="Changed") + rows(1, start=9).replace("Acme 0", "Other Co")
    assert run(tmp_path, text).updated == 2
    after = snapshot(Case.objects.get(pk=case.pk))
    assert (case.revisions.count(), after["title"], [a["name"] for a in after["actors"]]) == (
        3, "Changed 1", ["Other Co"])


@pytest.mark.django_db
def test_the_statements_of_a_batch_of_changed_rows_do_not_grow_with_its_rows(vocabularies,
                                                                            tmp_path):
    run(tmp_path, rows(100))
    with statements() as few:
        assert run(tmp_path, rows(20, title="Changed")).updated == 20
    with statements() as many:
        assert run(tmp_path, rows(80, start=21, title="Changed")).updated == 80
    assert len(many) <= len(few) + 10 < 80


@pytest.mark.django_db
def test_the_statements_of_a_batch_do_not_grow_with_its_rows(vocabularies, tmp_path):
    run(tmp_path, rows(5))  # the actors and terms exist from here on
    with statements() as few:
        run(tmp_path, rows(20, start=100))
    with statements() as many:
        run(tmp_path, rows(80, start=200))
    def inserts(seen):
        return [sql for sql, _params in seen.run if sql.lstrip().upper().startswith("INSERT")]

    # A bulk insert is split only to stay under SQLite's limit of parameters per statement.
    assert len(inserts(many)) <= len(inserts(few)) + 4 < 80


@pytest.mark.django_db
def test_a_row_imported_before_unchanged_is_not_read_again(vocabularies, tmp_path, monkeypatch):
    run(tmp_path, rows(3))
    monkeypatch.setattr(writing, "merge", lambda *a, **k: pytest.fail("read again"))
    stats = run(tmp_path, rows(3))
    assert (stats.unchanged, stats.updated) == (3, 0)


@pytest.mark.django_db
def test_after_an_editor_saves_a_case_the_next_import_compares_its_row_in_full(
        vocabularies, tmp_path):
    run(tmp_path, rows(3))
    case = Case.objects.get(external_id="bulk:2")
    save_case({**snapshot(case), "title": "Corrected by an editor"}, case=case, summary="edit")
    stats = run(tmp_path, rows(3))
    assert (stats.unchanged, stats.updated) == (2, 1)
    assert Case.objects.get(external_id="bulk:2").title == "Headline 2"  # the import owns it


@pytest.mark.django_db
def test_a_new_alias_makes_the_next_import_read_every_row_again(vocabularies, tmp_path,
                                                                   monkeypatch):
    run(tmp_path, rows(3))
    ActorAlias.objects.create(actor=Case.objects.get(external_id="bulk:1").actors.get(),
                              name="Acme One")
    read = []
    real = writing.merge
    monkeypatch.setattr(writing, "merge", lambda *a, **k: read.append(1) or real(*a, **k))
    run(tmp_path, rows(3))
    assert read


@pytest.mark.django_db
def test_a_changed_mapping_makes_the_next_import_read_every_row_again(vocabularies, tmp_path):
    run(tmp_path, rows(3))
    first = set(Case.objects.values_list("import_digest", flat=True))
    (tmp_path / "map.toml").write_text(MAPPING.replace('role = "deployer"', 'role = "client"'),
                                       encoding="utf-8")
    stats = CsvImport(tmp_path / "in.csv", load_mapping(tmp_path / "map.toml")).run()
    assert stats.updated == 3 and not first & set(
        Case.objects.values_list("import_digest", flat=True))


def test_the_rules_of_an_import_follow_its_mapping():
    assert writing.rules_digest("mapping") != writing.rules_digest("other mapping")


@pytest.mark.django_db
def test_a_new_row_refused_after_it_made_an_actor_leaves_no_actor_behind(vocabularies, tmp_path):
    too_long = "T" * 301  # refused by clean_case_data, after the row found or made its actors
    text = (f"1,{too_long},Summary.,2021-03,Kenya,Ghost Co,Global South,https://example.org/1\n"
            + rows(2, start=2))
    stats = run(tmp_path, text)
    assert (stats.created, stats.skipped) == (2, 1)
    assert not Actor.objects.filter(name="Ghost Co").exists()


@pytest.mark.django_db
def test_a_new_row_naming_known_actors_and_terms_takes_no_savepoint(vocabularies, tmp_path):
    run(tmp_path, rows(3))  # Acme 0, 1 and 2 exist from now on
    with statements() as executed:
        run(tmp_path, rows(200, start=10))
    savepoints = [sql for sql, _params in executed.run if "SAVEPOINT" in sql.upper()]
    assert len(savepoints) < 10  # the batch's own; not two per row (400)
