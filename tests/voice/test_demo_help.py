"""The seed of real organisations: loads without the network, twice without change, and
every organisation cites a public source for its facts."""

from __future__ import annotations

import pytest

from visiblework.cases.models import Actor
from visiblework.voice import demo, demo_help
from visiblework.voice.models import HelpFacet, HelpProfile

NAMED_IN_THE_FOUNDING_ESSAY = {"fairwork", "turkopticon", "dair-institute"}


@pytest.mark.django_db
def test_the_seed_loads_the_organisations_named_in_the_founding_documents(vocabularies):
    assert demo_help.seed()
    slugs = set(HelpProfile.objects.values_list("actor__slug", flat=True))
    assert slugs >= NAMED_IN_THE_FOUNDING_ESSAY
    assert len(slugs) == len(demo_help.entries())
    assert set(Actor.objects.filter(help_profile__isnull=False).values_list("kind", flat=True)
               ) <= {"organisation", "group"}


@pytest.mark.django_db
def test_the_seed_is_idempotent(vocabularies):
    demo_help.seed()
    counts = (Actor.objects.count(), HelpProfile.objects.count(), HelpFacet.objects.count())
    assert demo_help.seed() is None
    assert (Actor.objects.count(), HelpProfile.objects.count(), HelpFacet.objects.count()
            ) == counts


@pytest.mark.django_db
def test_the_seed_reuses_an_actor_that_already_exists(vocabularies):
    Actor.objects.create(slug="fairwork", name="Fairwork", kind="organisation")
    demo_help.seed()
    assert Actor.objects.filter(name="Fairwork").count() == 1


@pytest.mark.django_db
def test_the_voice_demo_runs_the_help_seed(vocabularies):
    assert demo_help.seed in demo.PARTS
    demo.seed_voice()
    assert HelpProfile.objects.filter(actor__slug="turkopticon").exists()


def test_every_seeded_organisation_cites_its_sources():
    for entry in demo_help.entries():
        assert entry["summary"] and entry["help_kinds"], entry["slug"]
        assert entry["sources"], entry["slug"]
        for source in entry["sources"]:
            assert source["url"].startswith("https://"), (entry["slug"], source)
            assert source["title"] and source["publisher"] and source["accessed"], source
        for contact in entry["contacts"]:  # never an invented detail: only a checked website
            assert contact["kind"] == "website", (entry["slug"], contact)
            assert contact["value"].startswith("https://"), contact


@pytest.mark.django_db
def test_the_seeded_directory_answers_a_kenyan_content_moderator(vocabularies, anonymous):
    demo_help.seed()
    html = anonymous.get("/help/?country=KE&task_type=content_moderation").content.decode()
    for slug in ("african-content-moderators-union", "foxglove", "data-workers-inquiry",
                 "turkopticon"):
        assert f"/help/{slug}/" in html
    assert "/help/worker-info-exchange/" not in html
