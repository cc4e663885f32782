"""Two `serve` processes on one PostgreSQL database, as behind a load balancer: a write made
through one is seen through the other on its next request, whichever worker answers it
(cases/facets.py follows the change named by the write's CatalogueChange row).

Real servers in subprocesses, on a scratch database dropped afterwards; fails in CI when
PostgreSQL cannot be reached, skips elsewhere. Only 127.0.0.1 traffic, bounded in time."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.core.test_backup import Scratch, clean_env, pg_admin, url_for, vw
from visiblework.benchmarks import load, servers

# The run on PostgreSQL leaves this out: its servers run on a scratch database of their own,
# the same whichever database the suite uses.
pytestmark = pytest.mark.database_independent


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Servers A and B (two workers each) on one scratch database with 30 cases, and an
    editor's session with the newest cases."""
    scratch = Scratch(pg_admin(), "servers_test")
    folder = tmp_path_factory.mktemp("servers")
    running: list[load.Server] = []
    try:
        env = clean_env(folder / "var", url_for(scratch.create("db")),
                        VISIBLEWORK_PAGE_CACHE="false", VISIBLEWORK_RATE_LIMITS="false")
        vw(env, folder, "migrate", "-v0")
        vw(env, folder, "bench", "generate", "--cases", "30", "--reports", "0", "--seed", "3",
           "--no-progress")
        vw(env, folder, "bench", "measure", "editor-session", "--iterations", "3", "--out",
           str(folder / "editor.json"))
        editor = json.loads((folder / "editor.json").read_text())
        for name in ("a", "b"):
            port = load.free_port()
            running.append(load.Server(
                [*load.visiblework_command("serve", "--bind", f"127.0.0.1:{port}", "--workers",
                                           "2")],
                env, port, folder / f"serve-{name}.log", ready_path="/about/data-use/"
            ).__enter__())
        yield running[0].base, running[1].base, editor
    finally:
        for server in running:
            server.stop()
        scratch.drop_all()


def browse(base: str) -> str:
    with urllib.request.urlopen(base + "/cases/", timeout=30) as response:  # noqa: S310
        return response.read().decode()


def test_a_write_through_one_server_is_seen_by_the_other_on_its_next_request(two_servers):
    a, b, editor = two_servers
    case_id, _slug = editor["cases"][0]
    for _ in range(4):  # both workers of each server hold an index that lists the case
        assert f"/cases/{case_id}/" in browse(a) and f"/cases/{case_id}/" in browse(b)
    assert servers._retract(a, case_id, editor["cookie"], editor["session"]) == 302
    for _ in range(4):  # whichever worker of B answers
        assert f"/cases/{case_id}/" not in browse(b)
