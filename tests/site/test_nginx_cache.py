"""The shared-cache configuration of docs/operations.md (docs/examples/nginx.conf), run as
written by a real nginx in front of a live server of the application."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import nginx_or_fail
from visiblework.cases.editing import save_case, snapshot

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "nginx.conf"
OPERATIONS = ROOT / "docs" / "operations.md"
SHARED_SECONDS = 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _configuration(prefix: Path, port: int, upstream: str) -> str:
    """The example inside a minimal nginx.conf: its listening port, upstream and cache folder
    replaced, nothing else."""
    example = EXAMPLE.read_text()
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("server 127.0.0.1:8000;", f"server {upstream};"),
                     ("/var/cache/nginx/visiblework", str(prefix / "cache"))):
        assert old in example
        example = example.replace(old, new)
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n    access_log off;\n{temp}\n{example}\n}}\n")


@pytest.fixture
def proxy(live_server, settings, tmp_path):
    """nginx on a free port in front of the live server; yields a function that asks it."""
    binary = nginx_or_fail()
    settings.VISIBLEWORK_PAGE_CACHE = True
    settings.VISIBLEWORK_SHARED_CACHE_SECONDS = SHARED_SECONDS
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    conf = tmp_path / "nginx.conf"
    conf.write_text(_configuration(tmp_path, port, upstream))
    process = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(conf),
                                "-g", "daemon off;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)

    def ask(path: str, method: str = "GET", headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return (response.status, {k.lower(): v for k, v in response.getheaders()},
                    response.read().decode())
        finally:
            connection.close()

    yield ask
    process.terminate()
    process.wait(timeout=10)


def _status(answer) -> str:
    return answer[1].get("x-cache-status", "")


def test_the_operations_guide_shows_the_tested_nginx_configuration():
    assert EXAMPLE.read_text().strip() in OPERATIONS.read_text()


def test_a_second_anonymous_get_is_answered_by_the_cache(proxy, catalogue):
    first = proxy("/api/v1/cases?limit=3")
    second = proxy("/api/v1/cases?limit=3")
    assert first[0] == second[0] == 200
    assert (_status(first), _status(second)) == ("MISS", "HIT")
    assert second[2] == first[2]


def test_after_an_edit_the_cache_serves_the_new_content(proxy, catalogue):
    case = catalogue.cases["kenya"]
    assert "Kenyan workers" in proxy("/cases/")[2]
    assert _status(proxy("/cases/")) == "HIT"
    save_case({**snapshot(case), "title": "Corrected by an editor"}, case=case, summary="edit")
    time.sleep(SHARED_SECONDS + 1.1)
    status, headers, body = proxy("/cases/")
    assert status == 200 and headers["x-cache-status"] == "EXPIRED"
    assert "Corrected by an editor" in body and "Kenyan workers" not in body
    assert _status(proxy("/cases/")) == "HIT"


def test_an_unchanged_page_past_its_lifetime_is_revalidated_not_built_again(proxy, catalogue):
    first = proxy("/cases/")
    time.sleep(SHARED_SECONDS + 1.1)
    again = proxy("/cases/")
    assert _status(again) == "REVALIDATED" and again[2] == first[2]


def test_two_languages_are_cached_apart(proxy, catalogue):
    french = proxy("/cases/", headers={"Accept-Language": "fr"})
    english = proxy("/cases/", headers={"Accept-Language": "en"})
    assert (_status(french), _status(english)) == ("MISS", "MISS")
    french_again = proxy("/cases/", headers={"Accept-Language": "fr"})
    assert _status(french_again) == "HIT"
    assert '<html lang="fr"' in french_again[2] and '<html lang="en"' in english[2]


def test_a_request_with_a_session_cookie_bypasses_the_cache(proxy, catalogue):
    proxy("/cases/")
    assert _status(proxy("/cases/")) == "HIT"
    assert _status(proxy("/cases/", headers={"Cookie": "sessionid=abc"})) == "BYPASS"


def test_a_post_to_a_cached_address_reaches_the_application(proxy, catalogue):
    proxy("/api/v1/cases")
    assert _status(proxy("/api/v1/cases")) == "HIT"
    status, headers, _body = proxy("/api/v1/cases", method="POST", body=b"{}",
                                   headers={"Content-Type": "application/json"})
    assert status == 405 and headers.get("x-cache-status", "") != "HIT"
