"""What the benchmarks ran on: CPU, memory, and the versions that matter to the figures."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs fixed version commands, no shell
from importlib import metadata
from pathlib import Path

from django.utils.translation import gettext as _


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or _("unknown")


def memory_bytes() -> int | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return _("not installed")


def tool_version(command: list[str]) -> str:
    if not shutil.which(command[0]):
        return _("not installed")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20,  # noqa: S603
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return _("not installed")
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else _("unknown")


def postgres_version(url: str | None) -> str:
    if not url:
        return _("not measured (no --postgres URL)")
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return f"PostgreSQL {row[0]}" if row else _("unknown")
    except Exception as exc:  # any connection failure means "not reachable"
        return _("not reachable (%(error)s)") % {"error": str(exc).splitlines()[0][:120]}


def load_average() -> str:
    """Other work on the machine skews every figure: say how busy it was."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return _("unknown")


def describe(postgres_url: str | None, datasette: str | None, wrk: str | None) -> list[tuple[str, str]]:
    memory = memory_bytes()
    return [
        (_("CPU"), f"{cpu_model()} — {os.cpu_count()} {_('logical CPUs')}"),
        (_("memory"), f"{memory / 2**30:.1f} GiB" if memory else _("unknown")),
        (_("system"), f"{platform.system()} {platform.release()} ({platform.machine()})"),
        (_("load average at start (1, 5, 15 min)"), load_average()),
        (_("Python"), platform.python_version()),
        (_("SQLite"), sqlite3.sqlite_version),
        (_("PostgreSQL"), postgres_version(postgres_url)),
        (_("Django"), _version("Django")),
        (_("NumPy / Polars / OpenDP"),
         f"{_version('numpy')} / {_version('polars')} / {_version('opendp')}"),
        (_("gunicorn"), _version("gunicorn")),
        (_("Datasette"), tool_version([datasette, "--version"]) if datasette else _("not installed")),
        (_("load generator"), tool_version([wrk, "--version"]) if wrk
         else _("Python threads (wrk not found)")),
    ]
