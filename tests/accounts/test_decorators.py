"""accounts.decorators.editor_required: strangers go to the site's own sign-in page."""

import pytest

from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_the_review_queue_sends_a_stranger_to_the_sites_sign_in_page(anonymous):
    response = anonymous.get("/review/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/review/"
    page = anonymous.get(response.url).content.decode()
    assert 'href="/static/vw/site.css"' in page and "Django administration" not in page
    assert "The review queue is for editors: sign in with your editor account." in page


@pytest.mark.django_db
def test_an_editor_who_signs_in_there_comes_back_to_the_queue(editor_user, anonymous):
    response = anonymous.post("/accounts/login/?next=/review/", {
        "username": "ed", "password": PASSWORD, "next": "/review/"})
    assert response.status_code == 302 and response.url == "/review/"
    assert anonymous.get("/review/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_worker_is_still_refused_the_queue(worker):
    assert worker.get("/review/").status_code == 403
