"""The seed content written from the founding documents."""

import pytest

from visiblework.cases.models import Case, CaseStatus
from visiblework.cases.seed import load_seed

REQUIRED = {
    # phrase that must appear in some case's title or summary (case-insensitive)
    "recaptcha", "netradyne", "madagascar", "syria", "2,830", "kenya", "venezuela",
    "recruit", "midas", "wealth gap", "medicare",
}


@pytest.mark.django_db
def test_the_seed_loads_every_required_case_with_sources_and_tags(vocabularies):
    stats = load_seed()
    assert stats.cases >= 15
    cases = list(Case.published.prefetch_related("terms__taxonomy", "sources", "case_actors"))
    text = " ".join(f"{c.title} {c.summary} {c.body}".lower() for c in cases)
    for phrase in REQUIRED:
        assert phrase in text, phrase
    for case in cases:
        keys = {t.taxonomy.key for t in case.terms.all()}
        assert {"justice_area", "region"} <= keys, case.title
        assert case.sources.exists(), case.title
        assert case.case_actors.exists(), case.title
        assert "lorem" not in case.body.lower()


@pytest.mark.django_db
def test_loading_the_seed_twice_changes_nothing(vocabularies):
    load_seed()
    before = sorted(Case.objects.values_list("id", "title", "status"))
    load_seed()
    assert sorted(Case.objects.values_list("id", "title", "status")) == before
    assert all(status == CaseStatus.PUBLISHED for _, _, status in before)
