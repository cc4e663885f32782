"""The WSGI front of the page cache: anonymous catalogue answers given again before the
middleware, only while the catalogue is unchanged (core/pagecache.PageCacheFront)."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler

from visiblework.core import pagecache


class Recorder:
    def __init__(self, front):
        self.front = front

    def get(self, path, *, method="GET", query="", **headers):
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                   "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
                   "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1",
                   **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
        answer = {}

        def start_response(status, headers):
            answer["status"], answer["headers"] = status, dict(headers)

        body = b"".join(self.front(environ, start_response))
        return answer["status"], answer["headers"], body


@pytest.fixture
def front(catalogue, settings):
    """The front around Django's WSGI handler. As Django's test client does, the handler must
    not close the test's database connection at the end of each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield _front(settings)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _front(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    calls = []
    handler = WSGIHandler()

    def django(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return handler(environ, start_response)

    recorder = Recorder(pagecache.PageCacheFront(django))
    recorder.calls = calls
    return recorder


@pytest.mark.django_db
def test_a_repeated_anonymous_page_is_answered_before_django(front):
    first = front.get("/cases/")
    second = front.get("/cases/")
    assert first[0] == second[0] == "200 OK" and first[2] == second[2]
    assert front.calls == ["/cases/"]
    assert second[1]["ETag"] == first[1]["ETag"]


@pytest.mark.django_db
def test_the_front_asks_django_again_after_a_write(front, catalogue):
    front.get("/cases/")
    case = catalogue.cases["midas"]
    case.title = "A title changed through another server"
    case.save()
    status, _headers, body = front.get("/cases/")
    assert front.calls == ["/cases/", "/cases/"]
    assert b"A title changed through another server" in body


@pytest.mark.django_db
def test_the_front_answers_not_modified_to_the_current_tag(front):
    etag = front.get("/cases/")[1]["ETag"]
    status, headers, body = front.get("/cases/", if_none_match=etag)
    assert status.startswith("304") and body == b"" and headers["ETag"] == etag


@pytest.mark.django_db
def test_other_languages_and_session_cookies_are_not_given_the_kept_page(front):
    front.get("/cases/", accept_language="en")
    _s, _h, french = front.get("/cases/", accept_language="fr")
    assert b'<html lang="fr"' in french
    front.get("/cases/", cookie="sessionid=abc")
    assert front.calls == ["/cases/", "/cases/", "/cases/"]


@pytest.mark.django_db
def test_forms_and_worker_pages_are_never_kept(front):
    front.get("/reports/new/")
    front.get("/reports/new/")
    assert front.calls == ["/reports/new/", "/reports/new/"]


@pytest.mark.django_db
def test_a_head_request_gets_the_headers_without_the_body(front):
    front.get("/cases/")
    status, headers, body = front.get("/cases/", method="HEAD")
    assert status == "200 OK" and body == b"" and front.calls == ["/cases/"]
