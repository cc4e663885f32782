"""Django's SQLite backend, with write transactions queued on a lock instead of SQLite's
busy handler.

SQLite lets one transaction write at a time; every transaction here starts with
`BEGIN IMMEDIATE`. The others used to wait in SQLite's busy handler, which sleeps in steps of
1 to 100 ms whether or not the lock has been freed meanwhile: with a server's threads and
processes taking reports at once, the processors sat idle while requests slept (half the
machine unused at 180 reports a second). Here a transaction first takes a lock shared by the
threads of the process and, through `flock` on a file beside the database, by the processes
of the machine; it is released at commit or rollback, and the next writer goes at once.

The wait is bounded by the connection's `timeout` option, like SQLite's own; past it the
error is SQLite's own "database is locked". Writes outside a transaction (autocommit) still
meet SQLite's busy handler, as before.

The database holds raw reports: it is created readable by its owner only (0600), and the
first connection of a process makes it, its -wal and its -shm file 0600 if they were not
(SQLite gives the -wal and -shm files it creates the database file's mode).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

from django.db.backends.sqlite3 import base

_process_lock = threading.Lock()
_files: dict[str, int] = {}  # lock file path -> descriptor, one per process
_files_lock = threading.Lock()
POLL_SECONDS = 0.0005  # between tries for another process's lock


_private: set[str] = set()  # database files made private by this process


def make_private(database: str) -> None:
    """Create the database file 0600 if it does not exist; make it and its -wal and -shm
    files 0600 if they are open to others."""
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in ("", "-wal", "-shm"):
        try:
            if os.stat(database + suffix).st_mode & 0o077:
                os.chmod(database + suffix, 0o600)
        except FileNotFoundError:
            pass


def _lock_file(database: str) -> int:
    path = f"{database}.writelock"
    with _files_lock:
        if path not in _files:
            _files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        return _files[path]


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        return None if self.is_in_memory_db() else name

    def get_new_connection(self, conn_params):
        database = self._lock_path()
        if database is not None and not database.startswith("file:") and database not in _private:
            make_private(database)
            _private.add(database)
        return super().get_new_connection(conn_params)

    def _take_write_lock(self) -> None:
        database = self._lock_path()
        if database is None:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        if not _process_lock.acquire(timeout=timeout):
            raise sqlite3.OperationalError("database is locked")
        try:
            descriptor = _lock_file(database)
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(POLL_SECONDS)
        except BaseException:
            _process_lock.release()
            raise
        self._holds_write_lock = True

    def _release_write_lock(self) -> None:
        if not self._holds_write_lock:
            return
        self._holds_write_lock = False
        database = self._lock_path()
        try:
            if database is not None:
                fcntl.flock(_lock_file(database), fcntl.LOCK_UN)
        finally:
            _process_lock.release()

    def _start_transaction_under_autocommit(self):
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
