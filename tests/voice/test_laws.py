"""The table of laws: every law of the design, every request, each right cited with sources,
and no right invented where a law has none."""

import pytest

from visiblework.voice.laws import LAWS, REQUESTS, Missing, Right

DESIGN_LAWS = ["gdpr", "uk_gdpr", "ccpa", "kenya_dpa", "lgpd", "dpdp", "ndpa"]
DESIGN_REQUESTS = ["access", "objection", "erasure", "human_review"]


def test_it_lists_exactly_the_laws_and_requests_of_the_design():
    assert list(LAWS) == DESIGN_LAWS
    assert list(REQUESTS) == DESIGN_REQUESTS


@pytest.mark.parametrize("key", DESIGN_LAWS)
def test_every_law_answers_every_request_with_a_right_or_a_reason(key):
    law = LAWS[key]
    assert set(law.rights) == set(DESIGN_REQUESTS)
    for request, right in law.rights.items():
        assert isinstance(right, Right | Missing), (key, request)
        if isinstance(right, Right):
            assert right.provisions and right.sources, (key, request)
        else:
            assert str(right.reason), (key, request)


@pytest.mark.parametrize("key", DESIGN_LAWS)
def test_every_law_cites_a_deadline_and_sources_with_an_address_and_a_title(key):
    law = LAWS[key]
    assert str(law.deadline.text) and law.deadline.sources
    for source in law.all_sources():
        assert source.url.startswith("https://") and source.title


def test_the_gdpr_cites_the_articles_of_the_design():
    gdpr = LAWS["gdpr"]
    assert "Art. 15(1)(h)" in gdpr.rights["access"].provisions
    assert gdpr.rights["objection"].provisions == ("Art. 21",)
    assert gdpr.rights["erasure"].provisions == ("Art. 17",)
    assert "Art. 22" in gdpr.rights["human_review"].provisions
    assert "Article 12(3)" in str(gdpr.deadline.text) and "one month" in str(gdpr.deadline.text)


def test_the_ccpa_and_lgpd_deadlines_are_the_statutory_ones():
    assert "45 days" in str(LAWS["ccpa"].deadline.text)
    assert "15 days" in str(LAWS["lgpd"].deadline.text)
    assert "Article 19" in str(LAWS["lgpd"].deadline.text)


def test_it_says_honestly_where_a_law_has_no_such_right():
    assert isinstance(LAWS["dpdp"].rights["human_review"], Missing)
    assert isinstance(LAWS["ccpa"].rights["human_review"], Missing)
    # India has no right to object: the letter withdraws consent instead, and says so.
    objection = LAWS["dpdp"].rights["objection"]
    assert objection.provisions == ("s. 6(4)",) and "no right to object" in str(objection.note)
