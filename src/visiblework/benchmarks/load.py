"""Servers in child processes and bounded HTTP load against them, on 127.0.0.1 only.

Load comes from `wrk` when it is on PATH (Debian package `wrk`) and otherwise from a small
Python client with threads. Every loop is bounded in time and in number of requests.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess  # noqa: S404 - starts our own server processes, no shell
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

LOOPBACK = "127.0.0.1"
MAX_REQUESTS_PER_SECOND = 20_000  # a bound on any load loop: duration × this


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def visiblework_command(*args: str) -> list[str]:
    """This install's `visiblework` command, through the running interpreter."""
    return [sys.executable, "-m", "visiblework.cli", *args]


def child_env(home: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child process working in `home`: none of the caller's database
    or data-folder settings leak in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "VISIBLEWORK_HOME", "DJANGO_SETTINGS_MODULE", "DEBUG")}
    env["VISIBLEWORK_HOME"] = str(home)
    env["DJANGO_SETTINGS_MODULE"] = "visiblework.settings"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


class Server:
    """A server in its own process group, stopped (with its workers) on exit."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path,
                 ready_path: str = "/"):
        self.command, self.env, self.port, self.log = command, env, port, log
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=handle,  # noqa: S603
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        handle.close()
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(_("the server exited; see %(log)s") % {"log": self.log})
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=30) as response:  # noqa: S310
                    if response.status < 500:
                        return
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(_("the server did not answer within %(s).0f s; see %(log)s")
                           % {"s": timeout, "log": self.log})

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the group this Popen created
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- Load --------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    errors: int
    p50: float | None = None  # seconds
    p99: float | None = None
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def wrk_path() -> str | None:
    return shutil.which("wrk")


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _duration(text: str) -> float | None:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def parse_wrk(output: str, seconds: float) -> LoadResult:
    requests = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                              output)
    p50 = re.search(r"^\s*50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", output, re.M)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    duration = re.search(r"requests in ([\d.]+\w+),", output)
    measured = _duration(duration.group(1)) if duration else None
    return LoadResult("wrk", int(requests.group(1)) if requests else 0, measured or seconds, errors,
                      _duration(p50.group(1)) if p50 else None,
                      _duration(p99.group(1)) if p99 else None)


def run_wrk(url: str, seconds: float, connections: int, threads: int = 2) -> LoadResult:
    wrk = wrk_path()
    assert wrk is not None
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "10s", url]
    done = subprocess.run(command, capture_output=True, text=True,  # noqa: S603
                          timeout=seconds + 60, check=False)
    return parse_wrk(done.stdout, seconds)


def run_python(url: str, seconds: float, connections: int) -> LoadResult:
    """`connections` threads, each with a keep-alive connection, for `seconds`."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    host, port = parts.hostname or LOOPBACK, parts.port or 80
    deadline = time.monotonic() + seconds
    limit = int(seconds * MAX_REQUESTS_PER_SECOND)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    state = {"count": 0, "errors": 0}

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        try:
            while time.monotonic() < deadline:
                with lock:
                    if state["count"] >= limit:
                        return
                    state["count"] += 1
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Accept-Encoding": "identity"})
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=10)
                    status = 0
                mine.append(time.perf_counter() - started)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if not 200 <= status < 400:
                        state["errors"] += 1
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=client, daemon=True) for _i in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 30)
    elapsed = time.monotonic() - started
    return LoadResult("python", len(latencies), elapsed, state["errors"], percentile(latencies, 50),
                      percentile(latencies, 99), statuses)


def combine(results: list[LoadResult]) -> LoadResult:
    """Turns of load on one URL as one figure: requests and seconds add up; p50 is the mean
    of the turns' and p99 the highest."""
    p50s = [r.p50 for r in results if r.p50 is not None]
    p99s = [r.p99 for r in results if r.p99 is not None]
    statuses: dict[int, int] = {}
    for r in results:
        for status, count in r.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    return LoadResult(results[0].tool if results else "", sum(r.requests for r in results),
                      sum(r.seconds for r in results), sum(r.errors for r in results),
                      sum(p50s) / len(p50s) if p50s else None, max(p99s) if p99s else None,
                      statuses)


def run_load(url: str, seconds: float, connections: int) -> LoadResult:
    if wrk_path():
        return run_wrk(url, seconds, connections)
    return run_python(url, seconds, connections)


def warm(url: str, seconds: float, connections: int) -> None:
    """Load that is not measured: fills caches and builds each worker's index."""
    run_python(url, seconds, connections)
