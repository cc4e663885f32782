"""The pepper of rate-limit keys: 32 random bytes that change every UTC day.

Rate-limit and login-throttling rows in the cache table are keyed by an HMAC of the client's
address. Keyed with the SECRET_KEY, anyone holding the key and a copy of the table (a
backup, say) could try every IPv4 address in a few core-hours and learn who wrote when. The
pepper is never written to the database nor to a backup, and the day's file is deleted once
the day is over: yesterday's rows then name nobody, even to someone with every other secret.

The day's pepper is a file named after the date in `VISIBLEWORK_RATE_LIMIT_PEPPER_DIR`
(default: the data folder's `pepper/`), folder 0700, file 0600. The first process of the day
writes it to a private temporary file and links it into place, which fails if another process
was first: every process on the machine (and every machine sharing that folder) uses the same
pepper, and none can read a half-written one. Each process keeps it in memory for the day.
Rate limits and login lockouts start afresh at midnight UTC.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

PEPPER_BYTES = 32
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_lock = threading.Lock()
_current: tuple[str, str, bytes] | None = None  # (folder, day, pepper) of this process


def today() -> str:
    """The UTC date, e.g. 2026-11-22 (also the name of the day's file)."""
    return time.strftime("%Y-%m-%d", time.gmtime())


def folder() -> Path:
    return Path(settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR)


def pepper() -> bytes:
    """Today's pepper: from memory, else from the day's file, else newly made."""
    global _current
    where, day = str(folder()), today()
    current = _current
    if current is not None and current[0] == where and current[1] == day:
        return current[2]
    with _lock:
        if _current is None or _current[:2] != (where, day):
            value = _load_or_create(Path(where), day)
            _forget_older(Path(where), day)
            _current = (where, day, value)
        return _current[2]


def _load_or_create(where: Path, day: str) -> bytes:
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # a shared folder owned by someone else
        where.chmod(0o700)
    path = where / day
    if not path.exists():
        fd, temporary = tempfile.mkstemp(prefix=".new-", dir=where)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(PEPPER_BYTES))
            with contextlib.suppress(FileExistsError):  # another process was first: use its
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    value = path.read_bytes()
    if len(value) != PEPPER_BYTES:
        raise RuntimeError(f"{path} is not a rate-limit pepper ({len(value)} bytes, not "
                           f"{PEPPER_BYTES}); delete it and a new one will be made")
    return value


def _forget_older(where: Path, day: str) -> None:
    """Delete the files of earlier days (and temporary files a crash left behind)."""
    for entry in where.iterdir():
        stale_day = _DAY.fullmatch(entry.name) and entry.name < day
        stale_temporary = entry.name.startswith(".new-") and entry.stat().st_mtime < time.time() - 60
        if stale_day or stale_temporary:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def forget() -> None:
    """Drop the pepper held in memory (tests)."""
    global _current
    with _lock:
        _current = None
