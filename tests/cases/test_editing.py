"""Writing cases: finding actors by name, slug or alias, and checking the terms a case names."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from visiblework.cases.editing import (
    clean_case_data,
    find_actor,
    merge_actors,
    revert_case,
    save_case,
    snapshot,
)
from visiblework.cases.models import Actor, ActorAlias

from .plans import statements, table_scans

CASE = {"title": "A case", "summary": "What happened.", "status": "published"}


@pytest.mark.django_db
def test_an_actor_is_found_by_its_name_in_any_case_its_slug_or_an_alias():
    acme = Actor.objects.create(slug="acme-corp", name="Acme Corp")
    ActorAlias.objects.create(actor=acme, name="ACME Corporation")
    other = Actor.objects.create(slug="umbrella", name="Umbrella")
    ActorAlias.objects.create(actor=other, name="Old Umbrella", slug="old-umbrella")
    assert find_actor("acme corp") == acme
    assert find_actor("  ACME CORP ") == acme
    assert find_actor("acme-corp") == acme
    assert find_actor("Acme  Corp!") == acme  # by its slug form
    assert find_actor("acme corporation") == acme
    assert find_actor("old-umbrella") == other
    assert find_actor("Acme") is None
    assert find_actor("") is None


@pytest.mark.django_db
def test_percent_signs_and_underscores_in_a_name_are_only_characters():
    Actor.objects.create(slug="a1", name="100x Labs")
    Actor.objects.create(slug="a2", name="Data_Co")
    assert find_actor("100% Labs") is None
    assert find_actor("___x Labs") is None
    assert find_actor("data_co").slug == "a2"
    assert find_actor("Data%") is None


@pytest.mark.django_db
def test_finding_an_actor_seeks_in_indexes_instead_of_reading_every_actor():
    Actor.objects.create(slug="acme-corp", name="Acme Corp")
    with statements() as run:
        assert find_actor("Nobody Known") is None  # the actors, then the aliases
    assert len(run) == 2
    assert [table_scans(sql, params) for sql, params in run.run] == [[], []]


@pytest.mark.django_db
def test_a_case_naming_a_term_that_does_not_exist_is_refused(vocabularies):
    clean = clean_case_data({**CASE, "terms": {"region": ["global-south"]}})
    assert clean["terms"] == {"region": ["global-south"]}
    with pytest.raises(ValidationError) as refused:
        # the first is a term of another taxonomy; the second is no term at all
        clean_case_data({**CASE, "terms": {"region": ["annotation", "global-south", "nowhere"]}})
    assert refused.value.message_dict == {
        "region": ["Unknown term: annotation", "Unknown term: nowhere"]}
    with pytest.raises(ValidationError):
        clean_case_data({**CASE, "terms": {"no_such_taxonomy": ["global-south"]}})
    assert clean_case_data({**CASE, "terms": {"region": []}})["terms"] == {}


@pytest.mark.django_db
def test_a_saved_case_has_exactly_the_terms_it_names(vocabularies):
    case = save_case({**CASE, "terms": {"region": ["global-south"], "layer": ["annotation"]}},
                     summary="Created")
    assert sorted(case.terms.values_list("taxonomy__key", "slug")) == [
        ("layer", "annotation"), ("region", "global-south")]
    save_case({**CASE, "terms": {"layer": ["annotation", "content-moderation"]}}, case=case,
              summary="Edited")
    assert sorted(case.terms.values_list("taxonomy__key", "slug")) == [
        ("layer", "annotation"), ("layer", "content-moderation")]


@pytest.mark.parametrize(("year", "year_end", "message"), [
    (2021, 2019, "The last year cannot come before the year."),
    (None, 2021, "A last year needs a year to start from."),
    (2019, 2200, "Give a last year between 1900 and 2100.")])
def test_a_last_year_must_come_after_the_year(year, year_end, message):
    with pytest.raises(ValidationError) as caught:
        clean_case_data({**CASE, "year": year, "year_end": year_end})
    assert caught.value.message_dict["year_end"] == [message]


def test_a_last_year_equal_to_the_year_is_no_span():
    assert clean_case_data({**CASE, "year": 2019, "year_end": 2019})["year_end"] is None


@pytest.mark.django_db
def test_the_last_year_is_saved_kept_in_the_revision_and_brought_back_by_a_revert(editor_user):
    case = save_case({**CASE, "year": 2019, "year_end": 2021}, summary="first")
    assert (case.year_end, case.years) == (2021, "2019\u20132021")
    first = case.revisions.get()
    assert first.data["year_end"] == 2021
    save_case({**snapshot(case), "year_end": None}, case=case, summary="one year")
    revert_case(case, first, editor_user)
    case.refresh_from_db()
    assert case.year_end == 2021


@pytest.mark.django_db
def test_case_data_holding_a_nul_character_is_refused_before_any_query(vocabularies):
    with pytest.raises(ValidationError) as caught:
        clean_case_data({"title": "T", "summary": "S", "terms": {"impact": ["a\x00b"]}})
    assert list(caught.value.message_dict) == ["terms"]


def _help_profile(actor: Actor):
    from visiblework.voice.models import HelpProfile

    return HelpProfile.objects.create(actor=actor, summary="Helps data workers.",
                                      worldwide=True)


@pytest.mark.django_db
def test_merging_an_actor_that_workers_reported_moves_their_reports_to_the_survivor(
        catalogue, editor_user):
    from visiblework.reports.models import Report
    from visiblework.reports.services import submit_report

    duplicate = Actor.objects.create(slug="sama-ai", name="Sama AI", kind="vendor")
    report = submit_report({
        "platform": "Sama AI", "task_type": "text_annotation", "country": "KE", "year": 2023,
        "quarter": 2, "pay_amount": "150", "currency": "USD", "pay_basis": "per_month",
        "paid_hours": "80"}).report
    assert report.platform == duplicate
    merge_actors(duplicate, catalogue.actors["sama"], editor_user)  # PROTECT stopped it before
    assert Report.objects.get(pk=report.pk).platform == catalogue.actors["sama"]


@pytest.mark.django_db
def test_merging_moves_the_help_profile_of_the_merged_actor(catalogue, editor_user):
    duplicate = Actor.objects.create(slug="sama-ai", name="Sama AI", kind="vendor")
    profile = _help_profile(duplicate)
    merge_actors(duplicate, catalogue.actors["sama"], editor_user)
    profile.refresh_from_db()
    assert profile.actor == catalogue.actors["sama"]


@pytest.mark.django_db
def test_a_merge_where_both_actors_have_a_help_profile_stops_and_changes_nothing(
        catalogue, editor_user):
    duplicate = Actor.objects.create(slug="sama-ai", name="Sama AI", kind="vendor")
    _help_profile(duplicate)
    _help_profile(catalogue.actors["sama"])
    with pytest.raises(ValidationError, match="both have a"):
        merge_actors(duplicate, catalogue.actors["sama"], editor_user)
    assert Actor.objects.filter(slug="sama-ai").exists()
    assert duplicate.help_profile.summary == "Helps data workers."


@pytest.mark.django_db
def test_the_merge_audit_entry_names_the_kinds_of_rows_moved_but_not_how_many(
        catalogue, editor_user):
    from visiblework.core.models import AuditEntry

    duplicate = Actor.objects.create(slug="sama-ai", name="Sama AI", kind="vendor")
    _help_profile(duplicate)
    merge_actors(duplicate, catalogue.actors["sama"], editor_user)
    assert AuditEntry.objects.get(action="merge").data["moved"] == ["voice.helpprofile"]
