"""The directory's rules: filters, matching, facets kept in step, the one check of facts,
suggestions through the contribution queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from visiblework.cases import contributions
from visiblework.cases.models import Actor, Contribution, ContributionStatus
from visiblework.core.models import AuditEntry
from visiblework.voice import help as services
from visiblework.voice.models import HelpFacet, HelpProfile

from .help_helpers import SOURCE, directory_fixture, facts  # noqa: F401


def slugs(profiles) -> list[str]:
    return [p.actor.slug for p in profiles]


def listed(query: str) -> list[str]:
    return slugs(services.directory(services.parse_filters(QueryDict(query))))


@pytest.mark.django_db
def test_without_filters_it_lists_every_published_organisation_by_name(directory):
    assert listed("") == ["global-research", "kenya-union", "uk-data-rights"]


@pytest.mark.django_db
def test_a_country_lists_those_serving_it_and_those_serving_every_country(directory):
    assert listed("country=KE") == ["global-research", "kenya-union"]
    assert listed("country=gb") == ["global-research", "uk-data-rights"]
    assert listed("country=FR") == ["global-research"]


@pytest.mark.django_db
def test_a_language_lists_those_working_in_it(directory):
    assert listed("language=sw") == ["kenya-union"]
    assert listed("language=pl") == ["uk-data-rights"]


@pytest.mark.django_db
def test_a_kind_of_work_lists_those_covering_it_or_every_kind(directory):
    assert listed("task_type=content_moderation") == ["global-research", "kenya-union",
                                                     "uk-data-rights"]
    assert listed("task_type=text_annotation") == ["global-research", "uk-data-rights"]


@pytest.mark.django_db
def test_a_kind_of_help_lists_those_giving_it(directory):
    assert listed("help=data_rights") == ["uk-data-rights"]
    assert listed("help=legal") == []  # only the unpublished organisation gives it


@pytest.mark.django_db
def test_filters_combine(directory):
    assert listed("country=KE&task_type=content_moderation&language=sw&help=organising") == [
        "kenya-union"]
    assert listed("country=KE&help=data_rights") == []


@pytest.mark.parametrize("query", ["country=XX", "country=Kenya", "language=zz",
                                   "task_type=mining", "help=money", "country=KE&country=GB"])
def test_it_refuses_unknown_filter_values_with_a_message(query):
    with pytest.raises(services.BadFilters) as caught:
        services.parse_filters(QueryDict(query))
    assert caught.value.messages


@pytest.mark.django_db
def test_matching_puts_organisations_naming_the_country_first(directory):
    assert slugs(services.organisations_for("KE", "content_moderation")) == [
        "kenya-union", "global-research"]
    assert slugs(services.organisations_for("GB", "text_annotation")) == [
        "uk-data-rights", "global-research"]
    assert services.organisations_for("", "") == []


@pytest.mark.django_db
def test_facets_follow_every_save(directory):
    profile = directory.kenya
    assert set(HelpFacet.objects.filter(profile=profile).values_list("key", "value")) == {
        ("country", "KE"), ("language", "sw"), ("language", "en"),
        ("task_type", "content_moderation"), ("help", "organising")}
    services.save_organisation(facts("Kenya Moderators Union", worldwide=True, countries=["UG"],
                                     languages=["sw"], help_kinds=["legal"]),
                               actor=profile.actor)
    assert set(HelpFacet.objects.filter(profile=profile).values_list("key", "value")) == {
        ("country", "*"), ("country", "UG"), ("language", "sw"), ("task_type", "*"),
        ("help", "legal")}
    assert listed("country=KE&help=legal") == ["kenya-union"]  # worldwide now
    assert listed("language=en&help=legal") == []


@pytest.mark.django_db
def test_the_check_strips_markup_and_refuses_bad_facts(vocabularies):
    clean = services.clean_organisation(facts("<b>Good</b> Org", summary="We <script>x</script>"
                                              "help.", countries=["ke"]))
    assert clean["name"] == "Good Org" and clean["summary"] == "We help."
    assert clean["countries"] == ["KE"]
    with pytest.raises(ValidationError) as caught:
        services.clean_organisation(facts("", countries=["QQ"], help_kinds=[], sources=[],
                                          contacts=[{"kind": "email", "value": "not-mail"}],
                                          task_types=["mining"], justice_areas=["nope"]))
    assert set(caught.value.message_dict) == {"name", "countries", "help_kinds", "sources",
                                              "contacts", "task_types", "justice_areas"}


@pytest.mark.django_db
def test_it_refuses_an_organisation_serving_no_country(vocabularies):
    with pytest.raises(ValidationError) as caught:
        services.clean_organisation(facts("Nowhere"))
    assert "countries" in caught.value.message_dict


@pytest.mark.django_db
def test_a_suggestion_waits_in_the_queue_with_a_tracking_code(vocabularies):
    submitted = services.suggest(facts("New Help", countries=["PH"]), note="<i>Hi</i>")
    contribution = submitted.contribution
    assert contribution.kind == "organisation" and contribution.status == "pending"
    assert contribution.note == "Hi"
    assert contributions.by_tracking_code(submitted.tracking_code) == contribution
    assert not Actor.objects.filter(name="New Help").exists()


@pytest.mark.django_db
def test_a_filled_honeypot_stores_the_suggestion_as_spam(vocabularies):
    submitted = services.suggest(facts("Spam", countries=["PH"]), honeypot="http://spam")
    assert submitted.contribution.status == ContributionStatus.SPAM


@pytest.mark.django_db
def test_accepting_a_suggestion_creates_the_organisation(vocabularies, editor_user):
    submitted = services.suggest(facts("New Help", countries=["PH"], help_kinds=["legal"]))
    profile = services.accept_suggestion(submitted.contribution, editor_user,
                                         submitted.contribution.payload, reason="Thanks")
    assert profile.actor.slug == "new-help" and profile.actor.kind == "organisation"
    assert listed("country=PH&help=legal") == ["new-help"]
    contribution = Contribution.objects.get(pk=submitted.contribution.pk)
    assert contribution.status == "accepted" and contribution.organisation == profile.actor
    assert AuditEntry.objects.filter(action="accept", user=editor_user).exists()
    with pytest.raises(ValidationError):  # decided once
        services.accept_suggestion(contribution, editor_user, contribution.payload)


@pytest.mark.django_db
def test_accepting_a_correction_updates_the_organisation(directory, editor_user):
    corrected = facts("Kenya Moderators Union", countries=["KE", "UG"],
                      contacts=[{"kind": "phone", "value": "+254 700 000000", "label": ""}])
    submitted = services.suggest(corrected, organisation=directory.kenya.actor)
    assert submitted.contribution.kind == "org_update"
    services.accept_suggestion(submitted.contribution, editor_user, submitted.contribution.payload)
    profile = HelpProfile.objects.get(pk=directory.kenya.pk)
    assert profile.countries == ["KE", "UG"]
    assert profile.contacts == [{"kind": "phone", "value": "+254 700 000000", "label": ""}]
    assert HelpProfile.objects.filter(actor__name="Kenya Moderators Union").count() == 1


@pytest.mark.django_db
def test_a_new_organisation_already_in_the_directory_is_refused(directory, editor_user):
    submitted = services.suggest(facts("Kenya Moderators Union", countries=["KE"]))
    with pytest.raises(ValidationError) as caught:
        services.accept_suggestion(submitted.contribution, editor_user,
                                   submitted.contribution.payload)
    assert "name" in caught.value.message_dict
    assert Contribution.objects.get(pk=submitted.contribution.pk).status == "pending"


@pytest.mark.django_db
def test_the_case_queue_will_not_accept_an_organisation_as_a_case(vocabularies, editor_user):
    submitted = services.suggest(facts("New Help", countries=["PH"]))
    with pytest.raises(ValidationError):
        contributions.accept(submitted.contribution, editor_user)
    with pytest.raises(ValidationError):
        contributions.submit({"title": "T", "summary": "S"}, kind="organisation")


def test_sources_need_a_web_address():
    errors: list[str] = []
    assert services._source({"title": "No address"}, errors, "2026-01-01") is None
    assert errors
    assert services._source({**SOURCE, "accessed": ""}, [], "2026-01-01")["accessed"] == (
        "2026-01-01")
