"""The CSV export round-trips through the spreadsheet importer: export, import into an empty
catalogue with the export's mapping, export again: the same bytes."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest

from visiblework.cases.exports import BUILT_IN_KEYS, CsvLayout, mapping_toml
from visiblework.cases.importers import CsvImport, load_mapping
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    Case,
    CaseExternalId,
    SearchDocument,
    Source,
    Taxonomy,
    Term,
)
from visiblework.core.versioned import clear_all

DOCS = Path(__file__).resolve().parents[2] / "docs"


def export(client, path: str = "/export/cases.csv", **params) -> bytes:
    return b"".join(client.get(path, params).streaming_content)


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def varied(catalogue):
    """The catalogue, and what an export must carry besides: an imported taxonomy, external
    ids (one merged in), more sources than have columns, no year, a body with Windows line
    ends, a summary that a spreadsheet would run as a formula."""
    sector = Taxonomy.objects.create(key="tracker_sector", name="Sector (tracker)",
                                     is_facet=False, order=300)
    for slug, name in (("technology", "Technology"), ("retail", "Retail")):
        Term.objects.create(taxonomy=sector, slug=slug, name=name)
    kenya = catalogue.cases["kenya"]
    kenya.terms.add(*Term.objects.filter(taxonomy=sector))
    kenya.external_id = "aiid:1"
    kenya.body = "First line.\r\nSecond line.\r\n"
    kenya.save()
    CaseExternalId.objects.create(case=kenya, external_id="aiaaic:AIAAIC0001")
    drivers = catalogue.cases["drivers"]
    for n in range(2, 9):
        Source.objects.create(case=drivers, order=n, url=f"https://example.org/drivers/{n}",
                              title=f"Report {n}", publisher="Example News", date=f"2021-0{n}")
    midas = catalogue.cases["midas"]
    midas.year = None
    midas.summary = "-40,000 people were flagged."
    midas.save()
    return catalogue


def empty_the_catalogue() -> None:
    """What an empty data folder holds after `visiblework migrate`: the built-in vocabularies
    and nothing else."""
    Case.objects.all().delete()
    ActorAlias.objects.all().delete()
    Actor.objects.all().delete()
    Term.objects.exclude(taxonomy__key__in=BUILT_IN_KEYS).delete()
    Taxonomy.objects.exclude(key__in=BUILT_IN_KEYS).delete()
    SearchDocument.objects.all().delete()  # a deleted case's actors reindex it on the way out
    clear_all()


def import_export(tmp_path: Path, body: bytes, mapping: bytes):
    (tmp_path / "export.csv").write_bytes(body)
    (tmp_path / "export.toml").write_bytes(mapping)
    return CsvImport(tmp_path / "export.csv", load_mapping(tmp_path / "export.toml")).run()


@pytest.mark.django_db
def test_an_export_imported_into_an_empty_catalogue_exports_as_the_same_bytes(
        varied, anonymous, tmp_path):
    first = export(anonymous, portable="1")
    mapping = anonymous.get("/export/mapping.toml").content
    empty_the_catalogue()
    stats = import_export(tmp_path, first, mapping)
    assert (stats.created, stats.skipped, stats.warnings) == (5, 0, 0), stats.problems
    again = export(anonymous, portable="1")
    assert again.decode().splitlines() == first.decode().splitlines()
    assert again == first


@pytest.mark.django_db
def test_the_full_export_differs_after_the_round_trip_only_in_the_instance_columns(
        varied, anonymous, tmp_path):
    first = export(anonymous)
    mapping = anonymous.get("/export/mapping.toml").content
    empty_the_catalogue()
    import_export(tmp_path, first, mapping)
    instance = {"id", "url", "updated_at"}
    assert [{k: v for k, v in r.items() if k not in instance} for r in rows(export(anonymous))] \
        == [{k: v for k, v in r.items() if k not in instance} for r in rows(first)]


@pytest.mark.django_db
def test_an_export_imported_again_over_its_own_cases_changes_nothing(catalogue, anonymous,
                                                                     tmp_path):
    for case in Case.objects.filter(external_id=""):  # imported cases, all of them
        Case.objects.filter(pk=case.pk).update(external_id=f"tracker:{case.pk}")
    stats = import_export(tmp_path, export(anonymous), anonymous.get("/export/mapping.toml").content)
    assert (stats.created, stats.updated, stats.unchanged) == (0, 0, 5), stats.problems


@pytest.mark.django_db
def test_the_csv_export_has_a_column_per_taxonomy_and_per_actor_role(varied, anonymous):
    header = rows(export(anonymous))[0].keys()
    assert [c for c in header if c.startswith("terms_")] == [
        "terms_justice_area", "terms_impact", "terms_layer", "terms_region",
        "terms_tracker_sector"]
    assert [c for c in header if c.startswith("actors_")] == [
        "actors_developer", "actors_deployer", "actors_platform", "actors_vendor",
        "actors_client", "actors_harmed_party"]


@pytest.mark.django_db
def test_the_csv_export_carries_imported_terms_by_name(varied, anonymous):
    kenya = next(r for r in rows(export(anonymous)) if r["external_ids"].startswith("aiid:1"))
    assert kenya["terms_tracker_sector"] == "Retail; Technology"
    assert kenya["actors_vendor"] == "Sama"


@pytest.mark.django_db
def test_the_csv_export_carries_the_external_id_then_the_merged_ones(varied, anonymous):
    kenya = next(r for r in rows(export(anonymous)) if r["external_ids"].startswith("aiid:1"))
    assert kenya["external_ids"] == "aiid:1; aiaaic:AIAAIC0001"


@pytest.mark.django_db
def test_a_case_without_an_external_id_is_exported_with_this_sites_id(varied, anonymous):
    recruiting = varied.cases["recruiting"]
    row = next(r for r in rows(export(anonymous)) if r["title"] == recruiting.title)
    assert row["external_ids"] == f"testserver:{recruiting.pk}"


@pytest.mark.django_db
def test_sources_beyond_the_source_columns_keep_their_links_in_one_column(varied, anonymous):
    drivers = next(r for r in rows(export(anonymous)) if r["title"] == varied.cases[
        "drivers"].title)
    assert drivers["source_5_title"] == "Report 6"
    assert drivers["sources_more"] == "https://example.org/drivers/7 | https://example.org/drivers/8"


@pytest.mark.django_db
def test_the_export_lists_cases_oldest_first(catalogue, anonymous):
    years = [r["year"] for r in rows(export(anonymous))]
    assert years == ["2013", "2014", "2021", "2023", "2023"]


@pytest.mark.django_db
def test_the_portable_export_leaves_out_the_instance_columns(catalogue, anonymous):
    header = rows(export(anonymous, portable="1"))[0].keys()
    assert not {"id", "url", "updated_at"} & set(header)


@pytest.mark.django_db
def test_the_json_export_carries_the_external_ids(varied, anonymous):
    items = json.loads(export(anonymous, "/export/cases.json"))["items"]
    kenya = next(i for i in items if i["id"] == varied.cases["kenya"].pk)
    assert kenya["external_ids"] == ["aiid:1", "aiaaic:AIAAIC0001"]


@pytest.mark.django_db
def test_the_mapping_names_each_imported_taxonomy_with_create(varied, anonymous):
    raw = tomllib.loads(anonymous.get("/export/mapping.toml").content.decode())
    sector = next(t for t in raw["terms"] if t["taxonomy"] == "tracker_sector")
    assert sector == {"column": "terms_tracker_sector", "taxonomy": "tracker_sector",
                      "taxonomy_name": "Sector (tracker)", "create": True, "facet": False}


def test_the_shipped_example_is_the_mapping_of_an_instance_with_the_built_in_taxonomies():
    shipped = (DOCS / "examples" / "export.toml").read_text(encoding="utf-8")
    assert shipped == mapping_toml(CsvLayout(BUILT_IN_KEYS, portable=False), {})
