"""Every consultation URL × every persona, GET and POST: who may read, vote and act."""

from __future__ import annotations

import pytest

from visiblework.voice.models import Consultation, ConsultationStatus, Vote

from .consultation_helpers import KEYS, closed_consultation, draft, open_consultation, today

PERSONAS = ["anonymous", "worker", "representative", "editor", "admin"]
EDITOR_STATUS = {"anonymous": 302, "worker": 403, "representative": 403, "editor": 200,
                 "admin": 200}


@pytest.fixture
def three(db, settings):
    settings.VISIBLEWORK_K = 1
    closed = closed_consultation({KEYS[0]: 1})
    Consultation.objects.filter(pk=closed.pk).update(slug="closed-one")
    return {"draft": draft("A draft?"), "open": open_consultation("Open?"),
            "closed": Consultation.objects.get(pk=closed.pk)}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_public_pages_answer_everyone_and_refuse_posts(request, persona, three):
    client = request.getfixturevalue(persona)
    for url in ["/consultations/", f"/consultations/{three['open'].slug}/",
                f"/consultations/{three['closed'].slug}/", "/insights/method/"]:
        assert client.get(url).status_code == 200, (persona, url)
        assert client.head(url).status_code == 200, (persona, url)
        assert client.post(url).status_code == 405, (persona, url)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_and_an_unknown_slug_are_404_for_everyone_on_the_public_side(request, persona,
                                                                             three):
    client = request.getfixturevalue(persona)
    for slug in (three["draft"].slug, "no-such-consultation"):
        assert client.get(f"/consultations/{slug}/").status_code == 404, (persona, slug)
        assert client.post(f"/consultations/{slug}/vote/",
                           {"option": KEYS[0]}).status_code == 404, (persona, slug)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_worker_with_a_report_may_vote(request, persona, three):
    """The personas' worker has sent no report: nobody here may vote (see the next test)."""
    client = request.getfixturevalue(persona)
    url = f"/consultations/{three['open'].slug}/vote/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"option": KEYS[0]})
    assert response.status_code == 403, persona
    assert b"at least one report" in response.content
    assert not Vote.objects.filter(consultation=three["open"]).exists()


@pytest.mark.django_db
def test_the_worker_persona_votes_once_it_has_sent_a_report(worker, worker_user, three):
    from .consultation_helpers import file_report

    file_report(worker_user)
    response = worker.post(f"/consultations/{three['open'].slug}/vote/", {"option": KEYS[0]})
    assert response.status_code == 302
    assert worker.post(f"/consultations/{three['closed'].slug}/vote/",
                       {"option": KEYS[0]}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_editors_screens_answer_editors_only(request, persona, three):
    client = request.getfixturevalue(persona)
    for url in ["/review/consultations/"] + [f"/review/consultations/{c.slug}/"
                                            for c in three.values()]:
        assert client.get(url).status_code == EDITOR_STATUS[persona], (persona, url)
    assert client.get("/review/consultations/no-such/").status_code == (
        404 if EDITOR_STATUS[persona] == 200 else EDITOR_STATUS[persona])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "worker", "representative"])
def test_only_editors_may_create_open_close_or_decide(request, persona, three):
    client = request.getfixturevalue(persona)
    expected = EDITOR_STATUS[persona]
    posts = [("/review/consultations/", {"question": "Q?", "options": "A\nB",
                                         "opens_on": today(), "closes_on": today()}),
             (f"/review/consultations/{three['draft'].slug}/open/", {}),
             (f"/review/consultations/{three['open'].slug}/close/", {}),
             (f"/review/consultations/{three['closed'].slug}/decide/",
              {"decision": "D", "reason": "R"})]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, (persona, url)
    assert Consultation.objects.count() == 3
    assert Consultation.objects.get(pk=three["draft"].pk).status == ConsultationStatus.DRAFT
    assert Consultation.objects.get(pk=three["open"].pk).status == ConsultationStatus.OPEN
    assert Consultation.objects.get(pk=three["closed"].pk).decided_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "admin"])
def test_editors_create_open_close_and_decide(request, persona, three):
    client = request.getfixturevalue(persona)
    response = client.post("/review/consultations/", {
        "question": "Which ratings count?", "options": "All\nSome\n", "opens_on": today(),
        "closes_on": today()})
    assert response.status_code == 302
    new = Consultation.objects.get(question="Which ratings count?")
    assert client.post(f"/review/consultations/{new.slug}/open/").status_code == 302
    assert client.post(f"/review/consultations/{new.slug}/close/").status_code == 302
    assert client.post(f"/review/consultations/{new.slug}/decide/",
                       {"decision": "All count", "reason": "Why"}).status_code == 302
    new.refresh_from_db()
    assert new.status == ConsultationStatus.CLOSED and new.decision == "All count"
    for slug in (new.slug, three["closed"].slug, "no-such"):
        for action in ("open", "close", "decide"):
            status = client.get(f"/review/consultations/{slug}/{action}/").status_code
            assert status == 405, (slug, action)
