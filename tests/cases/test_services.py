"""Reading services that the pages and the API share: the browse query (sort, year range,
its validation), the timeline and the filters to drop when nothing matches, related cases
(list rows: test_rows.py)."""

import pytest
from django.http import QueryDict

from visiblework.cases import search
from visiblework.cases.editing import save_case, snapshot
from visiblework.cases.services import BrowseQuery, browse, related_cases, suggest_spelling

# Published cases by year: kenya 2023, madagascar 2023, drivers 2021, recruiting 2014, midas 2013.


def slugs(**kwargs) -> list[str]:
    return [c.slug for c in browse(BrowseQuery.build(filters={}, limit=20, **kwargs)).cases]


@pytest.mark.django_db
def test_without_a_search_cases_are_newest_first_or_oldest_first_when_asked(catalogue):
    assert slugs() == ["madagascar", "kenya", "drivers", "recruiting", "midas"]
    assert slugs(sort="oldest") == ["midas", "recruiting", "drivers", "kenya", "madagascar"]


@pytest.mark.django_db
def test_cases_without_a_year_come_last_in_either_order(catalogue):
    undated = catalogue.cases["drivers"]
    undated.year, undated.date = None, ""
    undated.save()
    assert slugs()[-1] == "drivers"
    assert slugs(sort="oldest")[-1] == "drivers"


@pytest.mark.django_db
def test_a_search_is_best_match_first_unless_newest_or_oldest_is_asked(catalogue):
    assert slugs(q="workers")[0] == "kenya"  # in its title
    assert slugs(q="workers", sort="newest") == ["madagascar", "kenya"]
    assert slugs(q="workers", sort="oldest") == ["kenya", "madagascar"]


@pytest.mark.django_db
def test_a_year_range_keeps_the_cases_of_those_years_with_the_facets_and_the_search(catalogue):
    assert slugs(year_from="2014", year_to="2021") == ["drivers", "recruiting"]
    assert slugs(year_from=2021) == ["madagascar", "kenya", "drivers"]
    assert slugs(year_to=2013) == ["midas"]
    result = browse(BrowseQuery.build(filters={"region": ["global-north"]}, limit=20,
                                      year_from=2014))
    assert [c.slug for c in result.cases] == ["drivers", "recruiting"]
    assert slugs(q="amazon", year_to=2020) == ["recruiting"]


@pytest.mark.django_db
def test_a_year_range_pages_through_every_match_once(catalogue):
    query = BrowseQuery.build(filters={}, limit=2, year_from=2013, sort="oldest")
    first = browse(query)
    query.cursor = first.next_cursor
    second = browse(query)
    assert [c.slug for c in first.cases + second.cases] == [
        "midas", "recruiting", "drivers", "kenya"]


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "words"), [
    ("year_from=abc", "not a year"), ("year_to=1066", "outside"), ("sort=best", "sort"),
    ("year_from=2023&year_to=2013", "ends before it starts"), ("year_from=" + "9" * 400, "year"),
])
def test_bad_sorts_and_years_are_dropped_with_a_message(catalogue, params, words):
    query = BrowseQuery.from_querydict(QueryDict(params), [])
    assert len(query.errors) == 1 and words in query.errors[0]
    assert (query.sort, query.year_from, query.year_to) == ("", None, None)
    assert browse(query).count == 5


@pytest.mark.django_db
def test_the_timeline_counts_the_matching_cases_of_each_year_with_the_years_between(catalogue):
    result = browse(BrowseQuery.build(filters={"region": ["global-north"]}, limit=20))
    assert result.timeline[0] == (2013, 1) and result.timeline[-1] == (2021, 1)
    assert dict(result.timeline)[2014] == 1 and dict(result.timeline)[2017] == 0
    assert len(result.timeline) == 2021 - 2013 + 1
    assert browse(BrowseQuery.build(q="madagascar", filters={}, limit=20)).timeline == [
        (2023, 1)]


@pytest.mark.django_db
def test_when_nothing_matches_each_filter_says_what_dropping_it_would_give(catalogue):
    query = BrowseQuery.build(q="workers", filters={"region": ["global-north"]}, limit=20,
                              year_from=2020)
    result = browse(query)
    assert result.count == 0
    found = {(r.key, r.value): r.count for r in result.relaxations}
    assert found == {("q", "workers"): 1, ("years", "2020–"): 0,
                     ("region", "global-north"): 2}


@pytest.mark.django_db
def test_a_misspelt_search_that_finds_nothing_suggests_a_known_spelling(catalogue):
    query = BrowseQuery.build(q="moderashun", filters={}, limit=20)
    assert browse(query).count == 0
    assert suggest_spelling(query) == ("moderation", 1)
    assert suggest_spelling(BrowseQuery.build(q="zzzzqqq", filters={}, limit=20)) is None


@pytest.mark.django_db
def test_related_cases_share_terms_and_actors_and_never_include_the_case_itself(catalogue):
    kenya = catalogue.cases["kenya"]
    related = [c.slug for c in related_cases(kenya)]
    assert related[0] == "madagascar"  # same region, justice area and vendor
    assert "kenya" not in related
    assert "draft" not in related and "retracted" not in related


@pytest.mark.django_db
def test_shared_words_in_title_and_summary_raise_a_related_case(catalogue):
    drivers = catalogue.cases["drivers"]
    related = [c.slug for c in related_cases(drivers)]
    assert related.index("recruiting") < related.index("midas")  # recruiting shares Amazon
    midas = catalogue.cases["midas"]
    midas.summary = "Drivers must complete unpaid homework training after camera alerts."
    midas.save()
    related = [c.slug for c in related_cases(drivers)]
    assert related.index("midas") < related.index("recruiting")



@pytest.mark.django_db
def test_a_search_asked_again_with_other_filters_reads_the_full_text_index_once(
        catalogue, monkeypatch):
    backend = search.get_backend()
    calls = []
    original = type(backend).search

    def counted(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(backend), "search", counted)
    assert slugs(q="workers") == slugs(q="workers")
    assert slugs(q="workers", sort="oldest") == list(reversed(slugs(q="workers", sort="newest")))
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_search_kept_from_before_follows_an_edit_of_the_catalogue(catalogue):
    assert slugs(q="toxic") == ["kenya"]
    midas = catalogue.cases["midas"]
    save_case({**snapshot(midas), "summary": "Toxic accusations of fraud."}, case=midas,
              summary="edit")
    assert sorted(slugs(q="toxic")) == ["kenya", "midas"]
