"""Suggested duplicate actors: groups of actors whose names or aliases are written alike, and
merging a group into one actor."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_case
from visiblework.cases import actor_duplicates
from visiblework.cases.actor_duplicates import merge_into, suggested_duplicates
from visiblework.cases.models import (
    Actor,
    ActorAlias,
    ActorDuplicateDismissal,
    CaseActor,
    CaseStatus,
)
from visiblework.core.models import AuditAction, AuditEntry


def groups() -> list[list[str]]:
    return [sorted(a.name for a in g.actors) for g in suggested_duplicates().groups]


@pytest.mark.django_db
def test_names_written_alike_are_suggested_as_one_actor(catalogue):
    Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    assert groups() == [["OpenAI", "OpenAI, Inc."]]


@pytest.mark.django_db
def test_an_actor_whose_name_is_another_actors_alias_is_suggested(catalogue):
    Actor.objects.create(slug="open-ai-labs", name="Open AI")  # the alias of OpenAI
    assert groups() == [["Open AI", "OpenAI"]]


@pytest.mark.django_db
def test_a_name_with_a_slash_is_compared_by_each_part(catalogue):
    ActorAlias.objects.create(actor=catalogue.actors["sama"], name="Samasource")
    Actor.objects.create(slug="sama-ai-samasource", name="Sama AI/Samasource")
    assert groups() == [["Sama", "Sama AI/Samasource"]]


@pytest.mark.django_db
def test_actors_joined_through_the_aliases_of_one_form_one_group(vocabularies):
    meta = Actor.objects.create(slug="meta", name="Meta")
    ActorAlias.objects.create(actor=meta, name="Facebook")
    ActorAlias.objects.create(actor=meta, name="Meta Platforms")
    Actor.objects.create(slug="facebook", name="Facebook")
    Actor.objects.create(slug="meta-platforms", name="Meta Platforms, Inc.")
    assert groups() == [["Facebook", "Meta", "Meta Platforms, Inc."]]


@pytest.mark.django_db
def test_different_names_are_not_suggested(catalogue):
    Actor.objects.create(slug="meta", name="Meta")
    Actor.objects.create(slug="facebook", name="Facebook")
    assert groups() == []


@pytest.mark.django_db
def test_a_group_shows_which_names_are_alike_and_counts_cases(catalogue):
    other = Actor.objects.create(slug="open-ai", name="Open A.I.")
    group = suggested_duplicates().groups[0]
    openai = next(a for a in group.actors if a.slug == "openai")
    assert (openai.matched, openai.cases, openai.published_cases) == (["OpenAI", "Open AI"], 3, 1)
    assert next(a for a in group.actors if a.id == other.pk).matched == ["Open A.I."]


@pytest.mark.django_db
def test_groups_come_a_page_at_a_time(vocabularies, monkeypatch):
    monkeypatch.setattr(actor_duplicates, "PAGE_SIZE", 2)
    for i in range(5):
        Actor.objects.create(slug=f"a{i}", name=f"Actor {i}")
        Actor.objects.create(slug=f"a{i}-inc", name=f"Actor {i} Inc")
    second = suggested_duplicates(page=2)
    assert (second.page, second.pages, second.count, len(second.groups)) == (2, 3, 5, 2)


@pytest.mark.django_db
def test_past_the_bound_the_page_says_more_exist(vocabularies, monkeypatch):
    monkeypatch.setattr(actor_duplicates, "MAX_PAIRS", 5)
    for i in range(4):
        Actor.objects.create(slug=f"a{i}", name=f"Actor {i}")
        Actor.objects.create(slug=f"a{i}-inc", name=f"Actor {i} Inc")
    page = suggested_duplicates()
    assert page.capped and page.count == 2


@pytest.mark.django_db
def test_the_statements_do_not_grow_with_the_groups(vocabularies):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            suggested_duplicates()
        return len(queries)

    Actor.objects.create(slug="a", name="A")
    Actor.objects.create(slug="a-ltd", name="A Ltd")
    few = statements()
    for i in range(15):
        Actor.objects.create(slug=f"b{i}", name=f"B {i}")
        Actor.objects.create(slug=f"b{i}-ltd", name=f"B {i} Ltd")
    assert statements() == few


@pytest.mark.django_db
def test_merging_moves_cases_and_aliases_to_the_kept_actor(catalogue, editor_user):
    openai = catalogue.actors["openai"]
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    ActorAlias.objects.create(actor=other, name="OpenAI LP")
    make_case("other", title="Another case", year=2024, summary="S.",
              actors=[(other, "developer")], status=CaseStatus.PUBLISHED)
    merge_into(openai.pk, [openai.pk, other.pk], editor_user)
    assert not Actor.objects.filter(pk=other.pk).exists()
    assert CaseActor.objects.filter(actor=openai, case__slug="other").exists()
    assert {"OpenAI LP", "OpenAI, Inc."} <= set(openai.aliases.values_list("name", flat=True))


@pytest.mark.django_db
def test_merging_is_audited(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    merge_into(catalogue.actors["openai"].pk, [other.pk], editor_user)
    entry = AuditEntry.objects.get(action=AuditAction.MERGE)
    assert (entry.user, entry.summary) == (editor_user, "OpenAI, Inc. → OpenAI")


@pytest.mark.django_db
def test_a_merged_group_is_no_longer_suggested(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    merge_into(catalogue.actors["openai"].pk, [other.pk], editor_user)
    assert groups() == []


@pytest.mark.django_db
def test_merging_an_actor_gone_meanwhile_changes_nothing(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    with pytest.raises(ValidationError):
        merge_into(catalogue.actors["openai"].pk, [other.pk, 999_999], editor_user)
    assert Actor.objects.filter(pk=other.pk).exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_merging_nothing_into_the_kept_actor_is_refused(catalogue, editor_user):
    openai = catalogue.actors["openai"]
    with pytest.raises(ValidationError):
        merge_into(openai.pk, [openai.pk], editor_user)


@pytest.mark.django_db
def test_a_dismissed_group_is_not_suggested_again(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    actor_duplicates.dismiss_group([catalogue.actors["openai"].pk, other.pk], editor_user)
    assert groups() == []


@pytest.mark.django_db
def test_a_dismissal_keeps_other_suggestions(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    Actor.objects.create(slug="sama-ltd", name="Sama Ltd")
    actor_duplicates.dismiss_group([catalogue.actors["openai"].pk, other.pk], editor_user)
    assert groups() == [["Sama", "Sama Ltd"]]


@pytest.mark.django_db
def test_an_actor_alike_to_both_of_a_dismissed_pair_is_suggested_with_each(catalogue,
                                                                          editor_user):
    openai = catalogue.actors["openai"]
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    actor_duplicates.dismiss_group([openai.pk, other.pk], editor_user)
    Actor.objects.create(slug="openai-llc", name="OpenAI LLC")
    assert groups() == [["OpenAI", "OpenAI LLC", "OpenAI, Inc."]]


@pytest.mark.django_db
def test_a_dismissal_is_audited_with_the_editor(catalogue, editor_user):
    other = Actor.objects.create(slug="openai-inc", name="OpenAI, Inc.")
    actor_duplicates.dismiss_group([other.pk, catalogue.actors["openai"].pk], editor_user)
    entry = AuditEntry.objects.get(action=AuditAction.DISMISS)
    assert entry.user == editor_user
    assert entry.summary == "Not the same actor: OpenAI, OpenAI, Inc."


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [[], [999_999]])
def test_a_dismissal_needs_two_existing_actors_and_changes_nothing_otherwise(catalogue,
                                                                            editor_user, extra):
    with pytest.raises(ValidationError):
        actor_duplicates.dismiss_group([catalogue.actors["openai"].pk, *extra], editor_user)
    assert not AuditEntry.objects.filter(action=AuditAction.DISMISS).exists()
    assert not ActorDuplicateDismissal.objects.exists()
