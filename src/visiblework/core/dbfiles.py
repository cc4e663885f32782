"""The SQLite database holds raw reports: its files are readable by the server's account only.

SQLite creates a database file with the usual mode (0644 under a umask of 022) and gives the
-wal and -shm files it creates the database file's mode. So the database is created 0600
before SQLite first opens it, and a database, -wal or -shm file found open to others is made
0600. This runs when the settings are loaded (each server process, each command) and around a
restore (core/backup.py). It imports nothing from Django: the settings module calls it.
"""

from __future__ import annotations

import os

SUFFIXES = ("", "-wal", "-shm")


def make_private(database: str) -> None:
    """Create the database file 0600 if it does not exist; make it and its -wal and -shm
    files 0600 if they are open to others."""
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for suffix in SUFFIXES:
        try:
            if os.stat(database + suffix).st_mode & 0o077:
                os.chmod(database + suffix, 0o600)
        except FileNotFoundError:
            pass
