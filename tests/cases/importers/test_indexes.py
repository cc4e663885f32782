"""Finding actors from memory while an import runs: by name, slug and alias first, then by
the comparison key of names (legal forms, punctuation, spacing), and the other actors a name
also matches."""

from __future__ import annotations

import pytest

from visiblework.cases.importers.indexes import ActorIndex
from visiblework.cases.models import Actor, ActorAlias


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["OpenAI Inc", "OpenAI, Inc.", "Open AI", "openai"])
def test_the_ways_people_write_a_company_find_it(name):
    openai = Actor.objects.create(name="OpenAI", slug="openai")
    assert ActorIndex().find(name) == openai


@pytest.mark.django_db
def test_an_alias_is_compared_by_its_key_too():
    sama = Actor.objects.create(name="Sama", slug="sama")
    ActorAlias.objects.create(actor=sama, name="Samasource Inc.")
    assert ActorIndex().find("Samasource") == sama


@pytest.mark.django_db
def test_an_exact_name_wins_over_a_key_match():
    Actor.objects.create(name="Open AI Ltd", slug="open-ai-ltd")
    openai = Actor.objects.create(name="OpenAI", slug="openai")
    assert ActorIndex().find("OpenAI") == openai


@pytest.mark.django_db
def test_a_name_that_matches_two_actors_names_the_other_one():
    meta = Actor.objects.create(name="Meta", slug="meta")
    facebook = Actor.objects.create(name="Facebook", slug="facebook")
    ActorAlias.objects.create(actor=facebook, name="Meta Inc")
    index = ActorIndex()
    assert index.find("Meta") == meta
    assert index.others("Meta", meta) == [facebook]


@pytest.mark.django_db
def test_an_actor_created_during_the_import_is_found_by_its_key():
    index = ActorIndex()
    created = index.get_or_create("OpenAI, Inc.")
    assert index.get_or_create("Open AI") == created
    assert Actor.objects.count() == 1
