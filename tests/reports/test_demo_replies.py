"""The demo's right of reply (reports/demo_replies.py), run by the voice demo's PARTS."""

import pytest

from visiblework.reports import demo_replies
from visiblework.reports.models import Reply, Representation
from visiblework.voice.demo import PARTS


@pytest.mark.django_db
def test_the_demo_seeds_a_verified_representative_and_a_reply_once(catalogue, anonymous):
    assert demo_replies.seed()
    assert demo_replies.seed() is None
    reply = Reply.objects.get()
    assert reply.actor.slug == "sama" and "not a statement by Sama" in reply.text
    assert Representation.objects.get().verified
    assert "not a statement by Sama" in anonymous.get("/actors/sama/").content.decode()
    page = anonymous.get(catalogue.cases["kenya"].get_absolute_url()).content.decode()
    assert "not a statement by Sama" in page


@pytest.mark.django_db
def test_the_demo_creates_the_actor_when_the_seed_content_lacks_it(db):
    assert demo_replies.seed()
    assert Reply.objects.get().actor.name == "Sama"


@pytest.mark.django_db
def test_nobody_can_sign_in_as_the_demo_representative(db):
    demo_replies.seed()
    assert not Reply.objects.get().author.has_usable_password()


def test_the_voice_demo_runs_it():
    assert demo_replies.seed in PARTS
