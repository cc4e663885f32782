"""The permission matrix of the demands' URLs: every URL × persona, GET and POST. Only workers
propose and support; only the addressed actor's verified representative answers; only editors
approve, reject and change a status."""

from __future__ import annotations

import pytest

from tests.conftest import PERSONAS
from visiblework.voice.models import Demand, DemandAnswer, DemandStatus, DemandSupport

from .demand_helpers import make_demand, verify

pytestmark = pytest.mark.django_db

LOGIN = 302  # sent to sign in
EDITORS_ONLY = {"anonymous": LOGIN, "worker": 403, "representative": 403, "editor": 200,
                "admin": 200}


@pytest.fixture
def setup(catalogue, worker_user, representative_user):
    sama = catalogue.actors["sama"]
    verify(representative_user, sama)  # the representative speaks for the addressed actor
    return {
        "open": make_demand(sama, title="Open demand"),
        "pending": make_demand(sama, status=DemandStatus.PENDING, title="Pending demand",
                               proposer=worker_user),
        "other": make_demand(catalogue.actors["openai"], title="To another actor"),
    }


def _client(request, persona):
    return request.getfixturevalue(persona)


def _expect(response, code: int, persona: str) -> None:
    assert response.status_code == code, f"{persona}: {response.status_code}, expected {code}"
    if code == LOGIN:
        assert response["Location"].startswith("/accounts/login/")


GETS = [
    ("/demands/", dict.fromkeys(PERSONAS, 200)),
    ("/demands/?status=public&actor=sama&page=9", dict.fromkeys(PERSONAS, 200)),
    ("/demands/new/", {"anonymous": LOGIN, "worker": 200, "representative": 403, "editor": 403,
                       "admin": 403}),
    ("/demands/{open}/", dict.fromkeys(PERSONAS, 200)),
    ("/demands/{open}/feed.atom", dict.fromkeys(PERSONAS, 200)),
    ("/demands/{pending}/", {"anonymous": 404, "worker": 200, "representative": 404,
                             "editor": 200, "admin": 200}),
    ("/demands/{pending}/feed.atom", dict.fromkeys(PERSONAS, 404)),
    ("/demands/unknown-id-xyz/", dict.fromkeys(PERSONAS, 404)),
    ("/demands/unknown-id-xyz/feed.atom", dict.fromkeys(PERSONAS, 404)),
    ("/demands/{open}/support/", dict.fromkeys(PERSONAS, 405)),
    ("/demands/{open}/answer/", {"anonymous": LOGIN, "worker": 404, "representative": 200,
                                 "editor": 404, "admin": 404}),
    ("/demands/{other}/answer/", {"anonymous": LOGIN, "worker": 404, "representative": 404,
                                  "editor": 404, "admin": 404}),
    ("/demands/{pending}/answer/", {"anonymous": 404, "worker": 404, "representative": 404,
                                    "editor": 404, "admin": 404}),
    ("/review/demands/", EDITORS_ONLY),
    ("/review/demands/?status=gathering", EDITORS_ONLY),
    ("/review/demands/{pending}/approve/", dict.fromkeys(PERSONAS, 405)),
    ("/review/demands/{pending}/reject/", dict.fromkeys(PERSONAS, 405)),
    ("/review/demands/{open}/status/", dict.fromkeys(PERSONAS, 405)),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("url", "expected"), GETS, ids=[u for u, _e in GETS])
def test_get(request, setup, persona, url, expected):
    ids = {k: d.public_id for k, d in setup.items()}
    response = _client(request, persona).get(url.format(**ids))
    _expect(response, expected[persona], persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_worker_proposes(request, setup, persona):
    response = _client(request, persona).post(
        "/demands/new/", {"title": "New one", "addressed": "Sama", "text": "Why."})
    created = Demand.objects.filter(title="New one").exists()
    if persona == "worker":
        assert response.status_code == 302 and created
    else:
        _expect(response, LOGIN if persona == "anonymous" else 403, persona)
        assert not created


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["support", "withdraw"])
def test_only_a_worker_supports_or_withdraws(request, setup, persona, action, worker_user):
    demand = setup["open"]
    if action == "withdraw":
        DemandSupport.objects.create(demand=demand, worker=worker_user, day="2026-01-01")
    response = _client(request, persona).post(f"/demands/{demand.public_id}/support/",
                                               {"action": action})
    supported = DemandSupport.objects.filter(demand=demand).exists()
    if persona == "worker":
        assert response.status_code == 302 and supported == (action == "support")
    else:
        _expect(response, LOGIN if persona == "anonymous" else 403, persona)
        assert supported == (action == "withdraw")  # unchanged


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_supports_a_pending_demand(request, setup, persona):
    response = _client(request, persona).post(
        f"/demands/{setup['pending'].public_id}/support/", {"action": "support"})
    assert response.status_code == 404
    assert not DemandSupport.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["open", "other"])
def test_only_the_verified_representative_of_the_addressed_actor_answers(request, setup,
                                                                          persona, target):
    demand = setup[target]
    response = _client(request, persona).post(f"/demands/{demand.public_id}/answer/",
                                              {"text": "Our answer."})
    answered = DemandAnswer.objects.filter(demand=demand).exists()
    if persona == "representative" and target == "open":
        assert response.status_code == 302 and answered
    else:
        _expect(response, LOGIN if persona == "anonymous" else 404, persona)
        assert not answered


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("path", "data", "after"), [
    ("approve", {}, DemandStatus.GATHERING),
    ("reject", {"reason": "Too vague."}, DemandStatus.REJECTED),
])
def test_only_editors_approve_or_reject(request, setup, persona, path, data, after):
    demand = setup["pending"]
    response = _client(request, persona).post(
        f"/review/demands/{demand.public_id}/{path}/", data)
    demand.refresh_from_db()
    if persona in ("editor", "admin"):
        assert response.status_code == 302 and demand.status == after
    else:
        _expect(response, LOGIN if persona == "anonymous" else 403, persona)
        assert demand.status == DemandStatus.PENDING


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_editors_change_a_status(request, setup, persona):
    demand = setup["open"]
    response = _client(request, persona).post(f"/review/demands/{demand.public_id}/status/",
                                              {"status": DemandStatus.CLOSED})
    demand.refresh_from_db()
    if persona in ("editor", "admin"):
        assert response.status_code == 302 and demand.status == DemandStatus.CLOSED
    else:
        _expect(response, LOGIN if persona == "anonymous" else 403, persona)
        assert demand.status == DemandStatus.GATHERING


@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_an_editors_post_about_an_unknown_demand_is_a_404(request, setup, persona):
    client = _client(request, persona)
    for path in ("approve", "reject", "status"):
        assert client.post(f"/review/demands/unknown-id-xyz/{path}/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["/demands/", "/demands/{open}/", "/review/demands/"])
def test_a_post_to_a_page_that_only_shows_is_refused(request, setup, persona, url):
    response = _client(request, persona).post(url.format(open=setup["open"].public_id))
    assert response.status_code == 405
    assert not DemandSupport.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_post_to_a_demands_feed_changes_nothing(request, setup, persona):
    demand = setup["open"]
    _client(request, persona).post(f"/demands/{demand.public_id}/feed.atom")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.GATHERING and not DemandSupport.objects.exists()
