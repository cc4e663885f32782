"""Every address of "who can help" × every persona, GET and POST: the directory is public,
anyone may suggest, only editors accept."""

from __future__ import annotations

import pytest

from visiblework.cases.models import Contribution
from visiblework.voice import help as services
from visiblework.voice.models import HelpProfile

from .help_helpers import directory_fixture, facts  # noqa: F401
from .test_views_help import suggestion

PERSONAS = ["anonymous", "worker", "representative", "editor", "admin"]
READ_ONLY = ["/help/", "/help/?country=KE&language=en&task_type=content_moderation&help=legal",
             "/help/feed.atom", "/help/kenya-union/"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_directory_answers_everyone_and_takes_no_post(request, persona, directory):
    client = request.getfixturevalue(persona)
    for url in READ_ONLY:
        assert client.get(url).status_code == 200, (persona, url)
        assert client.post(url, {}).status_code == 405, (persona, url)
    assert client.get("/help/suggest/").status_code == 200
    assert client.get("/help/suggest/?organisation=kenya-union").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_unknown_and_unpublished_organisations_are_not_found_for_anyone(request, persona,
                                                                        directory):
    client = request.getfixturevalue(persona)
    for url in ["/help/nobody/", "/help/hidden-org/", "/help/suggest/?organisation=nobody",
                "/help/suggest/?organisation=hidden-org"]:
        assert client.get(url).status_code == 404, (persona, url)
    assert client.post("/help/suggest/", suggestion(organisation="hidden-org")).status_code == 404
    assert client.get("/help/?country=XX").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_may_suggest_and_nobody_publishes_by_suggesting(request, persona, directory):
    client = request.getfixturevalue(persona)
    assert client.post("/help/suggest/", suggestion()).status_code == 201
    assert client.post("/help/suggest/", suggestion(name="")).status_code == 400
    assert Contribution.objects.get().status == "pending"
    assert not HelpProfile.objects.filter(actor__name="Moderators Helpline").exists()
    assert client.get("/help/moderators-helpline/").status_code == 404


@pytest.fixture
def pending(directory) -> Contribution:
    return services.suggest(facts("Queued Org", countries=["PH"])).contribution


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 302), ("worker", 403), ("representative", 403), ("editor", 200),
    ("admin", 200)])
def test_only_editors_see_a_suggested_organisation_in_the_queue(request, persona, expected,
                                                                pending):
    client = request.getfixturevalue(persona)
    assert client.get(f"/review/contributions/{pending.pk}/").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_accept_or_reject_an_organisation(request, persona, pending):
    client = request.getfixturevalue(persona)
    for action in ("claim", "accept", "reject"):
        response = client.post(f"/review/contributions/{pending.pk}/{action}/",
                               {**suggestion(name="Queued Org"), "reason": "no"})
        assert response.status_code in (302, 403), (persona, action)
        assert not response.get("Location", "").startswith("/help/")
    pending.refresh_from_db()
    assert pending.status == "pending" and pending.claimed_by is None
    assert not HelpProfile.objects.filter(actor__name="Queued Org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_editors_accept_and_reject_organisations(request, persona, pending):
    client = request.getfixturevalue(persona)
    assert client.get(f"/review/contributions/{pending.pk}/accept/").status_code == 405
    response = client.post(f"/review/contributions/{pending.pk}/accept/",
                           suggestion(name="Queued Org", countries="Philippines"))
    assert response.status_code == 302 and response["Location"] == "/help/queued-org/"
    other = services.suggest(facts("Other Org", countries=["PH"])).contribution
    response = client.post(f"/review/contributions/{other.pk}/reject/", {"reason": "Not sure"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "rejected"


@pytest.mark.django_db
@pytest.mark.parametrize("persona,expected", [
    ("anonymous", 302), ("worker", 302), ("representative", 302), ("editor", 200),
    ("admin", 200)])
def test_only_editors_reach_help_profiles_in_the_back_office(request, persona, expected,
                                                             directory):
    client = request.getfixturevalue(persona)
    change = f"/admin/voice/helpprofile/{directory.kenya.pk}/change/"
    for url in ("/admin/voice/helpprofile/", change):
        assert client.get(url).status_code == expected, (persona, url)
    client.post(change, {"published": ""})
    directory.kenya.refresh_from_db()
    assert directory.kenya.published is (persona in ("anonymous", "worker", "representative"))
