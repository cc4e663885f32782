"""More than one application server (`bench run --only servers --postgres URL`): two `serve`
processes on different ports sharing one PostgreSQL database, as a deployment behind a load
balancer runs them.

- An editor retracts a case through server A, once a second; the next browse page of server B
  must no longer list it ("seen"), and is timed against B's browse page with nothing written.
- Both servers are browsed throughout (p99 of each), once with nothing written and once while
  the editor writes, so that the two figures come from the same run.
- The HTTP scenarios of the `http` group run again on server A, on PostgreSQL.

The data is generated into a new database on the given server (then analysed: see
`postgres.analyze`), dropped afterwards.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from . import load
from .postgres import analyze, temporary_postgres
from .scenarios import scenarios
from .table import INFO, NOT_AVAILABLE, STREAM_P99, WRITE_RATIO, Row, ms, times, verdict

if TYPE_CHECKING:
    from .run import Runner

BROWSE = "/cases/"
CONNECTIONS = 2  # per server


@dataclass
class EditorLog:
    """What the editor did: each write, whether B's next page showed it, and how long that
    page took; and B's page when nothing was written, timed the same way."""

    writes: int = 0
    seen: int = 0
    failures: list[str] = field(default_factory=list)
    after_write: list[float] = field(default_factory=list)
    unchanged: list[float] = field(default_factory=list)


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[float, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our server
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        body = response.read().decode("utf-8", "replace")
    return time.perf_counter() - started, body


def _retract(base: str, case_id: int, cookie: str, session: str) -> int:
    """POST the retraction as the editor's browser would (session and CSRF cookies)."""
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret the cookie and header share
    request = urllib.request.Request(  # noqa: S310 - our server
        f"{base}/review/cases/{case_id}/retract/",
        data=b"reason=benchmark", method="POST",
        headers={"Cookie": f"{cookie}={session}; csrftoken={token}", "X-CSRFToken": token,
                 "Content-Type": "application/x-www-form-urlencoded"})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _editor(a: str, b: str, editor: dict, seconds: float, log: EditorLog, *,
            write: bool) -> None:
    """Once a second for `seconds`: retract the next case through A (if `write`), then ask B
    for its browse page, timed, and check the case is gone from it."""
    cases = list(editor["cases"])
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and cases:
        started = time.monotonic()
        if write:
            case_id, _slug = cases.pop(0)
            status = _retract(a, case_id, editor["cookie"], editor["session"])
            if status != 302:
                log.failures.append(f"retract {case_id}: {status}")
                continue
            log.writes += 1
            elapsed, body = _get(b + BROWSE)
            log.after_write.append(elapsed)
            if f"/cases/{case_id}/" not in body:
                log.seen += 1
        else:
            elapsed, _body = _get(b + BROWSE)
            log.unchanged.append(elapsed)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def _browse_both(a: str, b: str, seconds: float, editor_run) -> tuple[load.LoadResult, ...]:
    """Browse load on A and on B at once, for `seconds`, while `editor_run` runs."""
    results: dict[str, load.LoadResult] = {}

    def browse(name: str, base: str) -> None:
        results[name] = load.run_python(base + BROWSE, seconds, CONNECTIONS)

    threads = [threading.Thread(target=browse, args=(name, base))
               for name, base in (("a", a), ("b", b))]
    for thread in threads:
        thread.start()
    try:
        editor_run()
    finally:
        for thread in threads:
            thread.join()
    return results["a"], results["b"]


def run(runner: Runner) -> None:
    options, sizes = runner.options, runner.sizes
    label = _("two servers on one PostgreSQL database")
    if not options.postgres:
        runner.rows.append(Row(label, _("not available"), result=NOT_AVAILABLE,
                               note=_("no --postgres URL was given")))
        return
    home = runner.workdir / "servers"
    home.mkdir(exist_ok=True)
    seconds = max(10.0, sizes.http_seconds * 2)
    with temporary_postgres(options.postgres) as url:
        runner.command(home, ["migrate", "-v0"], log="servers-migrate", database_url=url)
        started = time.monotonic()
        out = runner.logs / "servers-generate.json"
        runner.command(home, ["bench", "generate", "--cases", str(sizes.cases), "--reports",
                              "0", "--seed", str(options.seed), "--no-progress", "--json-out",
                              str(out)], log="servers-generate", database_url=url)
        analyze(url)
        runner.rows.append(Row(_("generate %(n)s synthetic cases on PostgreSQL") % {
            "n": f"{sizes.cases:,}"}, f"{time.monotonic() - started:.1f} s"))
        editor = runner.measure(home, "editor-session", "--iterations", str(int(seconds) + 5),
                                database_url=url)
        env = load.child_env(home, url, VISIBLEWORK_PAGE_CACHE="false",
                             VISIBLEWORK_RATE_LIMITS="false")
        servers = []
        try:
            for name in ("a", "b"):
                port = load.free_port()
                server = load.Server(
                    load.visiblework_command("serve", "--bind", f"127.0.0.1:{port}",
                                             "--workers", "2"),
                    env, port, runner.logs / f"serve-servers-{name}.log",
                    ready_path="/about/data-use/")
                servers.append(server.__enter__())
            a, b = (server.base for server in servers)
            for base in (a, b):  # each worker builds its index on its first browse
                load.warm(base + BROWSE, max(3.0, 3 * (runner.index_build or 2)), 4)
            log = EditorLog()
            idle = _browse_both(a, b, seconds, lambda: _editor(a, b, editor, seconds, log,
                                                               write=False))
            busy = _browse_both(a, b, seconds, lambda: _editor(a, b, editor, seconds, log,
                                                               write=True))
            (runner.logs / "servers.json").write_text(json.dumps(
                {"writes": log.writes, "seen": log.seen, "failures": log.failures,
                 "after_write": log.after_write, "unchanged": log.unchanged}))
            _rows(runner, log, idle, busy)
            _http_rows(runner, a)
        finally:
            for server in reversed(servers):
                server.__exit__(None, None, None)


def _rows(runner: Runner, log: EditorLog, idle: tuple[load.LoadResult, ...],
          busy: tuple[load.LoadResult, ...]) -> None:
    n = f"{runner.sizes.cases:,}"
    runner.rows.append(Row(
        _("two servers, one PostgreSQL database: a retraction through A is gone from B's next "
          "browse page (%(n)s cases)") % {"n": n},
        _("seen %(seen)d/%(writes)d") % {"seen": log.seen, "writes": log.writes},
        target=_("every write"),
        result=verdict(log.writes > 0 and log.seen == log.writes and not log.failures),
        note="; ".join(log.failures[:3])))
    after = load.percentile(log.after_write, 50)
    unchanged = load.percentile(log.unchanged, 50)
    ratio = after / unchanged if after is not None and unchanged else None
    runner.rows.append(Row(
        _("B's next browse page after a write through A, first view (%(n)s cases)") % {"n": n},
        _("%(p50)s (max %(max)s)") % {"p50": ms(after),
                                      "max": ms(max(log.after_write, default=None))},
        _("nothing written %(p50)s") % {"p50": ms(unchanged)}, times(ratio),
        _("≤ %(r).0f×") % {"r": WRITE_RATIO},
        verdict(ratio is not None and ratio <= WRITE_RATIO)))
    for name, still, writing in (("A", idle[0], busy[0]), ("B", idle[1], busy[1])):
        runner.rows.append(Row(
            _("browse p99 over HTTP on server %(server)s while an editor writes through A once "
              "a second (%(n)s cases)") % {"server": name, "n": n},
            _("p99 %(p99)s, p50 %(p50)s (%(req)s requests)") % {
                "p99": ms(writing.p99), "p50": ms(writing.p50),
                "req": f"{writing.requests:,}"},
            _("nothing written: p99 %(p99)s, p50 %(p50)s") % {"p99": ms(still.p99),
                                                               "p50": ms(still.p50)},
            target=_("p99 ≤ %(ms).0f ms") % {"ms": STREAM_P99 * 1000},
            result=verdict(writing.p99 is not None and writing.p99 <= STREAM_P99
                           and not writing.errors),
            note=_("%(n)d errors") % {"n": writing.errors} if writing.errors else ""))


def _http_rows(runner: Runner, base: str) -> None:
    """The HTTP scenarios again, on server A (PostgreSQL, first views)."""
    sizes = runner.sizes
    for scenario in scenarios():
        if not scenario.http:
            continue
        url = base + scenario.urls[0]
        load.warm(url, min(1.0, sizes.http_seconds / 2), sizes.http_connections)
        result = load.run_load(url, sizes.http_seconds, sizes.http_connections)
        runner.rows.append(Row(
            _("%(what)s: throughput over HTTP on PostgreSQL, 2 workers, first views "
              "(%(n)s cases)") % {"what": scenario.label, "n": f"{sizes.cases:,}"},
            _("%(rate)s req/s (p50 %(p50)s, p99 %(p99)s)") % {
                "rate": f"{result.rate:,.0f}", "p50": ms(result.p50), "p99": ms(result.p99)},
            result=INFO,
            note=_("%(n)d errors") % {"n": result.errors} if result.errors else ""))


