"""Reading services that the pages and the API share: list rows and related cases."""

import pytest

from visiblework.cases.rows import case_rows
from visiblework.cases.services import related_cases


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
def test_list_rows_keep_the_order_asked_for_and_drop_unpublished_cases(catalogue):
    ids = [catalogue.cases[s].pk for s in ("midas", "draft", "kenya", "retracted")]
    rows = case_rows([*ids, 10_000_000], full=True)
    assert [r.slug for r in rows] == ["midas", "kenya"]
    kenya = rows[1]
    assert [a.slug for a in kenya.actors] == ["openai", "sama"]
    assert set(kenya.countries) == {"KE", "US"}
    assert kenya.sources and kenya.sources[0].url.startswith("https://time.com/")
    assert kenya.get_absolute_url() == catalogue.cases["kenya"].get_absolute_url()
