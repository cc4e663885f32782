"""The README's commands: `visiblework demo` on a fresh folder, twice."""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# The run on PostgreSQL leaves these out: the demo runs on a fresh SQLite data folder of its own.
pytestmark = pytest.mark.database_independent


def visiblework() -> list[str]:
    found = shutil.which("visiblework")
    return [found] if found else [sys.executable, "-m", "visiblework.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env() -> dict[str, str]:
    """The environment of a fresh machine: none of our variables set."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "VISIBLEWORK_HOME", "SECRET_KEY", "DEBUG", "SECURE_COOKIES",
                 "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def run_demo(folder: Path, port: int) -> tuple[str, str]:
    """Start the demo, wait for it to serve, fetch the home page and the API, stop it."""
    process = subprocess.Popen([*visiblework(), "demo", "--port", str(port)], cwd=folder,
                               env=clean_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    home = r.read().decode()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/cases", timeout=5) as r:
                    api = r.read().decode()
                return home, api
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"demo exited: {process.stdout.read()}")
                time.sleep(0.5)
        pytest.fail("demo did not answer within 90 s")
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        run_demo.output = output


def test_the_demo_runs_on_a_fresh_folder_and_again_reusing_its_data(tmp_path):
    home, api = run_demo(tmp_path, free_port())
    assert "Visible Work" in home and "Browse cases" in home
    assert "running at http://127.0.0.1:" in run_demo.output
    assert (tmp_path / "var" / "visiblework.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").exists()
    with sqlite3.connect(tmp_path / "var" / "visiblework.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    first_count = json.loads(api)["count"]
    assert first_count >= 15

    _, api_again = run_demo(tmp_path, free_port())
    assert json.loads(api_again)["count"] == first_count
