"""Security from the start: headers, CSP, cookies, password hashing, login throttling,
and settings that fail loudly."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from visiblework import settings as vw_settings
from visiblework.accounts.services import create_editor

from .conftest import PASSWORD


@pytest.mark.django_db
def test_pages_carry_security_headers_and_a_strict_csp(anonymous):
    response = anonymous.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # nothing from another host
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_debug_is_off_and_cookies_are_secure_unless_asked_otherwise(monkeypatch):
    assert settings.DEBUG is False
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    monkeypatch.delenv("DEBUG", raising=False)
    assert vw_settings.env_bool("SECURE_COOKIES", not vw_settings.env_bool("DEBUG", False))
    assert vw_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("value", ["maybe", "twenty", "yes please"])
def test_a_setting_that_cannot_be_read_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        vw_settings.env_bool("DEBUG", False)
    monkeypatch.setenv("VISIBLEWORK_PAGE_SIZE", value)
    with pytest.raises(ImproperlyConfigured, match="VISIBLEWORK_PAGE_SIZE"):
        vw_settings.env_int("VISIBLEWORK_PAGE_SIZE", 20)


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_at_its_deployed_cost(settings):
    settings.PASSWORD_HASHERS = vw_settings.PASSWORD_HASHERS  # not the tests' quick one
    user = create_editor("hashed", PASSWORD)
    assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
    assert check_password(PASSWORD, user.password)


@pytest.mark.django_db
def test_admin_login_is_throttled_after_repeated_failures(editor_user, anonymous):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        anonymous.post("/admin/login/", {"username": "ed", "password": "wrong password"})
    response = anonymous.post("/admin/login/?next=/admin/",
                              {"username": "ed", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in anonymous.session


@pytest.mark.django_db
def test_a_failed_login_storm_from_one_address_does_not_lock_the_user_out_elsewhere(worker_user):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attacker.post("/accounts/login/", {"username": worker_user.username,
                                           "password": "a wrong password"})
    assert attacker.post("/accounts/login/", {"username": worker_user.username,
                                              "password": PASSWORD}).status_code == 429
    worker = Client(REMOTE_ADDR="198.51.100.20")
    response = worker.post("/accounts/login/", {"username": worker_user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302
    assert worker.session["_auth_user_id"] == str(worker_user.pk)


@pytest.mark.django_db
def test_the_same_user_name_from_the_same_address_is_locked_out_after_the_limit(worker_user):
    client = Client(REMOTE_ADDR="198.51.100.20")
    statuses = [client.post("/accounts/login/", {"username": worker_user.username,
                                                 "password": "a wrong password"}).status_code
                for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post("/accounts/login/", {"username": worker_user.username,
                                                "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_throttling_stores_no_client_address(worker_user):
    from django.db import connection

    client = Client(REMOTE_ADDR="198.51.100.20")
    client.post("/accounts/login/", {"username": worker_user.username, "password": "wrong one"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM visiblework_cache")
        rows = cursor.fetchall()
    assert any("axes-" in key for key, _ in rows)
    assert "198.51.100.20" not in str(rows)


@pytest.mark.django_db
def test_forms_require_a_csrf_token(editor_user):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "ed", "password": PASSWORD})
    assert response.status_code == 403
