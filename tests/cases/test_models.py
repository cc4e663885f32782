"""The comparison keys of actors' names and aliases stay in step with the names."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from visiblework.cases.models import Actor, ActorAlias, ActorNameKey


def keys(actor: Actor) -> set[str]:
    return set(ActorNameKey.objects.filter(actor=actor).values_list("key", flat=True))


@pytest.mark.django_db
def test_a_new_actor_gets_the_key_of_its_name():
    assert keys(Actor.objects.create(slug="openai", name="OpenAI, Inc.")) == {"openai"}


@pytest.mark.django_db
def test_a_renamed_actor_gets_the_key_of_its_new_name():
    actor = Actor.objects.create(slug="x", name="Twitter")
    actor.name = "X Corp."
    actor.save()
    assert keys(actor) == {"x"}


@pytest.mark.django_db
def test_an_alias_adds_its_keys_and_takes_them_away_when_deleted():
    actor = Actor.objects.create(slug="sama", name="Sama")
    alias = ActorAlias.objects.create(actor=actor, name="Sama AI/Samasource")
    assert keys(actor) == {"sama", "samaaisamasource", "samaai", "samasource"}
    alias.delete()
    assert keys(actor) == {"sama"}


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_actors_and_aliases_their_keys():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("cases", "0005_actor_name_upper_indexes")])
    old = executor.loader.project_state([("cases", "0005_actor_name_upper_indexes")]).apps
    actor = old.get_model("cases", "Actor").objects.create(slug="meta", name="Meta")
    old.get_model("cases", "ActorAlias").objects.create(actor=actor, name="Facebook, Inc.")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    assert keys(Actor.objects.get(slug="meta")) == {"meta", "facebook"}
