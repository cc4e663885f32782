"""An actor's page shows its aliases and its entity in the AI Incident Database."""

import pytest

from tests.conftest import make_case
from visiblework.cases.actor_refs import external_ids
from visiblework.cases.models import Actor, ActorAlias, Case, CaseStatus


def imported(actor: Actor, status: str = CaseStatus.PUBLISHED) -> Case:
    case = make_case("aiid-case", title="An incident", year=2020, summary="Imported.",
                     actors=[(actor, "developer")], status=status)
    Case.objects.filter(pk=case.pk).update(external_id="aiid:23")
    return case


@pytest.mark.django_db
def test_an_actor_named_in_an_imported_incident_links_to_its_entity(vocabularies):
    actor = Actor.objects.create(slug="keolis-north-america", name="Keolis North America")
    imported(actor)
    assert [(ref.value, ref.url) for ref in external_ids(actor)] == [
        ("keolis-north-america", "https://incidentdatabase.ai/entities/keolis-north-america/")]


@pytest.mark.django_db
def test_a_merged_entity_keeps_its_link_through_the_alias_slug(vocabularies):
    actor = Actor.objects.create(slug="meta", name="Meta")
    ActorAlias.objects.create(actor=actor, name="Facebook", slug="facebook")
    imported(actor)
    assert [ref.value for ref in external_ids(actor)] == ["meta", "facebook"]


@pytest.mark.django_db
def test_an_actor_not_in_any_imported_incident_has_no_entity(catalogue):
    assert external_ids(catalogue.actors["openai"]) == []


@pytest.mark.django_db
def test_an_incident_not_published_does_not_count(vocabularies):
    actor = Actor.objects.create(slug="acme", name="Acme")
    imported(actor, status=CaseStatus.DRAFT)
    assert external_ids(actor) == []


@pytest.mark.django_db
def test_the_actor_page_shows_aliases_and_the_entity_link(anonymous, vocabularies):
    actor = Actor.objects.create(slug="facebook", name="Facebook")
    ActorAlias.objects.create(actor=actor, name="Meta Platforms")
    imported(actor)
    html = anonymous.get("/actors/facebook/").content.decode()
    assert "Meta Platforms" in html
    assert ('AI Incident Database entity: <a href="https://incidentdatabase.ai/entities/'
            'facebook/"') in html
