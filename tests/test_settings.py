"""The data folder is private to the server's account (0700), and so are the secret key it
generates and the SQLite database (0600), whatever the umask. On SQLite, concurrent writers
queue and all commit, and a writer that waits past the timeout gets a clear error. The typed
settings helpers read numbers strictly, and the lifetime privacy budget has its documented
defaults."""

import os
import runpy
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

from visiblework import settings as vw_settings

from .core.test_backup import clean_env


def _start(home, tmp_path) -> None:
    """Load the settings in a fresh Python, as a server start would, under umask 022."""
    code = "import os; os.umask(0o022); import visiblework.settings"
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(home), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_data_folder_and_its_secret_key_are_private(tmp_path):
    home = tmp_path / "var"
    _start(home, tmp_path)
    assert _mode(home) == 0o700
    assert _mode(home / "secret_key") == 0o600


def test_an_existing_data_folder_open_to_others_is_made_private(tmp_path):
    home = tmp_path / "var"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    _start(home, tmp_path)
    assert _mode(home) == 0o700


@pytest.mark.parametrize("value", ["ten", "1e-5e", "nan", "inf", "-inf"])
def test_a_budget_that_cannot_be_read_as_a_finite_number_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("VISIBLEWORK_WORKER_DELTA_BUDGET", value)
    with pytest.raises(ImproperlyConfigured, match="VISIBLEWORK_WORKER_DELTA_BUDGET"):
        vw_settings.env_float("VISIBLEWORK_WORKER_DELTA_BUDGET", 1e-5)


def test_a_number_setting_reads_decimals_and_exponents(monkeypatch):
    monkeypatch.setenv("VISIBLEWORK_WORKER_EPSILON_BUDGET", " 4.5 ")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 4.5
    monkeypatch.setenv("VISIBLEWORK_WORKER_EPSILON_BUDGET", "2e-6")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 2e-6
    monkeypatch.delenv("VISIBLEWORK_WORKER_EPSILON_BUDGET")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 10.0


def test_the_lifetime_budget_defaults_to_epsilon_10_and_delta_1e_5():
    assert vw_settings.VISIBLEWORK_WORKER_EPSILON_BUDGET == 10.0
    assert vw_settings.VISIBLEWORK_WORKER_DELTA_BUDGET == 1e-5


# --- The SQLite database -----------------------------------------------------------------------


def test_a_new_sqlite_database_is_created_private_at_start(tmp_path):
    home = tmp_path / "var"
    _start(home, tmp_path)
    assert _mode(home / "visiblework.sqlite3") == 0o600


def test_an_sqlite_database_and_its_files_open_to_others_are_made_private_at_start(tmp_path):
    home = tmp_path / "var"
    home.mkdir(mode=0o700)
    files = [home / f"visiblework.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
    for path in files:
        path.touch(mode=0o644)
        path.chmod(0o644)
    _start(home, tmp_path)
    assert [_mode(path) for path in files] == [0o600] * 3


def _sqlite_database(tmp_path, monkeypatch) -> dict:
    """The database the settings configure for an SQLite URL, in a data folder of its own
    (loaded afresh: the tests may run on PostgreSQL)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("VISIBLEWORK_HOME", str(tmp_path / "var"))
    return runpy.run_path(vw_settings.__file__)["DATABASES"]["default"]


def test_sqlite_runs_on_djangos_own_backend_with_immediate_transactions_and_a_timeout(
        tmp_path, monkeypatch):
    database = _sqlite_database(tmp_path, monkeypatch)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert "busy_timeout" not in database["OPTIONS"]["init_command"]  # one bound: the timeout


ALIAS = "scratch_sqlite"


@pytest.fixture
def scratch(tmp_path, monkeypatch, django_db_blocker):
    """The settings' SQLite database under an alias of its own (not the test database: that
    one lives in memory), with a short timeout."""
    database = _sqlite_database(tmp_path, monkeypatch)
    database["OPTIONS"] = {**database["OPTIONS"], "timeout": 0.5}
    connections.settings[ALIAS] = ConnectionHandler().configure_settings(
        {"default": {}, ALIAS: database})[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections.settings[ALIAS]
    if hasattr(connections._connections, ALIAS):
        delattr(connections._connections, ALIAS)


def _count(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        return cursor.fetchone()[0]


def _insert(alias: str, writer: int) -> None:
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("INSERT INTO item (writer) VALUES (%s)", [writer])


def test_eight_threads_writing_to_sqlite_at_once_all_commit(scratch):
    errors = []

    def writer(number: int) -> None:
        try:
            for _ in range(25):
                _insert(scratch, number)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections[scratch].close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert _count(scratch) == 200


def test_an_sqlite_writer_is_refused_with_a_clear_error_once_the_timeout_has_passed(scratch):
    holding, done = threading.Event(), threading.Event()

    def holder() -> None:
        with transaction.atomic(using=scratch):
            _insert(scratch, 1)
            holding.set()
            done.wait(10)
        connections[scratch].close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(10)
    refused = []

    def waiter() -> None:
        started = time.monotonic()
        try:
            _insert(scratch, 2)
        except (OperationalError, sqlite3.OperationalError) as exc:
            refused.append((str(exc), time.monotonic() - started >= 0.4))
        finally:
            connections[scratch].close()

    other = threading.Thread(target=waiter)
    other.start()
    other.join(10)
    done.set()
    thread.join(10)
    assert refused == [("database is locked", True)]
