"""Consistent backups and safe restores of the database, for SQLite and PostgreSQL.

SQLite
    `backup_sqlite` copies the live database with SQLite's online backup API while the server
    keeps taking writes. It holds one read transaction on the source for the whole copy, so
    the copy is the database exactly as it was at that moment (in WAL mode readers never block
    writers, and the copy never restarts because of them). The copy is written to a temporary
    file beside the target, checked (`PRAGMA integrity_check`), switched out of WAL mode so it
    is one self-contained file, flushed to disk and only then renamed over the target.

    `restore_sqlite` first copies the backup file into a temporary file beside the live
    database and checks it there; then it copies that into the live database with the backup
    API in reverse. SQLite writes the whole copy as one transaction: a crash or a power cut in
    the middle leaves the old database exactly as it was, never half of each. (Renaming a file
    over a database in WAL mode is not safe: a `-wal` file left beside it would be replayed
    into the wrong database.)

PostgreSQL
    `pg_dump --format=custom` (a consistent snapshot by design) into a temporary file, renamed
    when complete; `pg_restore --clean --if-exists --no-owner --single-transaction`, so a
    restore that fails part way changes nothing. Connection settings travel in PG* environment
    variables: the password never appears on a command line.

Neither holds the rows of the cache table (`transient_tables`): rate-limit counts and login
lockouts, keyed by peppered hashes of client addresses (core/ratelimit.py), which a backup has
no reason to keep. On SQLite the copy's rows are deleted with `secure_delete` on, so their
bytes are overwritten; pg_dump leaves the table's data out. Backups and the database files a
restore writes are readable by their owner only (0600).

Every function raises `BackupError` with a message for the operator; the management commands
turn it into a CommandError.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from visiblework.core.dbfiles import make_private

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PAGES_PER_STEP = 1024  # 4 MiB with the default page size: progress moves, the lock stays short
BUSY_TIMEOUT = 30.0  # seconds a restore waits for a server's write to finish

Progress = Callable[[int, int], None]  # (pages done, pages in all)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is for the operator."""


@dataclass
class Result:
    path: Path
    size: int
    seconds: float
    pages: int = 0


# --- Which database, which file ----------------------------------------------------------------


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine})


def sniff(path: Path) -> str | None:
    """'sqlite' or 'pgdump' from a file's first bytes; None for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pgdump"
    return None


KIND_NAMES = {"sqlite": "SQLite", "pgdump": "PostgreSQL (pg_dump archive)"}
VENDOR_KIND = {"sqlite": "sqlite", "postgresql": "pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def transient_tables() -> list[str]:
    """The tables whose rows no backup keeps: those of database caches."""
    return [str(cache["LOCATION"]) for cache in settings.CACHES.values()
            if cache.get("BACKEND") == "django.core.cache.backends.db.DatabaseCache"]


def check_backup_file(path: Path, vendor: str) -> None:
    """Fail clearly for a missing file, a file that is no backup, or one for the other engine."""
    if not path.exists():
        raise BackupError(_("There is no file at %(path)s.") % {"path": path})
    if not path.is_file():
        raise BackupError(_("%(path)s is not a file.") % {"path": path})
    try:
        kind = sniff(path)
    except OSError as exc:
        raise BackupError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    if kind is None:
        raise BackupError(_("%(path)s is not a Visible Work backup: it is neither an SQLite "
                            "database nor a pg_dump archive (or it is damaged).") % {"path": path})
    if kind != VENDOR_KIND[vendor]:
        raise BackupError(
            _("%(path)s is a backup of a %(kind)s database, but this instance uses %(vendor)s. "
              "Restore it on an instance with the same kind of database.")
            % {"path": path, "kind": KIND_NAMES[kind], "vendor": VENDOR_NAMES[vendor]})


def check_target(path: Path) -> Path:
    """Where a backup may be written: a file name in a folder that exists."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise BackupError(_("%(path)s is a folder; give a file name.") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": path.parent})
    return path


def _temp_beside(path: Path, label: str) -> Path:
    """An empty private (0600) file in the same folder, so that a rename is atomic."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{label}", dir=path.parent)
    os.close(fd)
    return Path(name)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open a folder; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


# --- SQLite ------------------------------------------------------------------------------------


def sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("This database lives in memory; there is no file to back up or "
                            "restore."))
    return Path(name).expanduser().absolute()


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None,
          pages: int) -> int:
    """The backup API, step by step; returns the number of pages copied."""
    total = [0]

    def step(status, remaining, count):
        total[0] = count
        if progress:
            progress(count - remaining, count)

    source.backup(target, pages=pages, progress=step)
    return total[0]


def _clear_tables(conn: sqlite3.Connection, tables: list[str]) -> None:
    """Delete every row of `tables` (those that exist), overwriting their bytes."""
    conn.execute("PRAGMA secure_delete=ON")
    for table in tables:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [table]).fetchone():
            conn.execute(f'DELETE FROM "{table}"')  # noqa: S608 (a name from settings)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def backup_sqlite(db_path: Path, target: Path, progress: Progress | None = None, *,
                  pages: int = PAGES_PER_STEP, leave_out: list[str] | None = None) -> Result:
    """Copy the live SQLite database to `target`: consistent, checked, then renamed in place.
    The rows of `leave_out` (by default the cache tables) are not kept."""
    started = time.monotonic()
    db_path = Path(db_path).absolute()
    target = check_target(target)
    if not db_path.exists():
        raise BackupError(_("There is no database at %(path)s yet; run `visiblework migrate` "
                            "first.") % {"path": db_path})
    if target.resolve() in {Path(f"{db_path}{s}").resolve() for s in ("", "-wal", "-shm")}:
        raise BackupError(_("The backup cannot overwrite the database itself; choose another "
                            "file name."))
    temp = _temp_beside(target, "partial")
    source = target_conn = None
    try:
        source = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT, isolation_level=None)
        # One read transaction for the whole copy: every step sees the same snapshot, and
        # writes by the server (to the WAL) neither block the copy nor make it start over.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        target_conn = sqlite3.connect(temp, isolation_level=None)
        copied = _copy(source, target_conn, progress, pages)
        source.execute("COMMIT")
        source.close()
        source = None
        # One self-contained file: no -wal beside it.
        target_conn.execute("PRAGMA journal_mode=DELETE")
        _clear_tables(target_conn, transient_tables() if leave_out is None else leave_out)
        problems = _integrity(target_conn)
        target_conn.close()
        target_conn = None
        if problems:
            raise BackupError(_("The copy failed its integrity check: %(problems)s")
                              % {"problems": "; ".join(problems[:5])})
        _fsync(temp)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        raise BackupError(_("The backup failed: %(error)s") % {"error": exc}) from exc
    finally:
        for conn in (source, target_conn):
            if conn is not None:
                conn.close()
        _remove(temp)
    return Result(target, target.stat().st_size, time.monotonic() - started, copied)


def _check_sqlite_backup(conn: sqlite3.Connection, path: Path) -> None:
    problems = _integrity(conn)
    if problems:
        raise BackupError(_("%(path)s is damaged (integrity check: %(problems)s). Nothing was "
                            "changed.") % {"path": path, "problems": "; ".join(problems[:5])})
    has_migrations = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
    if not has_migrations:
        raise BackupError(_("%(path)s is an SQLite database, but not a Visible Work one (it has "
                            "no django_migrations table). Nothing was changed.") % {"path": path})


def restore_sqlite(backup: Path, db_path: Path, progress: Progress | None = None,
                   checking: Progress | None = None, *, pages: int = PAGES_PER_STEP) -> Result:
    """Replace the live SQLite database's content with the backup's, all or nothing."""
    started = time.monotonic()
    backup = Path(backup).expanduser().absolute()
    db_path = Path(db_path).absolute()
    check_backup_file(backup, "sqlite")
    if backup.resolve() == db_path.resolve():
        raise BackupError(_("That file is the live database itself."))
    if not db_path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": db_path.parent})
    temp = _temp_beside(db_path, "restore")
    # A backup file in WAL mode (a copied database file, say) gets -wal and -shm files when
    # read; remove the ones this restore made.
    litter = [Path(f"{backup}{s}") for s in ("-wal", "-shm") if not Path(f"{backup}{s}").exists()]
    source = staged = live = None
    try:
        # 1. Copy the backup beside the database and check the copy: a damaged or foreign
        #    file stops here, before the live database is touched.
        try:
            source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True, isolation_level=None)
            staged = sqlite3.connect(temp, isolation_level=None)
            _copy(source, staged, checking, pages)
            source.close()
            source = None
            _check_sqlite_backup(staged, backup)
        except sqlite3.DatabaseError as exc:
            raise BackupError(_("%(path)s cannot be read as a database (%(error)s). Nothing was "
                                "changed.") % {"path": backup, "error": exc}) from exc
        # 2. Copy it into the live database: one write transaction, committed at the end.
        try:
            make_private(str(db_path))  # created 0600 when there is none yet
            live = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT, isolation_level=None)
            live.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            live_mode = live.execute("PRAGMA journal_mode").fetchone()[0]
            size_differs = (live.execute("PRAGMA page_size").fetchone()[0]
                            != staged.execute("PRAGMA page_size").fetchone()[0])
            if live_mode == "wal" and size_differs:
                # SQLite cannot change the page size of a database in WAL mode; leave WAL mode
                # for the copy (this needs the database to be otherwise unused).
                live.execute("PRAGMA journal_mode=DELETE")
            copied = _copy(staged, live, progress, pages)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise BackupError(_("The database is in use (%(error)s). Stop the server and try "
                                    "again; nothing was changed.") % {"error": exc}) from exc
            raise BackupError(_("The restore failed: %(error)s. The database was left as it "
                                "was.") % {"error": exc}) from exc
        # The copy is committed. Back to WAL mode (the server sets it too, on its next
        # connection, should another connection be open here now).
        with contextlib.suppress(sqlite3.OperationalError):
            live.execute("PRAGMA journal_mode=WAL")
        make_private(str(db_path))  # and its -wal and -shm files
    finally:
        for conn in (source, staged, live):
            if conn is not None:
                conn.close()
        _remove(temp)
        for path in litter:
            if path.exists() and (path.name.endswith("-shm") or path.stat().st_size == 0):
                with contextlib.suppress(OSError):
                    path.unlink()
    return Result(db_path, db_path.stat().st_size, time.monotonic() - started, copied)


# --- PostgreSQL --------------------------------------------------------------------------------

PG_OPTION_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "sslpassword": "PGSSLPASSWORD", "passfile": "PGPASSFILE",
                 "service": "PGSERVICE", "options": "PGOPTIONS",
                 "connect_timeout": "PGCONNECT_TIMEOUT", "target_session_attrs":
                 "PGTARGETSESSIONATTRS", "application_name": "PGAPPNAME"}


def pg_tool(name: str) -> str:
    """`pg_dump` or `pg_restore`: from PATH, else the newest under /usr/lib/postgresql/."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin/", path)
        return tuple(int(p) for p in match.group(1).split(".") if p) if match else ()

    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=version, reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(_("%(tool)s was not found on PATH or under /usr/lib/postgresql/*/bin/. "
                        "Install the PostgreSQL client programs (Debian: postgresql-client), "
                        "in a version at least that of the server.") % {"tool": name})


def pg_env(settings_dict: dict) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: connection settings as PG* variables."""
    env = dict(os.environ)
    pairs = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
             "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
             "PGDATABASE": settings_dict.get("NAME")}
    for option, variable in PG_OPTION_ENV.items():
        pairs[variable] = (settings_dict.get("OPTIONS") or {}).get(option)
    for variable, value in pairs.items():
        if value not in (None, ""):
            env[variable] = str(value)
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    return env


def _run(command: list[str], env: dict[str, str], failure: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(_("Cannot run %(tool)s: %(error)s") % {"tool": command[0], "error": exc}) from exc
    if done.returncode != 0:
        detail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-15:])
        raise BackupError(_("%(failure)s (%(tool)s exited with %(code)d):\n%(detail)s")
                          % {"failure": failure, "tool": Path(command[0]).name,
                             "code": done.returncode, "detail": detail})
    return done


def backup_postgres(settings_dict: dict, target: Path, *,
                    leave_out: list[str] | None = None) -> Result:
    """pg_dump into `target`, without the rows of `leave_out` (by default the cache tables)."""
    started = time.monotonic()
    target = check_target(target)
    temp = _temp_beside(target, "partial")
    excluded = [f"--exclude-table-data={table}"
                for table in (transient_tables() if leave_out is None else leave_out)]
    try:
        _run([pg_tool("pg_dump"), "--format=custom", "--no-password", *excluded,
              f"--file={temp}"], pg_env(settings_dict), _("The backup failed"))
        if temp.stat().st_size == 0 or sniff(temp) != "pgdump":
            raise BackupError(_("pg_dump wrote no archive."))
        _fsync(temp)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    finally:
        _remove(temp)
    return Result(target, target.stat().st_size, time.monotonic() - started)


def pg_contents(backup: Path) -> list[str]:
    """The archive's table of contents (`pg_restore --list`): fails for a damaged archive."""
    done = _run([pg_tool("pg_restore"), "--list", str(backup)], dict(os.environ),
                _("The backup cannot be read; nothing was changed"))
    return [line for line in done.stdout.splitlines() if line and not line.startswith(";")]


def restore_postgres(settings_dict: dict, backup: Path) -> Result:
    started = time.monotonic()
    backup = Path(backup).expanduser().absolute()
    check_backup_file(backup, "postgresql")
    if not any(re.search(r"\bTABLE\b.*\bdjango_migrations\b", line) for line in pg_contents(backup)):
        raise BackupError(_("%(path)s is a pg_dump archive, but not of a Visible Work database "
                            "(it has no django_migrations table). Nothing was changed.")
                          % {"path": backup})
    env = pg_env(settings_dict)
    # Wait at most a minute for a lock held by a running server, rather than for ever.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout=60000".strip()
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          "--exit-on-error", "--no-password", f"--dbname={env.get('PGDATABASE', '')}",
          str(backup)], env, _("The restore failed; nothing was changed"))
    return Result(backup, backup.stat().st_size, time.monotonic() - started)


# --- Showing progress --------------------------------------------------------------------------


class ProgressDisplay:
    """Shows a copy's progress: a rich progress bar on a terminal, otherwise a line at every
    quarter, so that logs from a scheduled backup stay short. Use as a context manager;
    `task(label)` gives the callback for one copy."""

    def __init__(self, stream, *, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.bar = None
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(enabled and isatty and isatty())

    def __enter__(self) -> ProgressDisplay:
        if self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(),
                                TaskProgressColumn(), TimeRemainingColumn(),
                                console=Console(file=self.stream), transient=False)
            self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def task(self, label: str) -> Progress | None:
        if not self.enabled:
            return None
        if self.bar is not None:
            task_id = self.bar.add_task(label, total=None)

            def update(done: int, total: int) -> None:
                self.bar.update(task_id, completed=done, total=total)

            return update
        shown = [-1]

        def line(done: int, total: int) -> None:
            if not total:
                return
            quarter = 4 * done // total
            if quarter > shown[0]:
                shown[0] = quarter
                self.stream.write(ngettext("%(label)s: %(percent)d%% of %(total)d page",
                                           "%(label)s: %(percent)d%% of %(total)d pages", total)
                                  % {"label": label, "percent": 25 * quarter, "total": total}
                                  + "\n")
                self.stream.flush()

        return line


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
