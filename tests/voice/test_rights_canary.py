"""The rights letter stores nothing: a unique canary name, e-mail address and details go
through every path of /rights/ (the letter, the download, bad input, a server error), then
every table of the database (the cache table and the sessions included), the logs at every
level, the per-process caches and the session are searched: the canary is nowhere."""

import logging

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client

from visiblework.core import versioned
from visiblework.voice import views_rights

CANARY_NAME = "Zqxcanary Nameworthy"
CANARY_EMAIL = "zqx.canary.7781@example.org"
CANARY_DETAILS = "zqx-canary-details-5521"
CANARIES = [CANARY_NAME, CANARY_EMAIL, CANARY_DETAILS, "Zqxcanary", "zqx.canary", "canary-details"]
LETTER = {"actor": "openai", "law": "gdpr", "request": "access", "name": CANARY_NAME,
          "email": CANARY_EMAIL, "details": CANARY_DETAILS, "language": "fr"}


def database_text() -> str:
    """Every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the db
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def process_caches_text() -> str:
    return "\n".join(repr(cache._values) for cache in versioned._caches)


def log_files_text() -> str:
    return "\n".join(path.read_text(errors="replace") for path in settings.HOME.rglob("*.log"))


def post_every_path(client: Client, monkeypatch) -> None:
    assert client.post("/rights/", LETTER).status_code == 200
    assert client.post("/rights/", {**LETTER, "download": "1"}).status_code == 200
    assert client.post("/rights/", {**LETTER, "email": "not an address"}).status_code == 400
    assert client.post("/rights/", {**LETTER, "actor": "nobody"}).status_code == 400
    assert client.post("/rights/", {**LETTER, "law": "dpdp", "request": "human_review"}
                       ).status_code == 200

    def broken(*args, **kwargs):  # a bug whose message would repeat what was typed
        raise RuntimeError(f"could not write for {kwargs.get('name')} {kwargs.get('email')} "
                           f"{kwargs.get('details')}")

    with monkeypatch.context() as patched:
        patched.setattr(views_rights, "compose", broken)
        failing = Client(raise_request_exception=False)
        failing.cookies = client.cookies
        assert failing.post("/rights/", LETTER).status_code == 500


@pytest.mark.django_db
def test_the_canary_is_nowhere_after_every_path_of_the_letter(company, worker, caplog,
                                                                monkeypatch):
    caplog.set_level(logging.DEBUG)
    worker.get("/rights/")  # a signed-in session, so that the session table holds one
    post_every_path(worker, monkeypatch)
    anonymous = Client()
    anonymous.get("/rights/")
    post_every_path(anonymous, monkeypatch)

    assert caplog.records, "the 400s and the 500 are logged"
    logged = caplog.text + "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in caplog.records)
    stored = database_text()
    assert "django_session" in connection.introspection.table_names()
    for canary in CANARIES:
        assert canary not in stored, canary
        assert canary not in logged, canary
        assert canary not in process_caches_text(), canary
        assert canary not in log_files_text(), canary
    for model in apps.get_models():  # every table above is a model's or Django's own
        assert model._meta.db_table in connection.introspection.table_names()


@pytest.mark.django_db
def test_the_letter_puts_nothing_in_the_session_or_the_messages(company, worker):
    before = dict(worker.session.items())
    response = worker.post("/rights/", LETTER)
    assert dict(worker.session.items()) == before
    assert not list(response.context["messages"])


@pytest.mark.django_db
def test_the_letter_sets_no_cookie_but_the_csrf_one(company, anonymous):
    anonymous.get("/rights/")
    response = anonymous.post("/rights/", LETTER)
    assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
