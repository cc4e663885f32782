"""Possible duplicate cases: found in bounded passes, stored once, merged or dismissed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import make_case
from visiblework.cases import duplicates
from visiblework.cases.duplicates import find_duplicates, likeness, merge_cases, title_words
from visiblework.cases.importers.merge import Ownership
from visiblework.cases.importers.writing import Importer, Incoming
from visiblework.cases.models import (
    CaseExternalId,
    CaseStatus,
    DuplicateReason,
    DuplicateStatus,
    DuplicateSuggestion,
    Revision,
)
from visiblework.core.models import AuditAction, AuditEntry

TITLE = "Amazon scraps secret AI recruiting tool that showed bias against women"


def pairs() -> set[tuple[int, int, str]]:
    return set(DuplicateSuggestion.objects.values_list("first_id", "second_id", "reason"))


def test_title_words_ignore_case_accents_plurals_and_common_words():
    assert title_words("The Moderators of Nairobi, and a Résumé") == {
        "moderator", "nairobi", "resume"}


def test_titles_sharing_most_of_the_shorter_titles_words_are_alike():
    assert likeness(title_words(TITLE), title_words("Amazon AI recruiting tool biased against "
                                                    "women")) >= 0.75


@pytest.mark.django_db
def test_a_like_title_a_year_apart_is_suggested(catalogue):
    recruiting = catalogue.cases["recruiting"]
    other = make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
                      summary="The same story.")
    find_duplicates()
    assert pairs() == {(recruiting.pk, other.pk, DuplicateReason.SIMILAR_TITLE)}


@pytest.mark.django_db
def test_a_like_title_two_years_apart_is_not_suggested(catalogue):
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2016,
              summary="Another story.")
    find_duplicates()
    assert pairs() == set()


@pytest.mark.django_db
def test_cases_citing_the_same_address_are_suggested_whatever_their_titles(catalogue):
    kenya = catalogue.cases["kenya"]
    other = make_case("other", title="Workers behind a chatbot", year=2019, summary="S.",
                      sources=[{"url": "https://time.com/6247678/", "title": "TIME"}])
    find_duplicates()
    assert pairs() == {(kenya.pk, other.pk, DuplicateReason.SAME_SOURCE)}


@pytest.mark.django_db
def test_an_address_cited_by_many_cases_suggests_no_pairs(catalogue, monkeypatch):
    monkeypatch.setattr(duplicates, "MAX_CASES_PER_LINK", 2)
    for n in range(2):
        make_case(f"c{n}", title=f"Case number {n}", year=2000 + 5 * n, summary="S.",
                  sources=[{"url": "https://time.com/6247678/", "title": "TIME"}])
    find_duplicates()
    assert pairs() == set()


@pytest.mark.django_db
def test_retracted_cases_take_no_part(catalogue):
    make_case("other", title="A retracted case about Kenya again", year=2020, summary="S.",
              status=CaseStatus.PUBLISHED)
    find_duplicates()
    assert pairs() == set()


@pytest.mark.django_db
def test_a_dismissed_pair_stays_dismissed_when_found_again(catalogue, editor_user):
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
              summary="S.")
    find_duplicates()
    duplicates.dismiss(DuplicateSuggestion.objects.get(), editor_user)
    stats = find_duplicates()
    assert stats.new == 0
    assert list(DuplicateSuggestion.objects.values_list("status", flat=True)) == [
        DuplicateStatus.DISMISSED]


@pytest.mark.django_db
def test_dismissing_is_audited(catalogue, editor_user):
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
              summary="S.")
    find_duplicates()
    duplicates.dismiss(DuplicateSuggestion.objects.get(), editor_user)
    assert AuditEntry.objects.filter(action=AuditAction.DISMISS, user=editor_user).exists()


@pytest.mark.django_db
def test_the_search_for_given_cases_finds_their_like_titles_a_year_either_side(catalogue):
    recruiting = catalogue.cases["recruiting"]  # 2014
    other = make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
                      summary="The same story.")
    stats = duplicates.find_duplicates_of([other.pk])
    assert pairs() == {(recruiting.pk, other.pk, DuplicateReason.SIMILAR_TITLE)}
    assert (stats.similar_title, stats.new) == (1, 1)


@pytest.mark.django_db
def test_the_search_for_given_cases_finds_the_cases_citing_their_sources(catalogue):
    kenya = catalogue.cases["kenya"]
    other = make_case("other", title="Workers behind a chatbot", year=2019, summary="S.",
                      sources=[{"url": "https://time.com/6247678/", "title": "TIME"}])
    stats = duplicates.find_duplicates_of([other.pk])
    assert pairs() == {(kenya.pk, other.pk, DuplicateReason.SAME_SOURCE)}
    assert (stats.same_source, stats.new) == (1, 1)


@pytest.mark.django_db
def test_the_search_for_given_cases_leaves_the_other_pairs_alone(catalogue):
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
              summary="S.")
    unrelated = make_case("unrelated", title="A chatbot answered for its owner", year=2019,
                          summary="S.")
    assert duplicates.find_duplicates_of([unrelated.pk]).new == 0
    assert pairs() == set()


@pytest.mark.django_db
def test_the_search_for_many_cases_is_the_whole_search(catalogue, monkeypatch):
    monkeypatch.setattr(duplicates, "MAX_TARGETED", 1)
    recruiting = catalogue.cases["recruiting"]
    other = make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
                      summary="S.")
    unrelated = make_case("unrelated", title="A chatbot answered for its owner", year=2019,
                          summary="S.")
    duplicates.find_duplicates_of([unrelated.pk, catalogue.cases["kenya"].pk])
    assert pairs() == {(recruiting.pk, other.pk, DuplicateReason.SIMILAR_TITLE)}


@pytest.fixture
def pair(catalogue):
    """The recruiting case, and a duplicate from another source with more in it."""
    kept = catalogue.cases["recruiting"]
    kept.external_id = "aiid:37"
    kept.save()
    duplicate = make_case(
        "other", title="Amazon's AI recruiting tool penalised women", year=2015, summary="S.",
        terms={"impact": ["discrimination", "economic-harm-and-inequity"]},
        countries=["GB"], actors=[(catalogue.actors["amazon"], "deployer")],
        sources=[{"url": "https://example.org/reuters", "title": "Same address"},
                 {"url": "https://example.org/aiaaic", "title": "AIAAIC entry"}])
    duplicate.external_id = "aiaaic:AIAAIC0100"
    duplicate.save()
    CaseExternalId.objects.create(case=duplicate, external_id="tracker:9")
    return kept, duplicate


@pytest.mark.django_db
def test_merging_folds_terms_countries_actors_and_sources_into_the_kept_case(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    kept.refresh_from_db()
    assert set(kept.terms.filter(taxonomy__key="impact").values_list("slug", flat=True)) == {
        "discrimination", "economic-harm-and-inequity"}
    assert set(kept.countries.values_list("code", flat=True)) == {"US", "GB"}
    assert set(kept.case_actors.values_list("actor__slug", "role")) == {
        ("amazon", "developer"), ("amazon", "deployer")}
    assert list(kept.sources.values_list("url", flat=True)) == [
        "https://example.org/reuters", "https://example.org/aiaaic"]


@pytest.mark.django_db
def test_merging_keeps_the_kept_cases_title(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    kept.refresh_from_db()
    assert kept.title == "A recruiting tool that penalised women"


@pytest.mark.django_db
def test_merging_moves_the_duplicates_external_ids_to_the_kept_case(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    duplicate.refresh_from_db()
    assert duplicate.external_id == ""
    assert set(kept.merged_ids.values_list("external_id", flat=True)) == {
        "aiaaic:AIAAIC0100", "tracker:9"}


@pytest.mark.django_db
def test_merging_retracts_the_duplicate_and_points_it_at_the_kept_case(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id) == (CaseStatus.RETRACTED, kept.pk)


@pytest.mark.django_db
def test_merging_writes_a_revision_of_each_case_and_an_audit_entry(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    assert Revision.objects.filter(case=kept, author=editor_user).exists()
    assert Revision.objects.filter(case=duplicate, author=editor_user).exists()
    entry = AuditEntry.objects.get(action=AuditAction.MERGE_CASES)
    assert entry.data == {"duplicate": duplicate.pk, "kept": kept.pk,
                          "external_ids": ["aiaaic:AIAAIC0100", "tracker:9"]}


@pytest.mark.django_db
def test_merging_marks_the_suggestion_merged(pair, editor_user):
    kept, duplicate = pair
    find_duplicates()
    suggestion = DuplicateSuggestion.objects.get()
    duplicates.merge_suggestion(suggestion, kept.pk, editor_user)
    suggestion.refresh_from_db()
    assert suggestion.status == DuplicateStatus.MERGED


@pytest.mark.django_db
def test_a_retracted_case_cannot_be_merged(catalogue, editor_user):
    with pytest.raises(ValidationError):
        merge_cases(catalogue.cases["retracted"], catalogue.cases["kenya"], editor_user)


@pytest.mark.django_db
def test_importing_the_duplicates_source_again_updates_the_kept_case(pair, editor_user):
    kept, duplicate = pair
    merge_cases(duplicate, kept, editor_user)
    row = Incoming(2, "aiaaic:AIAAIC0100", lambda warn: {
        "title": "Another title", "summary": "Another summary.", "countries": ["FR"]})
    importer = Importer(label="import csv aiaaic", source="aiaaic",
                        owns=Ownership(countries=True))
    stats = importer.run([row])
    kept.refresh_from_db()
    assert (stats.created, stats.updated) == (0, 1)
    assert list(kept.countries.values_list("code", flat=True)) == ["FR"]
    assert kept.title == "A recruiting tool that penalised women"
