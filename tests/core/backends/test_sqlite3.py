"""The SQLite backend's write lock: concurrent writers queue on it, nothing is lost, and it is
always given back (commit, rollback, a failed statement, a closed connection)."""

import sqlite3
import threading

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import ConnectionHandler

ALIAS = "scratch_sqlite"


@pytest.fixture
def scratch(tmp_path, django_db_blocker):
    """A SQLite database of its own under an alias of its own, with a short lock timeout
    (not the test database: that one lives in memory, where no lock is needed)."""
    config = ConnectionHandler().configure_settings({"default": {}, ALIAS: {
        "ENGINE": "visiblework.core.backends.sqlite3",
        "NAME": str(tmp_path / "scratch.sqlite3"),
        "OPTIONS": {"timeout": 0.5, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL;"},
    }})[ALIAS]
    connections.settings[ALIAS] = config
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections.settings[ALIAS]
    delattr(connections._connections, ALIAS) if hasattr(connections._connections, ALIAS) else None


def _count(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM item")
        return cursor.fetchone()[0]


def _insert(alias: str, writer: int) -> None:
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("INSERT INTO item (writer) VALUES (%s)", [writer])


def _write_from_another_thread(alias: str) -> int | None:
    """Write one row from a new thread (a connection of its own); the rows then stored."""
    result = []

    def write() -> None:
        try:
            _insert(alias, 0)
            result.append(_count(alias))
        finally:
            connections[alias].close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(10)
    return result[0] if result else None


def test_many_threads_writing_at_once_all_commit_and_none_is_refused(scratch):
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


def test_a_writer_waits_no_longer_than_the_timeout_while_another_holds_the_lock(scratch):
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
        try:
            _insert(scratch, 2)
        except (OperationalError, sqlite3.OperationalError) as exc:
            refused.append(str(exc))
        finally:
            connections[scratch].close()

    other = threading.Thread(target=waiter)
    other.start()
    other.join(10)
    done.set()
    thread.join(10)
    assert refused == ["database is locked"]
    _insert(scratch, 3)  # the holder committed: the lock is free again
    assert _count(scratch) == 2


def test_the_lock_is_given_back_after_a_rollback_and_after_a_failed_statement(scratch):
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=scratch):
        _insert(scratch, 1)
        1 / 0  # noqa: B018 - an error inside the transaction
    with (pytest.raises(OperationalError), transaction.atomic(using=scratch),
          connections[scratch].cursor() as cursor):
        cursor.execute("INSERT INTO no_such_table VALUES (1)")
    assert not connections[scratch]._holds_write_lock
    assert _write_from_another_thread(scratch) == 1


def test_closing_a_connection_in_a_transaction_gives_the_lock_back(scratch):
    connection = connections[scratch]
    transaction.atomic(using=scratch).__enter__()
    assert connection._holds_write_lock
    connection.close()
    assert not connection._holds_write_lock
    assert _write_from_another_thread(scratch) == 1


# --- File modes --------------------------------------------------------------------------------


@pytest.fixture
def loose_umask():
    """The usual umask (022), under which files are made readable by everyone."""
    import os

    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    import os
    import stat

    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_wal_and_shm_files_are_private(loose_umask, scratch, tmp_path):
    _insert(scratch, 1)
    with connections[scratch].cursor() as cursor:  # a read keeps the -wal and -shm files open
        cursor.execute("SELECT count(*) FROM item")
        files = [tmp_path / f"scratch.sqlite3{suffix}" for suffix in ("", "-wal", "-shm")]
        assert all(path.exists() for path in files)
        assert [_mode(path) for path in files] == [0o600] * 3


def test_an_existing_database_open_to_others_is_made_private_on_connection(loose_umask, tmp_path,
                                                                            django_db_blocker):
    path = tmp_path / "old.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"old.sqlite3{suffix}").touch(mode=0o644)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
    from visiblework.core.backends.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper({**connections["default"].settings_dict, "NAME": str(path),
                               "OPTIONS": {}}, alias="old_files")
    with django_db_blocker.unblock():
        try:
            wrapper.ensure_connection()
        finally:
            wrapper.close()
    assert [_mode(tmp_path / f"old.sqlite3{s}") for s in ("", "-wal", "-shm")
            if (tmp_path / f"old.sqlite3{s}").exists()] == [0o600] * 3
