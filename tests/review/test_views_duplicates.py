"""The editors' list of possible duplicates: who may see it and act on it; merge and dismiss
in one click."""

import pytest
from django.utils.html import escape

from tests.conftest import make_case
from visiblework.cases.duplicates import find_duplicates
from visiblework.cases.models import CaseStatus, DuplicateStatus, DuplicateSuggestion
from visiblework.core.models import Job


@pytest.fixture
def suggestion(catalogue) -> DuplicateSuggestion:
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
              summary="The same story.")
    find_duplicates()
    return DuplicateSuggestion.objects.get()


@pytest.mark.django_db
def test_the_page_lists_each_pair_with_both_titles(suggestion, editor):
    html = editor.get("/review/duplicates/").content.decode()
    assert escape(suggestion.first.title) in html and escape(suggestion.second.title) in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [("anonymous", 302), ("worker", 403)])
def test_the_page_is_for_editors_only(request, suggestion, persona, expected):
    client = request.getfixturevalue(persona)
    assert client.get("/review/duplicates/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_merge_dismiss_or_search(request, suggestion, persona):
    client = request.getfixturevalue(persona)
    pk = suggestion.pk
    assert client.post(f"/review/duplicates/{pk}/merge/",
                       {"keep": suggestion.first_id}).status_code in (302, 403)
    assert client.post(f"/review/duplicates/{pk}/dismiss/").status_code in (302, 403)
    assert client.post("/review/duplicates/search/").status_code in (302, 403)
    suggestion.refresh_from_db()
    assert suggestion.status == DuplicateStatus.OPEN and not Job.objects.exists()


@pytest.mark.django_db
def test_one_click_merges_the_other_case_into_the_one_kept(suggestion, editor):
    response = editor.post(f"/review/duplicates/{suggestion.pk}/merge/",
                           {"keep": suggestion.first_id})
    assert response.status_code == 302
    suggestion.second.refresh_from_db()
    assert suggestion.second.status == CaseStatus.RETRACTED
    assert suggestion.second.merged_into_id == suggestion.first_id


@pytest.mark.django_db
def test_merging_keeping_a_case_outside_the_pair_is_refused(suggestion, editor, catalogue):
    response = editor.post(f"/review/duplicates/{suggestion.pk}/merge/",
                           {"keep": catalogue.cases["kenya"].pk}, follow=True)
    assert "Choose one of the two cases to keep." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == DuplicateStatus.OPEN


@pytest.mark.django_db
def test_merging_with_a_bad_keep_value_is_refused_with_a_message(suggestion, editor):
    response = editor.post(f"/review/duplicates/{suggestion.pk}/merge/", {"keep": "x"},
                           follow=True)
    assert response.status_code == 200
    assert "Choose one of the two cases to keep." in response.content.decode()


@pytest.mark.django_db
def test_a_dismissed_pair_leaves_the_list(suggestion, editor):
    editor.post(f"/review/duplicates/{suggestion.pk}/dismiss/")
    html = editor.get("/review/duplicates/").content.decode()
    assert "No possible duplicates are waiting." in html


@pytest.mark.django_db
def test_the_search_runs_as_a_job(catalogue, editor, jobs_run_here,
                                  django_capture_on_commit_callbacks):
    make_case("other", title="Amazon's AI recruiting tool penalised women", year=2015,
              summary="S.")
    with django_capture_on_commit_callbacks(execute=True):
        editor.post("/review/duplicates/search/")
    assert jobs_run_here == [["findduplicates"]]
    assert Job.objects.get().state == "done" and DuplicateSuggestion.objects.count() == 1
