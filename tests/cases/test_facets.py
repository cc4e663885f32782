"""Facet counts and combinations against the known catalogue (see conftest.catalogue)."""

import pytest

from visiblework.cases.services import BrowseQuery, browse


def counts(result, key):
    facet = next(f for f in result.facets if f.key == key)
    return {v.value: v.count for v in facet.values}


def titles(result):
    return {case.slug for case in result.cases}


@pytest.mark.django_db
def test_it_counts_every_facet_over_published_cases_only(catalogue):
    result = browse(BrowseQuery())
    assert result.count == 5
    assert counts(result, "justice_area") == {
        "economic-justice": 5, "human-rights": 1, "gender-justice": 1}
    assert counts(result, "region") == {"global-north": 3, "global-south": 2}
    assert counts(result, "country") == {"US": 4, "KE": 1, "MG": 1}
    assert counts(result, "actor") == {"amazon": 2, "sama": 2, "openai": 1, "michigan-uia": 1}
    assert counts(result, "year") == {"2023": 2, "2021": 1, "2014": 1, "2013": 1}
    assert counts(result, "layer")["content-moderation"] == 1


@pytest.mark.django_db
def test_it_combines_facets_with_and(catalogue):
    result = browse(BrowseQuery(filters={"justice_area": ["economic-justice"],
                                         "region": ["global-south"]}))
    assert titles(result) == {"kenya", "madagascar"}
    assert counts(result, "country") == {"KE": 1, "US": 1, "MG": 1}
    result = browse(BrowseQuery(filters={"region": ["global-south"], "country": ["MG"]}))
    assert titles(result) == {"madagascar"}
    result = browse(BrowseQuery(filters={"actor": ["amazon"], "justice_area": ["gender-justice"]}))
    assert titles(result) == {"recruiting"}


@pytest.mark.django_db
def test_two_values_of_one_facet_must_both_match_but_years_are_alternatives(catalogue):
    both = browse(BrowseQuery(filters={"justice_area": ["economic-justice", "gender-justice"]}))
    assert titles(both) == {"recruiting"}
    years = browse(BrowseQuery(filters={"year": ["2013", "2014"]}))
    assert titles(years) == {"midas", "recruiting"}


@pytest.mark.django_db
def test_an_unknown_facet_value_matches_nothing_and_keeps_the_value_listed(catalogue):
    result = browse(BrowseQuery(filters={"country": ["ZZ"]}))
    assert result.count == 0
    assert result.cases == []


@pytest.mark.django_db
def test_the_index_follows_writes(catalogue):
    assert browse(BrowseQuery(filters={"country": ["MG"]})).count == 1
    case = catalogue.cases["drivers"]
    case.countries.create(code="MG")
    assert browse(BrowseQuery(filters={"country": ["MG"]})).count == 2
    case.status = "retracted"
    case.save()
    assert browse(BrowseQuery(filters={"country": ["MG"]})).count == 1
    assert browse(BrowseQuery()).count == 4


@pytest.mark.django_db
def test_cursor_pages_cover_every_case_once_in_browse_order(catalogue):
    seen, cursor = [], None
    while True:
        result = browse(BrowseQuery(limit=2, cursor=cursor))
        seen.extend(case.slug for case in result.cases)
        cursor = result.next_cursor
        if cursor is None:
            break
    assert seen == ["madagascar", "kenya", "drivers", "recruiting", "midas"]


@pytest.mark.django_db
def test_facet_lists_are_bounded(catalogue, settings):
    settings.VISIBLEWORK_FACET_VALUES = 2
    result = browse(BrowseQuery())
    facet = next(f for f in result.facets if f.key == "actor")
    assert len(facet.values) == 2 and facet.truncated
    expanded = browse(BrowseQuery(expand="actor"))
    facet = next(f for f in expanded.facets if f.key == "actor")
    assert len(facet.values) == 4 and not facet.truncated


def test_counting_a_few_positions_agrees_with_counting_the_whole_mask():
    import numpy as np

    from visiblework.cases.facets import YEAR, Facet, Slots

    rng = np.random.default_rng(7)
    n = 1_000
    pairs = sorted({(int(p), int(v)) for p, v in zip(rng.integers(0, n, 3_000),
                                                     rng.integers(0, 40, 3_000), strict=True)})
    facet = Facet.build("impact", [f"v{i:02d}" for i in range(40)], pairs,
                        Slots.of(np.arange(n)))
    for size in (0, 1, 5, 60, 124):
        selected = np.sort(rng.choice(n, size, replace=False))
        mask = np.zeros(n, dtype=bool)
        mask[selected] = True
        assert facet.counts(mask, selected).tolist() == facet.counts(mask).tolist()
    years = Facet.build(YEAR, ["2019", "2024", "2021"], [(0, 0), (1, 1), (2, 2)],
                        Slots.of(np.arange(3)))
    assert years.value_rank.tolist() == [2, 0, 1]  # newest first
