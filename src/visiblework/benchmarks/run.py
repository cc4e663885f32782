"""`visiblework bench run`: generate data in a throw-away folder, measure, print one table and
write it with the machine's details to bench/results/<date>.md.

Every measurement runs in a child process (a `visiblework bench measure ...` command, or a
server) whose data folder is inside the work folder, so the caller's own data is never read
or written. Servers listen on 127.0.0.1 only; every load loop is bounded in time and count.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import signal
import sqlite3
import subprocess  # noqa: S404 - our own commands, no shell
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from rich.console import Console

from . import datasette as ds
from . import load, machine, servers
from .imports import write_csv, write_mapping
from .intake import reconcile, run_intake
from .postgres import temporary_postgres
from .scenarios import scenarios
from .table import (
    INFO,
    NOT_AVAILABLE,
    STREAM_P99,
    WRITE_RATIO,
    Row,
    gib,
    kib,
    ms,
    notes,
    per_second,
    render,
    secs,
    times,
    verdict,
)

PAGE_LIMIT = 60 * 1024
P50_LIMIT = 0.015
THROUGHPUT_RATIO = 10.0
RELEASE_RATIO = 10.0  # the DP engine against a plain Polars group-by over the same rows
RELEASE_SECONDS_PER_MILLION = 15.0  # end to end: 15 s at 1,000,000, 150 s at 10,000,000
RELEASE_MEMORY = 4 * 2**30
RELEASE_FULL = 10_000_000  # reports of the release benchmark's own data (full run)
RELEASE_GENERATE_SECONDS = 300.0  # generating RELEASE_FULL reports
RELEASE_CASES = 2_000  # cases beside them: the public platforms and clients
# Polars' allocator (jemalloc) hands freed memory back to the system within a second rather
# than keeping it for reuse, so that a release's peak is what it needs at once.
RELEASE_ALLOCATOR = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
INTAKE_RATE = 300.0
GENERATE_SECONDS = 120.0
ROUNDS = 2  # turns per URL in the HTTP comparison
FULL_REPORTS = 1_000_000
GROUPS = ("views", "http", "writes", "servers", "release", "weight", "intake", "imports")


@dataclass
class Sizes:
    cases: int
    reports: int
    csv_rows: int
    view_iterations: int
    view_seconds: float
    http_seconds: float
    http_connections: int
    intake_clients: int
    intake_seconds: float
    aiid_limit: int | None
    release_reports: int


# A smoke run (the suite runs it): every row measured, each for as short a time as still
# gives a figure.
QUICK = Sizes(cases=2_000, reports=20_000, csv_rows=1_000, view_iterations=40, view_seconds=1,
              http_seconds=1, http_connections=8, intake_clients=4, intake_seconds=2,
              aiid_limit=200, release_reports=20_000)
FULL = Sizes(cases=100_000, reports=1_000_000, csv_rows=100_000, view_iterations=300,
             view_seconds=20, http_seconds=10, http_connections=16, intake_clients=32,
             intake_seconds=30, aiid_limit=None, release_reports=RELEASE_FULL)


@dataclass
class Options:
    quick: bool = False
    workdir: Path | None = None
    keep: bool = False
    postgres: str | None = None
    datasette: str | None = None
    aiid: Path | None = None
    output: Path | None = None
    seed: int = 1
    only: tuple[str, ...] = GROUPS
    overrides: dict[str, Any] = field(default_factory=dict)  # Sizes fields
    argv: list[str] = field(default_factory=list)


class BenchError(RuntimeError):
    pass


def default_aiid() -> Path | None:
    """../shared/data/aiid_snapshot beside the repository (the current folder or this source
    tree), if it is there."""
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        candidate = base.parent / "shared" / "data" / "aiid_snapshot"
        if (candidate / "incidents.csv").exists():
            return candidate
    return None


class Runner:
    def __init__(self, options: Options, console: Console | None = None):
        self.options = options
        base = QUICK if options.quick else FULL
        self.sizes = Sizes(**{**base.__dict__, **options.overrides})
        self.console = console or Console(stderr=True)
        self.rows: list[Row] = []
        self.extra_notes: list[str] = []
        self.temporary = options.workdir is None
        self.workdir = (options.workdir or Path(tempfile.mkdtemp(prefix="visiblework-bench-"))).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data = self.workdir / "data"
        self.logs = self.workdir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.datasette = ds.find_datasette(options.datasette)
        self.index_build: float | None = None
        self.failed = False
        self.all_notes: list[str] = []
        self.machine: list[tuple[str, str]] = []

    # --- plumbing ------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.console.print(f"[dim]•[/dim] {message}", highlight=False)

    def command(self, home: Path, args: list[str], *, log: str, database_url: str | None = None,
                timeout: float = 3600, show_progress: bool = False, **env: str) -> None:
        log_path = self.logs / f"{log}.log"
        with log_path.open("ab") as handle:
            done = subprocess.run(  # noqa: S603
                load.visiblework_command(*args), env=load.child_env(home, database_url, **env),
                stdout=handle, stderr=None if show_progress else handle, stdin=subprocess.DEVNULL,
                timeout=timeout, check=False)
        if done.returncode != 0:
            tail = log_path.read_text(errors="replace").strip().splitlines()[-5:]
            raise BenchError(_("%(command)s failed (see %(log)s): %(tail)s") % {
                "command": " ".join(args[:3]), "log": log_path, "tail": " / ".join(tail)})

    def measure(self, home: Path, what: str, *args: str, timeout: float = 3600,
                database_url: str | None = None, **env: str) -> dict[str, Any]:
        out = self.logs / f"{what}-{secrets.token_hex(3)}.json"
        self.command(home, ["bench", "measure", what, *args, "--out", str(out)], log=what,
                     database_url=database_url, timeout=timeout, **env)
        return json.loads(out.read_text())

    def group(self, name: str, label: str, body: Callable[[], None]) -> None:
        if name not in self.options.only:
            return
        self.say(label)
        started = time.monotonic()
        try:
            body()
        except Exception as exc:  # one failing part must not lose the others' figures
            self.failed = True
            self.rows.append(Row(label, _("failed"), result=NOT_AVAILABLE,
                                 note=f"{type(exc).__name__}: {exc}"[:500]))
        self.say(_("%(label)s: %(seconds).0f s") % {"label": label,
                                                      "seconds": time.monotonic() - started})

    # --- the run -------------------------------------------------------------------------

    def run(self) -> tuple[list[Row], Path]:
        started = time.monotonic()
        self.machine = machine.describe(self.options.postgres, self.datasette, load.wrk_path())
        try:
            self.prepare_data()
            self.group("views", _("timing views in-process"), self.views)
            self.group("http", _("throughput over HTTP, against Datasette"), self.http)
            self.group("writes", _("browsing while the catalogue changes"), self.writes)
            self.group("servers", _("two servers on one PostgreSQL database"),
                       lambda: servers.run(self))
            self.group("release", _("building a release"), self.release)
            self.group("weight", _("weighing public pages"), self.weight)
            self.group("intake", _("report intake under load"), self.intake)
            self.group("imports", _("imports"), self.imports)
        finally:
            if self.temporary and not self.options.keep and not self.failed:
                shutil.rmtree(self.workdir, ignore_errors=True)
            elif self.failed:
                self.extra_notes.append(_("Logs kept in %(path)s.") % {"path": self.logs})
        elapsed = time.monotonic() - started
        path = self.write_results(elapsed)
        return self.rows, path

    def prepare_data(self) -> None:
        sizes = self.sizes
        marker = self.data / "bench-data.json"
        wanted = {"cases": sizes.cases, "reports": sizes.reports, "seed": self.options.seed}
        if marker.exists() and json.loads(marker.read_text()).get("wanted") == wanted:
            stats = json.loads(marker.read_text())["stats"]
            self.say(_("reusing the data in %(path)s") % {"path": self.data})
            self.extra_notes.append(_("Synthetic data reused from an earlier run in %(path)s.")
                                    % {"path": self.data})
        else:
            if self.data.exists():
                shutil.rmtree(self.data)
            self.data.mkdir(parents=True)
            self.say(_("generating %(cases)s cases and %(reports)s reports") % {
                "cases": f"{sizes.cases:,}", "reports": f"{sizes.reports:,}"})
            self.command(self.data, ["migrate", "-v0"], log="migrate")
            out = self.logs / "generate.json"
            self.command(self.data, ["bench", "generate", "--cases", str(sizes.cases), "--reports",
                                     str(sizes.reports), "--seed", str(self.options.seed),
                                     "--json-out", str(out)], log="generate", show_progress=True)
            stats = json.loads(out.read_text())
            marker.write_text(json.dumps({"wanted": wanted, "stats": stats}))
        seconds = stats["seconds"]
        if sizes.reports:
            reports_seconds = seconds.get("reports", 0.0)
            rate = sizes.reports / reports_seconds if reports_seconds else None
            full = sizes.reports >= FULL_REPORTS
            self.rows.append(Row(
                _("generate %(n)s synthetic reports") % {"n": f"{sizes.reports:,}"},
                f"{secs(reports_seconds)} ({per_second(rate, _('reports/s'))})",
                target=_("≤ 120 s for 1,000,000"),
                result=verdict(reports_seconds * FULL_REPORTS / sizes.reports <= GENERATE_SECONDS)
                if full else INFO))
        if sizes.cases:
            self.rows.append(Row(
                _("generate %(n)s synthetic cases (with search index)") % {"n": f"{sizes.cases:,}"},
                secs(seconds.get("cases"))))

    # --- views, in-process ---------------------------------------------------------------

    def views(self) -> None:
        sizes = self.sizes
        # First views: the per-process page cache would answer repeated addresses in 0.3 ms
        # and hide what a page costs to build.
        result = self.measure(self.data, "views", "--iterations", str(sizes.view_iterations),
                              "--seconds", str(sizes.view_seconds), VISIBLEWORK_PAGE_CACHE="false")
        self.index_build = result.get("index_build_seconds")
        self.extra_notes.append(_("Server-side timings are of pages built afresh: the page "
                                  "cache (VISIBLEWORK_PAGE_CACHE) was off."))
        for scenario in scenarios():
            figures = result.get(scenario.key, {})
            label = _("%(what)s: server-side p50 / p99 (%(n)s cases)") % {
                "what": scenario.label, "n": f"{sizes.cases:,}"}
            if "p50" not in figures:
                self.rows.append(Row(label, _("failed"), result=NOT_AVAILABLE,
                                     note=figures.get("error", "")))
                continue
            note = (_("%(errors)d of %(n)d responses were not 200") % figures
                    if figures.get("errors") else "")
            self.rows.append(Row(label, f"{ms(figures['p50'])} / {ms(figures['p99'])}",
                                 target=_("p50 ≤ 15 ms"), result=verdict(figures["p50"] <= P50_LIMIT),
                                 note=note))
        if self.index_build is not None:
            self.rows.append(Row(_("facet index build, first request (%(n)s cases)")
                                 % {"n": f"{sizes.cases:,}"}, secs(self.index_build)))

    # --- throughput over HTTP ------------------------------------------------------------

    def http(self) -> None:
        sizes = self.sizes
        measured = [s for s in scenarios() if s.http]
        warm_seconds = min(1.0, sizes.http_seconds / 2)
        ours: dict[str, list[load.LoadResult]] = {s.key: [] for s in measured}
        # The same server as deployed: the page cache on, so a repeated address is answered
        # from memory until the catalogue changes.
        cached: dict[str, list[load.LoadResult]] = {s.key: [] for s in measured}
        slow: list[str] = []
        theirs: dict[str, list[load.LoadResult]] = {s.key: [] for s in measured}
        reason = ""
        database = self.data / "visiblework.sqlite3"
        port = load.free_port()
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(load.Server(
                load.visiblework_command("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
                load.child_env(self.data, VISIBLEWORK_PAGE_CACHE="false"), port,
                self.logs / "serve-http.log",
                ready_path="/about/data-use/"))
            cached_port = load.free_port()
            deployed = stack.enter_context(load.Server(
                load.visiblework_command("serve", "--bind", f"127.0.0.1:{cached_port}",
                                         "--workers", "2"),
                load.child_env(self.data, VISIBLEWORK_PAGE_CACHE="true"), cached_port,
                self.logs / "serve-http-cached.log", ready_path="/about/data-use/"))
            # Each worker builds its own facet index on its first catalogue request.
            for base in (server.base, deployed.base):
                load.warm(base + measured[0].urls[0],
                          max(sizes.http_seconds, 3 * (self.index_build or 1)),
                          sizes.http_connections)
            datasette = None
            if not self.datasette:
                reason = _("Datasette is not installed (pip install datasette), so the comparison "
                           "is not available.")
            else:
                exported = ds.export_flat_table(database)
                stack.callback(ds.drop_flat_table, database)
                self.extra_notes.append(_("Datasette served %(n)s published cases from the same "
                                          "SQLite file (table %(table)s, FTS5 on title, summary, "
                                          "body).") % {"n": f"{exported:,}", "table": "bench_cases_flat"})
                ds_port = load.free_port()
                try:
                    datasette = stack.enter_context(load.Server(
                        ds.command(self.datasette, database, ds_port), load.child_env(self.data),
                        ds_port, self.logs / "datasette.log", ready_path="/-/versions.json"))
                except (RuntimeError, OSError) as exc:
                    reason = _("Datasette did not start: %(error)s") % {"error": exc}
            # Both servers run side by side and take turns, so that other work on the machine
            # weighs on both figures alike.
            for scenario in measured:
                targets = [(server.base + scenario.urls[0], ours[scenario.key]),
                           (deployed.base + scenario.urls[0], cached[scenario.key])]
                if datasette is not None:
                    targets.append((f"{datasette.base}/visiblework{scenario.datasette}",
                                    theirs[scenario.key]))
                for url, _results in targets:
                    load.warm(url, warm_seconds, sizes.http_connections)
                for _round in range(ROUNDS):
                    for url, results in targets:
                        results.append(load.run_load(url, sizes.http_seconds / ROUNDS,
                                                     sizes.http_connections))
                # wrk drops the requests still in flight when a turn ends: when responses take
                # about as long as a turn, that hides a slow server's work. Measure both again
                # with the Python client, which lets every request it started finish and counts
                # the time that takes.
                if any(r.requests < 2 * sizes.http_connections for _u, rs in targets for r in rs):
                    slow.append(scenario.label)
                    for _url, results in targets:
                        results.clear()
                    for _round in range(ROUNDS):
                        for url, results in targets:
                            results.append(load.run_python(url, sizes.http_seconds / ROUNDS,
                                                           sizes.http_connections))
        theirs_total = {key: load.combine(results) for key, results in theirs.items() if results}
        rows = [(scenario, load.combine(ours[scenario.key]), _(
                    "%(what)s: throughput over HTTP, 2 workers, first views (%(n)s cases)"))
                for scenario in measured]
        rows += [(scenario, load.combine(cached[scenario.key]), _(
                     "%(what)s: throughput over HTTP, 2 workers, as deployed (%(n)s cases)"))
                 for scenario in measured]
        for scenario, mine, template in rows:
            other = theirs_total.get(scenario.key)
            label = template % {"what": scenario.label, "n": f"{sizes.cases:,}"}
            figure = _("%(rate)s req/s (p50 %(p50)s, p99 %(p99)s)") % {
                "rate": f"{mine.rate:,.0f}", "p50": ms(mine.p50), "p99": ms(mine.p99)}
            problems = []
            if mine.errors:
                problems.append(_("%(n)d errors from our server") % {"n": mine.errors})
            if other is None:
                self.rows.append(Row(label, figure, _("Datasette: not available"), target=_("≥ 10×"),
                                     result=NOT_AVAILABLE, note="; ".join([*problems, reason])))
                continue
            if other.errors:
                problems.append(_("%(n)d errors from Datasette") % {"n": other.errors})
            ratio = mine.rate / other.rate if other.rate else None
            self.rows.append(Row(label, figure,
                                 _("Datasette %(rate)s req/s") % {"rate": f"{other.rate:,.1f}"},
                                 times(ratio), _("≥ 10×"),
                                 verdict(ratio is not None and ratio >= THROUGHPUT_RATIO),
                                 note="; ".join(problems)))
        tool = "wrk" if load.wrk_path() else _("a Python client with threads")
        if slow and load.wrk_path():
            self.extra_notes.append(_("Measured with the Python client instead of wrk, because "
                                      "responses took about as long as a turn: %(what)s.")
                                    % {"what": ", ".join(slow)})
        self.extra_notes.append(_("HTTP load: %(tool)s, %(c)d connections, %(s).0f s per URL and "
                                  "server in %(r)d turns taken alternately with Datasette, after a "
                                  "warm-up; servers `visiblework serve --workers 2` (gunicorn, 4 "
                                  "threads each): \"first views\" with the page cache off, so "
                                  "that every request builds its page; \"as deployed\" with the "
                                  "page cache on, its default, so that a repeated address is "
                                  "answered from memory until the catalogue changes (Datasette "
                                  "has no such cache); p50 is the mean and p99 the highest of the "
                                  "turns.")
                                % {"tool": tool, "c": sizes.http_connections, "s": sizes.http_seconds,
                                   "r": ROUNDS})

    # --- writes --------------------------------------------------------------------------

    def writes(self) -> None:
        """The browse page right after a write, against an unchanged one (in one process:
        every process pays the same, following the change on its next request); then browse
        over HTTP while one case is edited a second and a CSV import runs."""
        sizes = self.sizes
        result = self.measure(self.data, "writes", "--iterations", str(max(10, sizes.view_iterations // 10)),
                              VISIBLEWORK_PAGE_CACHE="false")
        unchanged = result["unchanged_p50"]
        for key, label in (("edited", _("browse right after an edit of one case, first view "
                                        "(%(n)s cases)")),
                           ("moved", _("browse right after one case changed year, first view "
                                       "(%(n)s cases)"))):
            after = result[f"{key}_p50"]
            ratio = after / unchanged if unchanged else None
            self.rows.append(Row(
                label % {"n": f"{sizes.cases:,}"},
                _("%(p50)s (max %(max)s)") % {"p50": ms(after), "max": ms(result[f"{key}_max"])},
                _("unchanged %(p50)s") % {"p50": ms(unchanged)}, times(ratio),
                _("≤ %(r).0f×") % {"r": WRITE_RATIO},
                verdict(ratio is not None and ratio <= WRITE_RATIO)))
        self.extra_notes.append(_("A full rebuild of the facet index, which every process paid "
                                  "after every write before it followed changes: %(s)s.")
                                % {"s": secs(result["rebuild_seconds"])})
        self._browse_while_writing()

    def _browse_while_writing(self) -> None:
        sizes = self.sizes
        seconds = sizes.http_seconds * 2
        csv_path, mapping = self.workdir / "stream.csv", self.workdir / "stream.toml"
        # Enough rows to keep the import busy for the whole load: twice the pace of about
        # 1,000 changed rows a second.
        rows, seed = min(sizes.csv_rows, int(seconds * 2_000)), int(time.time())
        write_mapping(mapping)
        # The import under load changes cases that are there already, as the re-import of a
        # tracker does (new rows go quicker and could be done before the load is): its rows
        # are imported once first, then the same ids with other content (another seed).
        write_csv(csv_path, rows, seed)
        self.command(self.data, ["import", "csv", str(csv_path), "--mapping", str(mapping),
                                 "--no-duplicates"], log="writes-import-first")
        write_csv(csv_path, rows, seed + 1)
        port = load.free_port()
        url = f"http://127.0.0.1:{port}{scenarios()[0].urls[0]}"
        with load.Server(load.visiblework_command("serve", "--bind", f"127.0.0.1:{port}",
                                                  "--workers", "2"),
                         load.child_env(self.data, VISIBLEWORK_PAGE_CACHE="false"), port,
                         self.logs / "serve-writes.log", ready_path="/about/data-use/"):
            load.warm(url, max(3.0, 3 * (self.index_build or 1)), 2)
            # The same load with nothing written, just before: what the machine gives anyway.
            still = load.run_python(url, seconds, 4)
            writers = [
                subprocess.Popen(  # noqa: S603 - our own command
                    load.visiblework_command(*args), env=load.child_env(self.data),
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    stdin=subprocess.DEVNULL)
                for args in (["bench", "measure", "edit-stream", "--seconds", str(seconds),
                              "--out", str(self.logs / "edit-stream.json")],
                             ["import", "csv", str(csv_path), "--mapping", str(mapping),
                              "--no-duplicates"])]
            try:
                result = load.run_python(url, seconds, 4)
                import_ended = writers[1].poll() is not None
            finally:
                # The load is over: the import stops after the batch under way, as on Ctrl-C
                # (its rows that change cases take minutes to finish); the edit stream ends
                # by itself.
                writers[1].send_signal(signal.SIGINT)
                for writer in writers:
                    try:
                        writer.wait(timeout=600)
                    except subprocess.TimeoutExpired:
                        writer.kill()
        errors = [_("%(n)d errors") % {"n": result.errors}] if result.errors else []
        ran = (_("the import of %(n)s changed rows ended before the load did") if import_ended
               else _("the import of %(n)s changed rows ran throughout the load")) % {
            "n": f"{rows:,}"}
        stream = self.logs / "edit-stream.json"
        edited = json.loads(stream.read_text()) if stream.exists() else {}
        edits = _("%(n)d edits, %(failed)d failed, slowest save %(max)s") % {
            "n": edited.get("edits", 0), "failed": edited.get("failed", 0),
            "max": ms(edited.get("save_max"))}
        self.rows.append(Row(
            _("browse p99 over HTTP while one case is edited a second and a CSV import runs "
              "(%(n)s cases)") % {"n": f"{sizes.cases:,}"},
            _("p99 %(p99)s, p50 %(p50)s (%(req)s requests; %(edits)s)") % {
                "p99": ms(result.p99), "p50": ms(result.p50), "req": f"{result.requests:,}",
                "edits": edits},
            _("nothing written: p99 %(p99)s, p50 %(p50)s") % {"p99": ms(still.p99),
                                                               "p50": ms(still.p50)},
            target=_("p99 ≤ %(ms).0f ms") % {"ms": STREAM_P99 * 1000},
            result=verdict(result.p99 is not None and result.p99 <= STREAM_P99 and not result.errors),
            note="; ".join([*errors, ran])))

    # --- release -------------------------------------------------------------------------

    def release_data(self, reports: int) -> Path:
        """A data folder of its own for the release benchmark (WORKDIR/release-N), generated
        once and reused while the sizes match; the generator's time is a row of its own."""
        folder = self.workdir / f"release-{reports}"
        marker = folder / "bench-data.json"
        wanted = {"cases": RELEASE_CASES, "reports": reports, "seed": self.options.seed}
        if marker.exists() and json.loads(marker.read_text()).get("wanted") == wanted:
            stats = json.loads(marker.read_text())["stats"]
            self.say(_("reusing the data in %(path)s") % {"path": folder})
        else:
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            self.say(_("generating %(reports)s reports for the release") % {
                "reports": f"{reports:,}"})
            self.command(folder, ["migrate", "-v0"], log="release-migrate")
            out = self.logs / f"release-generate-{reports}.json"
            self.command(folder, ["bench", "generate", "--cases", str(RELEASE_CASES),
                                  "--reports", str(reports), "--seed", str(self.options.seed),
                                  "--json-out", str(out)], log="release-generate",
                         show_progress=True, timeout=4 * 3600)
            stats = json.loads(out.read_text())
            marker.write_text(json.dumps({"wanted": wanted, "stats": stats}))
        seconds = stats["seconds"].get("reports", 0.0)
        rate = reports / seconds if seconds else None
        self.rows.append(Row(
            _("generate %(n)s synthetic reports for the release") % {"n": f"{reports:,}"},
            f"{secs(seconds)} ({per_second(rate, _('reports/s'))})",
            target=_("≤ 300 s for 10,000,000"),
            result=verdict(seconds * RELEASE_FULL / reports <= RELEASE_GENERATE_SECONDS)
            if reports >= RELEASE_FULL else INFO))
        return folder

    def release(self) -> None:
        reports = self.sizes.release_reports
        if reports <= 0:
            return
        data = self.release_data(reports)
        label = f"bench-{datetime.now(UTC):%Y%m%d%H%M%S}"
        # Each build charges every worker's lifetime privacy budget (insights/budget.py); a
        # data folder reused across runs would soon leave everybody out and time an empty
        # release. A budget this large keeps every run measuring the same release, ledger
        # charge included.
        result = self.measure(data, "release", "--label", label, timeout=4 * 3600,
                              VISIBLEWORK_WORKER_EPSILON_BUDGET="1000000",
                              VISIBLEWORK_WORKER_DELTA_BUDGET="0.5",
                              _RJEM_MALLOC_CONF=RELEASE_ALLOCATOR)
        t = result.get("timings", {})
        rows = result.get("rows", 0)
        size = f"{rows:,}"
        # Targets hold from 1,000,000 reports up; below, the fixed costs dominate and the
        # rows are for information.
        scored = reports >= FULL_REPORTS
        seconds_target = RELEASE_SECONDS_PER_MILLION * max(reports, FULL_REPORTS) / FULL_REPORTS
        targets = {"ratio": _("≤ %(r).0f×") % {"r": RELEASE_RATIO},
                   "total": _("≤ %(s).0f s") % {"s": seconds_target},
                   "memory": _("≤ %(g).0f GiB") % {"g": RELEASE_MEMORY / 2**30}}
        baseline = t.get("baseline")
        comparison = _("Polars group-by %(s)s") % {"s": secs(baseline)}
        if not result.get("available"):
            reason = _("The release engine is not available: %(reason)s") % {
                "reason": result.get("reason", "")}
            for measure, target in (
                (_("release build, DP engine (%(n)s reports)") % {"n": size}, targets["ratio"]),
                (_("release build end to end (%(n)s reports)") % {"n": size}, targets["total"]),
                (_("release build peak memory (%(n)s reports)") % {"n": size},
                 targets["memory"]),
            ):
                self.rows.append(Row(measure, _("not available"), comparison, target=target,
                                     result=NOT_AVAILABLE, note=reason))
            return
        engine = t.get("engine")
        ratio = engine / baseline if engine and baseline else None

        def judged(ok: bool) -> str:
            return verdict(ok) if scored else INFO

        self.rows.append(Row(_("release build, DP engine (%(n)s reports)") % {"n": size},
                             secs(engine), comparison, times(ratio), targets["ratio"],
                             judged(ratio is not None and ratio <= RELEASE_RATIO),
                             note=_("%(cells)s cells built; baseline: %(b)s group-by cells over "
                                    "%(d)d dimension sets") % {
                                 "cells": f"{result.get('cells', 0):,}",
                                 "b": f"{result.get('baseline_cells', 0):,}",
                                 "d": len(result.get("dimension_sets", []))}))
        total = t.get("total")
        self.rows.append(Row(_("release build end to end (%(n)s reports)") % {"n": size},
                             _("%(total)s (reading rows %(frame)s, privacy ledger "
                               "%(ledger)s)") % {
                                 "total": secs(total), "frame": secs(t.get("frame")),
                                 "ledger": secs(t.get("ledger"))},
                             target=targets["total"],
                             result=judged(total is not None and total <= seconds_target)))
        peak = result.get("peak_rss")
        self.rows.append(Row(_("release build peak memory (%(n)s reports)") % {"n": size},
                             gib(peak), target=targets["memory"],
                             result=judged(peak is not None and peak <= RELEASE_MEMORY)))

    # --- page weight ---------------------------------------------------------------------

    def weight(self) -> None:
        result = self.measure(self.data, "weight")
        for page in result["pages"]:
            self.rows.append(Row(_("page weight %(url)s") % {"url": page["url"]},
                                 kib(page["bytes"]), target=_("≤ 60 KB"),
                                 result=verdict(page["bytes"] <= PAGE_LIMIT),
                                 note=(_("answered %(status)s") % page
                                       if page["status"] not in (200, 404) else "")))

    # --- intake --------------------------------------------------------------------------

    def intake(self) -> None:
        home = self.workdir / "intake-sqlite"
        if home.exists():
            shutil.rmtree(home)
        home.mkdir()
        self.command(home, ["migrate", "-v0"], log="intake-migrate")
        self._intake_on(home, None, _("SQLite (WAL)"),
                        lambda: _sqlite_hashes(home / "visiblework.sqlite3"))
        label = _("PostgreSQL")
        if not self.options.postgres:
            self._intake_unavailable(label, _("no --postgres URL was given"))
            return
        try:
            with temporary_postgres(self.options.postgres) as url:
                self.command(home, ["migrate", "-v0"], log="intake-migrate-pg", database_url=url)
                self._intake_on(home, url, label, lambda: _postgres_hashes(url))
        except BenchError:
            raise
        except Exception as exc:  # not reachable, no right to create a database, ...
            self._intake_unavailable(label, f"{type(exc).__name__}: {exc}"[:300])

    def _intake_unavailable(self, label: str, reason: str) -> None:
        self.rows.append(Row(_("report intake, %(db)s") % {"db": label}, _("not available"),
                             target=_("≥ 300 reports/s"), result=NOT_AVAILABLE, note=reason))

    def _intake_on(self, home: Path, database_url: str | None, label: str,
                   stored: Callable[[], list[str]]) -> None:
        sizes = self.sizes
        port = load.free_port()
        env = load.child_env(home, database_url, VISIBLEWORK_RATE_LIMITS="false")
        with load.Server(load.visiblework_command("serve", "--bind", f"127.0.0.1:{port}",
                                                  "--workers", "2"),
                         env, port, self.logs / f"serve-intake-{'pg' if database_url else 'sqlite'}.log",
                         ready_path="/about/data-use/") as server:
            result = run_intake(server.base, sizes.intake_clients, sizes.intake_seconds,
                                secrets.token_hex(4))
        check = reconcile(result, stored())
        what = _("report intake, %(c)d clients × %(s).0f s, %(db)s") % {
            "c": sizes.intake_clients, "s": sizes.intake_seconds, "db": label}
        self.rows.append(Row(
            what,
            _("%(rate)s reports/s (p99 %(p99)s, %(errors)d errors)") % {
                "rate": f"{result.rate:,.0f}", "p99": ms(result.p99), "errors": result.errors},
            target=_("≥ 300 reports/s"), result=verdict(result.rate >= INTAKE_RATE),
            note="; ".join(result.error_samples[:2])))
        self.rows.append(Row(
            _("intake integrity, %(db)s") % {"db": label},
            _("%(lost)d lost, %(dup)d duplicated (%(stored)s stored, %(acked)s keys acknowledged, "
              "%(retries)s retries answered with the first receipt)") % {
                "lost": check.lost, "dup": check.duplicated, "stored": f"{check.stored:,}",
                "acked": f"{len(result.acknowledged):,}", "retries": f"{result.replayed:,}"},
            target=_("0 lost, 0 duplicated"),
            result=verdict(check.lost == 0 and check.duplicated == 0),
            note=(_("%(n)d requests failed on the client side but were stored (not a loss)")
                  % {"n": check.stored_unacknowledged} if check.stored_unacknowledged else "")))

    # --- imports -------------------------------------------------------------------------

    def imports(self) -> None:
        sizes = self.sizes
        aiid = self.options.aiid or default_aiid()
        home = self.workdir / "imports"
        if home.exists():
            shutil.rmtree(home)
        home.mkdir()
        self.command(home, ["migrate", "-v0"], log="imports-migrate")
        if aiid and (Path(aiid) / "incidents.csv").exists():
            args = ["--dir", str(aiid)]
            if sizes.aiid_limit:
                args += ["--limit", str(sizes.aiid_limit)]
            result = self.measure(home, "import-aiid", *args)
            self.rows.append(Row(_("import AI Incident Database snapshot (%(n)s incidents)")
                                 % {"n": f"{result['rows']:,}"},
                                 _("%(rate)s rows/s (%(s)s)") % {
                                     "rate": f"{result['rows_per_second']:,.0f}",
                                     "s": secs(result["seconds"])}))
        else:
            self.rows.append(Row(_("import AI Incident Database snapshot"), _("not available"),
                                 result=NOT_AVAILABLE,
                                 note=_("no snapshot folder (../shared/data/aiid_snapshot or --aiid)")))
        csv_path, mapping = self.workdir / "tracker.csv", self.workdir / "tracker.toml"
        write_csv(csv_path, sizes.csv_rows, self.options.seed)
        write_mapping(mapping)
        result = self.measure(home, "import-csv", "--csv", str(csv_path), "--mapping", str(mapping))
        self.rows.append(Row(_("import CSV with a TOML mapping (%(n)s rows)")
                             % {"n": f"{result['rows']:,}"},
                             _("%(rate)s rows/s (%(s)s)") % {
                                 "rate": f"{result['rows_per_second']:,.0f}",
                                 "s": secs(result["seconds"])}))
        again = self.measure(home, "import-csv", "--csv", str(csv_path), "--mapping", str(mapping))
        self.rows.append(Row(_("import the same CSV again, unchanged (%(n)s rows)")
                             % {"n": f"{again['rows']:,}"},
                             _("%(rate)s rows/s (%(s)s)") % {
                                 "rate": f"{again['rows_per_second']:,.0f}",
                                 "s": secs(again["seconds"])}))

    # --- results -------------------------------------------------------------------------

    def write_results(self, elapsed: float) -> Path:
        now = datetime.now(UTC)
        mode = _("quick") if self.options.quick else _("full")
        path = self.options.output or Path("bench") / "results" / (
            f"{now:%Y-%m-%d}{'-quick' if self.options.quick else ''}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            f"# {_('Benchmark results')}, {now:%Y-%m-%d %H:%M} UTC ({mode})", "",
            f"{_('Command')}: `visiblework bench run {' '.join(self.options.argv)}`".rstrip() + "  ",
            _("Total time: %(s).0f s.") % {"s": elapsed}, "",
            f"## {_('Machine')}", "",
            f"| {_('what')} | {_('value')} |", "|---|---|",
            *(f"| {k} | {v} |" for k, v in self.machine),
            "", f"## {_('Results')}", "", render(self.rows), "",
        ]
        all_notes = [*notes(self.rows), *self.extra_notes]
        if self.options.quick:
            all_notes.insert(0, _("Quick sizes: a smoke test. The targets are set for the full "
                                  "sizes, so pass and miss here are indicative only."))
        if all_notes:
            lines += [f"## {_('Notes')}", "", *(f"- {n}" for n in all_notes), ""]
        path.write_text("\n".join(lines), encoding="utf-8")
        self.all_notes = all_notes
        return path


# --- Databases ---------------------------------------------------------------------------------


def _sqlite_hashes(database: Path) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return [row[0] for row in conn.execute(
            "SELECT idempotency_hash FROM reports_report WHERE idempotency_hash IS NOT NULL")]
    finally:
        conn.close()


def _postgres_hashes(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as conn:
        return [row[0] for row in conn.execute(
            "SELECT idempotency_hash FROM reports_report WHERE idempotency_hash IS NOT NULL")]
