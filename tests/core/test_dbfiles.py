"""The SQLite database, its -wal and its -shm files are readable by their owner only (0600),
whatever the umask: created so, or made so when found open to others."""

import os
import sqlite3
import stat

import pytest

from visiblework.core.dbfiles import SUFFIXES, make_private


@pytest.fixture
def loose_umask():
    """The usual umask (022), under which files are made readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_the_wal_and_shm_files_sqlite_adds_are_private(loose_umask, tmp_path):
    path = tmp_path / "new.sqlite3"
    make_private(str(path))
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)")
        conn.commit()
        files = [tmp_path / f"new.sqlite3{suffix}" for suffix in SUFFIXES]
        assert all(path.exists() for path in files)  # the open connection keeps -wal and -shm
        assert [_mode(path) for path in files] == [0o600] * 3
    finally:
        conn.close()


def test_an_existing_database_and_its_files_open_to_others_are_made_private(loose_umask,
                                                                             tmp_path):
    path = tmp_path / "old.sqlite3"
    for suffix in SUFFIXES:
        (tmp_path / f"old.sqlite3{suffix}").touch(mode=0o644)
    make_private(str(path))
    assert [_mode(tmp_path / f"old.sqlite3{suffix}") for suffix in SUFFIXES] == [0o600] * 3
