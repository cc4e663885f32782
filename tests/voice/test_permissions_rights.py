"""Every URL of the data-rights letters × every persona, GET and POST: the letters and the
follow-ups are open to everyone (no account needed); nobody can read a follow-up back."""

import pytest
from django.utils import timezone

from tests.conftest import PERSONAS
from visiblework.voice.models import RightsFollowUp

pytestmark = pytest.mark.django_db

LETTER = {"actor": "openai", "law": "kenya_dpa", "request": "objection", "name": "Wanjiru",
          "email": "w@example.org", "language": "sw"}


def follow_up():
    return {"actor": "openai", "law": "ndpa", "request": "erasure",
            "month": timezone.now().date().strftime("%Y-%m"), "outcome": "in_time"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_read_the_forms(request, persona, company):
    client = request.getfixturevalue(persona)
    for url in ("/rights/", "/rights/follow-up/"):
        assert client.get(url).status_code == 200, (persona, url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_write_a_letter_and_bad_input_is_a_400(request, persona, company):
    client = request.getfixturevalue(persona)
    response = client.post("/rights/", LETTER)
    assert response.status_code == 200 and 'id="letter-text"' in response.content.decode()
    assert client.post("/rights/", {**LETTER, "email": "x"}).status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_send_a_follow_up_and_bad_input_is_a_400(request, persona, company):
    client = request.getfixturevalue(persona)
    assert client.post("/rights/follow-up/", follow_up()).status_code == 201
    assert client.post("/rights/follow-up/", {**follow_up(), "law": "x"}).status_code == 400
    assert RightsFollowUp.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_lists_a_follow_up(request, persona, company):
    client = request.getfixturevalue(persona)
    client.post("/rights/follow-up/", follow_up())
    public_id = RightsFollowUp.objects.get().public_id
    for url in ("/rights/", "/rights/follow-up/"):
        assert public_id not in client.get(url).content.decode(), (persona, url)
    assert client.get(f"/rights/follow-up/{public_id}/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_other_methods_are_harmless(request, persona, company):
    client = request.getfixturevalue(persona)
    for url in ("/rights/", "/rights/follow-up/"):
        assert client.put(url).status_code in (200, 405), (persona, url)
    assert not RightsFollowUp.objects.exists()
