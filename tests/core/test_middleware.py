"""API writes that ride a signed-in session cookie need CSRF; cookie-less clients do not."""

import pytest
from django.test import Client

from tests.reports.test_reports import REPORT
from visiblework.reports.models import Report


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
