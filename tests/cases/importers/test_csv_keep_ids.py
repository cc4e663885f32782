"""`[source] keep_ids = true`: ids that are already external ids (an export's) are kept as
they are, with the ids of merged duplicates after the first."""

from __future__ import annotations

import pytest

from visiblework.cases.importers import CsvImport, MappingError, load_mapping
from visiblework.cases.models import Case, CaseExternalId

MAPPING = """
[source]
name = "export"
id_column = "ids"
keep_ids = true
[fields]
title = "title"
summary = "summary"
"""


def run(tmp_path, text: str, mapping: str = MAPPING):
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    return CsvImport(tmp_path / "in.csv", load_mapping(tmp_path / "map.toml")).run()


@pytest.mark.django_db
def test_kept_ids_are_not_prefixed_with_the_source_name(vocabularies, tmp_path):
    run(tmp_path, "ids,title,summary\naiid:23,T,S\n")
    assert Case.objects.get().external_id == "aiid:23"


@pytest.mark.django_db
def test_the_ids_after_the_first_become_merged_ids(vocabularies, tmp_path):
    run(tmp_path, "ids,title,summary\naiid:23; aiaaic:A1,T,S\n")
    assert list(CaseExternalId.objects.values_list("case__external_id", "external_id")) == [
        ("aiid:23", "aiaaic:A1")]


@pytest.mark.django_db
def test_a_merged_id_another_case_has_is_left_out_with_a_warning(vocabularies, tmp_path):
    stats = run(tmp_path, "ids,title,summary\naiaaic:A1,T,S\naiid:23; aiaaic:A1,T2,S2\n")
    assert (stats.created, stats.warnings) == (2, 1)
    assert not CaseExternalId.objects.exists()


@pytest.mark.django_db
def test_an_id_not_of_the_form_name_colon_id_skips_the_row(vocabularies, tmp_path):
    stats = run(tmp_path, "ids,title,summary\n23,T,S\n")
    assert stats.skipped == 1 and "name:id" in stats.problems[0].message


def test_keep_ids_without_an_id_column_is_a_mapping_error(tmp_path):
    (tmp_path / "map.toml").write_text(MAPPING.replace('id_column = "ids"\n', ""))
    with pytest.raises(MappingError, match="keep_ids needs an id_column"):
        load_mapping(tmp_path / "map.toml")
