"""Writing rows as cases (the import loop), as the catalogue grows: a row costs the same
statements in a catalogue of any size, and every statement an import repeats seeks in an index."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from visiblework.cases.importers import CsvImport, load_mapping, writing
from visiblework.cases.models import Actor, ActorAlias, Case, CaseStatus, Taxonomy, Term

from ..plans import statements, table_scans

MAPPING = """
[source]
name = "growth"
id_column = "ID"
[fields]
title = "Headline"
summary = "Description"
date = "Occurred"
countries = "Countries"
[[actors]]
column = "Deployer"
role = "deployer"
[[actors]]
column = "Workers"
role = "harmed_party"
kind = "group"
[[terms]]
column = "Region"
taxonomy = "region"
[[sources]]
url_column = "Link"
"""
NEW_TAXONOMY = MAPPING.replace('taxonomy = "region"', 'taxonomy = "growth_region"\n'
                               'create = true\ntaxonomy_name = "Growth region"')
HEADER = "ID,Headline,Description,Occurred,Countries,Deployer,Workers,Region,Link\n"


def rows(prefix: str, n: int, title: str = "Headline") -> str:
    return HEADER + "".join(
        f"{prefix}-{i},{title} {i},What happened.,2021-03,Kenya;US,Acme,Data workers,"
        f"Global South,https://example.org/{prefix}/{i}\n" for i in range(1, n + 1))


def import_rows(tmp_path: Path, text: str, batch_size: int = 200):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "map.toml").write_text(MAPPING, encoding="utf-8")
    job = CsvImport(path, load_mapping(tmp_path / "map.toml"), batch_size=batch_size)
    return job.run()


def grow_catalogue(n: int) -> None:
    """n more cases (with external ids, like imported ones), actors, aliases and terms."""
    Case.objects.bulk_create(
        Case(slug=f"other-{i}", title=f"Other case {i}", summary="S.", year=2020,
             status=CaseStatus.PUBLISHED, external_id=f"other:{i}") for i in range(n))
    actors = Actor.objects.bulk_create(
        Actor(slug=f"company-{i}", name=f"Company {i}") for i in range(n))
    ActorAlias.objects.bulk_create(ActorAlias(actor=a, name=f"{a.name} Ltd") for a in actors)
    sector = Taxonomy.objects.create(key="sector", name="Sector")
    Term.objects.bulk_create(Term(taxonomy=sector, slug=f"s-{i}", name=f"S {i}") for i in range(n))


@pytest.mark.django_db
def test_an_imported_row_costs_the_same_statements_in_a_catalogue_of_any_size(vocabularies,
                                                                              tmp_path):
    Actor.objects.create(slug="acme", name="Acme")
    Actor.objects.create(slug="data-workers", name="Data workers", kind="group")
    with statements() as small:
        stats = import_rows(tmp_path, rows("A", 5))
    assert stats.created == 5
    grow_catalogue(300)
    with statements() as grown:
        stats = import_rows(tmp_path, rows("B", 5))
    assert stats.created == 5
    assert grown.counted() == small.counted()
    # and re-importing changed rows (updates) likewise
    with statements() as small_update:
        assert import_rows(tmp_path, rows("A", 5, title="Changed")).updated == 5
    Case.objects.bulk_create(Case(slug=f"more-{i}", title="More", summary="S.",
                                  external_id=f"more:{i}") for i in range(300))
    with statements() as grown_update:
        assert import_rows(tmp_path, rows("B", 5, title="Changed")).updated == 5
    assert grown_update.counted() == small_update.counted()


@pytest.mark.django_db
def test_every_statement_an_import_repeats_seeks_in_an_index(vocabularies, tmp_path):
    grow_catalogue(20)
    for title in ("Headline", "Changed"):  # the rows are created, then updated
        with statements() as run:
            import_rows(tmp_path, rows("A", 6, title=title), batch_size=2)
        repeated = run.repeated()
        assert len(repeated) > 10
        scans = {sql: steps for sql, params in repeated if (steps := table_scans(sql, params))}
        assert scans == {}


@pytest.mark.django_db
def test_an_import_tells_its_writer_turns_how_long_each_batch_held_the_lock(
        vocabularies, tmp_path, monkeypatch):
    held = []
    monkeypatch.setattr(writing.WriterTurns, "after", lambda self, seconds: held.append(seconds))
    import_rows(tmp_path, rows("P", 5), batch_size=2)
    assert len(held) == 3 and all(seconds > 0 for seconds in held)


@pytest.mark.django_db
def test_an_import_makes_its_next_batch_as_small_as_the_lock_allows(vocabularies, tmp_path,
                                                                    monkeypatch):
    sizes = []
    monkeypatch.setattr(writing, "rows_for_lock",  # 5 rows first, then 2 after every batch
                        lambda most, rows=0, seconds=0.0: 2 if rows else 5)
    original = writing.Importer._run_batch

    def run_batch(self, batch, progress, deadline=None):
        sizes.append(len(batch))
        return original(self, batch, progress, deadline)

    monkeypatch.setattr(writing.Importer, "_run_batch", run_batch)
    import_rows(tmp_path, rows("S", 9), batch_size=5)
    assert sizes == [5, 2, 2]


def _preview(tmp_path: Path, text: str, mapping: str = MAPPING, batch_size: int = 2):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    return CsvImport(path, load_mapping(tmp_path / "map.toml"), batch_size=batch_size,
                     dry_run=True).run()


def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database: a dry run stays one transaction")


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_on_sqlite_lets_waiting_writers_in_between_its_batches(vocabularies, tmp_path,
                                                                         monkeypatch):
    _sqlite_only()
    held = []
    monkeypatch.setattr(writing.WriterTurns, "after",
                        lambda self, seconds: held.append(connection.in_atomic_block))
    _preview(tmp_path, rows("D", 5))
    assert held == [False, False, False]


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_saves_nothing_by_batches_on_sqlite_or_in_one_transaction_elsewhere(
        vocabularies, tmp_path):
    _preview(tmp_path, rows("D", 5), NEW_TAXONOMY)
    assert (Case.objects.count(), Actor.objects.count(),
            Taxonomy.objects.filter(key="growth_region").count()) == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_by_batches_counts_what_the_import_then_does(vocabularies, tmp_path):
    _sqlite_only()  # new actors, a new taxonomy and its terms, in every batch
    text = rows("D", 5) + "D-2,Again,What happened.,2021,Kenya,Acme,Data workers,South,\n"
    preview = _preview(tmp_path, text, NEW_TAXONOMY).as_dict()
    done = CsvImport(tmp_path / "rows.csv", load_mapping(tmp_path / "map.toml"),
                     batch_size=2).run().as_dict()
    assert {**preview, "seconds": 0} == {**done, "seconds": 0}


@pytest.mark.django_db(transaction=True)
def test_an_import_on_sqlite_commits_a_batch_that_runs_out_of_time_and_goes_on_in_the_next(
        vocabularies, tmp_path, monkeypatch):
    _sqlite_only()
    sizes = []
    original = writing.Importer._run_batch

    def run_batch(self, batch, progress, deadline=None):
        rest = original(self, batch, progress, deadline)
        sizes.append(len(batch) - len(rest))
        return rest

    monkeypatch.setattr(writing.Importer, "_run_batch", run_batch)
    monkeypatch.setattr(writing, "commit_by", lambda: 0.0)  # every batch: out of time at once
    monkeypatch.setattr(writing, "MIN_ROWS", 2)
    stats = import_rows(tmp_path, rows("T", 5), batch_size=5)
    assert (sizes, stats.created, Case.objects.count()) == ([2, 2, 1], 5, 5)
