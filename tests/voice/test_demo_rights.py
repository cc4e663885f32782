"""The demo seeds privacy contacts for real, seeded companies, idempotently, so that a letter
can be written for every law listed."""

import pytest

from visiblework.cases.models import Actor, Taxonomy, Term
from visiblework.cases.seed import load_seed
from visiblework.cases.vocabularies import install_built_in
from visiblework.voice import demo_rights
from visiblework.voice.demo import PARTS
from visiblework.voice.laws import LAWS, Right
from visiblework.voice.models import PrivacyContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    install_built_in(Taxonomy, Term)
    load_seed()


def test_the_seed_is_a_part_of_the_voice_demo():
    assert demo_rights.seed in PARTS


def test_it_seeds_contacts_with_a_cited_source_and_is_idempotent(seeded):
    assert demo_rights.seed()
    assert demo_rights.seed() is None
    contacts = list(PrivacyContact.objects.select_related("actor"))
    assert {c.actor.slug for c in contacts} == set(demo_rights.CONTACTS)
    for contact in contacts:
        assert contact.source_url.startswith("https://") and contact.source_title
        assert contact.email or contact.web_form


def test_it_seeds_nothing_without_the_seeded_companies(db):
    assert demo_rights.seed() is None
    assert not PrivacyContact.objects.exists()
    assert not Actor.objects.exists()


def test_the_demo_writes_a_letter_for_every_law(seeded, anonymous):
    demo_rights.seed()
    slug = PrivacyContact.objects.select_related("actor").first().actor.slug
    for key, law in LAWS.items():
        request = next(r for r, right in law.rights.items() if isinstance(right, Right))
        response = anonymous.post("/rights/", {"actor": slug, "law": key, "request": request,
                                               "name": "Demo", "email": "demo@example.org",
                                               "language": "en"})
        assert 'id="letter-text"' in response.content.decode(), key
