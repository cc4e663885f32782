"""Middleware of the ground floor: sign-in attempts are limited per client address before
any password is checked; API writes that ride a signed-in session cookie need CSRF, while
cookie-less clients do not; NUL characters in the address never reach a view."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import OperationalError
from django.test import Client

from tests.reports.test_reports import REPORT
from visiblework.core import pepper
from visiblework.reports.models import Report


@pytest.fixture
def counted_password_checks(monkeypatch, settings, tmp_path):
    """How many times a password was checked (each one an argon2 hash)."""
    settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = tmp_path / "pepper"
    pepper.forget()
    calls = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        calls.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    yield calls
    pepper.forget()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_sign_in_attempts_from_one_address_are_refused_past_the_limit_before_any_hashing(
        path, settings, counted_password_checks):
    settings.VISIBLEWORK_LOGIN_RATE_LIMIT = 4
    storm = Client(REMOTE_ADDR="198.51.100.5")
    for n in range(4):
        response = storm.post(path, {"username": f"guess-{n}", "password": "a wrong password"})
        assert response.status_code == 200
    refused = storm.post(path, {"username": "guess-4", "password": "a wrong password"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert counted_password_checks == [f"guess-{n}" for n in range(4)]


@pytest.mark.django_db
def test_the_limit_is_per_address(settings, counted_password_checks):
    settings.VISIBLEWORK_LOGIN_RATE_LIMIT = 2
    for _ in range(3):
        Client(REMOTE_ADDR="198.51.100.5").post("/accounts/login/", {"username": "x",
                                                                      "password": "y"})
    other = Client(REMOTE_ADDR="198.51.100.6").post("/accounts/login/", {"username": "x",
                                                                         "password": "y"})
    assert other.status_code == 200


@pytest.mark.django_db
def test_the_refusal_is_translated(settings, counted_password_checks):
    settings.VISIBLEWORK_LOGIN_RATE_LIMIT = 0
    response = Client().post("/accounts/login/?lang=fr", {"username": "x", "password": "y"})
    assert response.status_code == 429
    assert '<html lang="fr"' in response.content.decode()


def _strict_worker(worker_user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.django_db
def test_a_cookie_signed_api_write_without_a_token_from_another_site_is_refused(catalogue,
                                                                               worker_user):
    client = _strict_worker(worker_user)
    response = client.post("/api/v1/reports", REPORT, content_type="application/json",
                           HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_cookie_signed_api_write_with_the_token_is_taken(catalogue, worker_user):
    client = _strict_worker(worker_user)
    client.get("/reports/new/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/reports", REPORT, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert Report.objects.get().worker == worker_user


@pytest.mark.django_db
def test_a_client_without_a_session_needs_no_token(catalogue):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/reports", REPORT, content_type="application/json")
    assert response.status_code == 201


# --- NUL characters in the address -------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/cases?actor=%00", "/api/v1/actors?q=%00%17",
                                 "/cases/?actor=sama%00", "/cases/?%00=1"])
@pytest.mark.django_db
def test_a_nul_character_in_the_query_is_dropped_before_any_view_reads_it(catalogue, anonymous,
                                                                         url):
    assert anonymous.get(url).status_code == 200


@pytest.mark.django_db
def test_a_filter_with_a_nul_character_filters_by_what_is_left(catalogue, anonymous):
    assert anonymous.get("/api/v1/actors?q=sa%00ma").json()["count"] == 1


@pytest.mark.parametrize("url", ["/api/v1/actors/%00", "/cases/%00/"])
@pytest.mark.django_db
def test_a_nul_character_in_the_path_answers_400(catalogue, anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 400 and "NUL" in response.content.decode()


def _locked_out(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.mark.django_db
def test_a_page_that_found_the_write_lock_taken_answers_503_saying_nothing_was_saved(monkeypatch):
    monkeypatch.setattr("visiblework.cases.views.services.browse", _locked_out)
    response = Client(raise_request_exception=False).get("/cases/")
    assert response.status_code == 503
    assert "Nothing you sent was saved" in response.content.decode()


@pytest.mark.django_db
def test_a_busy_answer_says_when_to_try_again(monkeypatch):
    monkeypatch.setattr("visiblework.cases.views.services.browse", _locked_out)
    response = Client(raise_request_exception=False).get("/cases/")
    assert response["Retry-After"] == "10"


@pytest.mark.django_db
def test_an_api_request_that_found_the_write_lock_taken_answers_503_in_json(monkeypatch):
    monkeypatch.setattr("visiblework.cases.api.services.browse", _locked_out)
    response = Client(raise_request_exception=False).get("/api/v1/cases")
    assert (response.status_code, "Nothing you sent was saved" in response.json()["detail"]) \
        == (503, True)


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: cases_case")

    monkeypatch.setattr("visiblework.cases.views.services.browse", broken)
    response = Client(raise_request_exception=False).get("/cases/")
    assert response.status_code == 500
