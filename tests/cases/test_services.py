"""Reading services that the pages and the API share: related cases (list rows: test_rows.py)."""

import pytest

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

